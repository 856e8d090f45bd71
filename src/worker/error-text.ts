/** The message of a thrown value, for an error event or a status line. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
