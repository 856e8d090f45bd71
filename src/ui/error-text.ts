/** The message of a rejected client call, for a status line. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
