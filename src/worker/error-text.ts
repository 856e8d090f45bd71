import type { ErrorInfo } from '../protocol/messages';

/** The message of a thrown value, for an error event or a status line. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * A thrown value as it crosses to the page: message, class name and the
 * domain layers' code (PatchFileError, ModelFileError, TrainError… carry a
 * string `code`), so the page can tell failures apart without parsing text.
 */
export function errorInfo(e: unknown): ErrorInfo {
  if (!(e instanceof Error)) return { message: String(e), name: 'Error', code: null };
  const code = (e as { code?: unknown }).code;
  return { message: e.message, name: e.name, code: typeof code === 'string' ? code : null };
}
