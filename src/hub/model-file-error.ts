// One error type for every way reading a model file can fail, so the UI can
// show the message as is and still tell the cases apart (offline, gated,
// switched off) without parsing text.

export type ModelFileErrorKind =
  | 'disabled' // hub downloads switched off in settings
  | 'offline' // the host could not be reached at all
  | 'unauthorized' // 401/403: gated or private repo
  | 'not-found' // the repo or revision does not exist (a missing *file* is null, not an error)
  | 'http' // any other HTTP status
  | 'invalid' // a bad repo id, file name or folder
  | 'interrupted'; // the connection broke mid-download

export class ModelFileError extends Error {
  readonly kind: ModelFileErrorKind;
  /** The file being read, when the error is about one file. */
  readonly file: string | null;
  /** The HTTP status, when there was a response. */
  readonly status: number | null;

  constructor(
    kind: ModelFileErrorKind,
    message: string,
    details: { file?: string; status?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ModelFileError';
    this.kind = kind;
    this.file = details.file ?? null;
    this.status = details.status ?? null;
  }
}
