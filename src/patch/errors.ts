// Every way a patch file (or PEFT adapter) can be refused, as a code the UI
// can switch on plus a message it can show as-is (plain text, never HTML).

export type PatchFileErrorCode =
  | 'NOT_SAFETENSORS'
  | 'TRUNCATED'
  | 'HEADER_BEYOND_FILE'
  | 'HEADER_TOO_LARGE'
  | 'INVALID_JSON'
  | 'MISSING_TENSOR'
  | 'EXTRA_TENSOR'
  | 'WRONG_DTYPE'
  | 'BAD_SHAPE'
  | 'HIDDEN_SIZE_MISMATCH'
  | 'BASE_MISMATCH'
  | 'NON_FINITE'
  | 'CONTENT_MODIFIED'
  | 'SIGNATURE_INVALID'
  | 'MANIFEST_MISSING'
  | 'MANIFEST_INVALID'
  | 'FORMAT_TOO_NEW'
  | 'NOT_A_ZIP'
  /** A zip over the size or entry limits an adapter can need (a zip bomb, or not an adapter). */
  | 'ZIP_LIMIT'
  /** Bad CRC-32, entries sharing bytes, sizes that lie, offsets outside the file. */
  | 'ZIP_DAMAGED'
  /** Encrypted, split, or compressed with a method other than stored/deflate. */
  | 'ZIP_UNSUPPORTED'
  | 'PEFT_FILE_MISSING'
  | 'PEFT_CONFIG_INVALID'
  | 'PEFT_UNSUPPORTED';

export class PatchFileError extends Error {
  readonly code: PatchFileErrorCode;
  constructor(code: PatchFileErrorCode, message: string) {
    super(message);
    this.name = 'PatchFileError';
    this.code = code;
  }
}
