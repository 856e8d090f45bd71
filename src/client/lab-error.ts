import type { ErrorInfo } from '../protocol/messages';

/**
 * A failure reported by the lab worker, rebuilt on the page with the name
 * and code the domain error had in the worker (e.g. PatchFileError /
 * CONTENT_MODIFIED), so callers can branch on `code` instead of the text.
 */
export class LabError extends Error {
  readonly code: string | null;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
    this.code = info.code;
  }
}
