// Reading and writing the safetensors format (https://github.com/huggingface/safetensors):
//   [u64 LE header length N][N bytes of JSON header][data section]
// The header maps tensor names to { dtype, shape, data_offsets: [begin, end] }
// (offsets relative to the data section) plus an optional "__metadata__"
// string→string map. Model checkpoints and patch files both use it, and both
// come from untrusted places (the hub, a user's disk), so every field is
// validated before a byte of tensor data is touched.

export type SafetensorsErrorCode =
  | 'TRUNCATED'
  | 'HEADER_BEYOND_FILE'
  | 'HEADER_TOO_LARGE'
  | 'INVALID_JSON'
  | 'BAD_ENTRY'
  | 'UNSUPPORTED_DTYPE'
  | 'DATA_OUT_OF_RANGE'
  | 'DATA_NOT_CONTIGUOUS'
  | 'NON_FINITE';

export class SafetensorsError extends Error {
  readonly code: SafetensorsErrorCode;
  constructor(code: SafetensorsErrorCode, message: string) {
    super(message);
    this.name = 'SafetensorsError';
    this.code = code;
  }
}

export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  /** Absolute byte offsets in the file (data-section offset already added). */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  tensors: Map<string, SafetensorsEntry>;
  metadata: Record<string, string> | null;
  headerLength: number;
}

/** Bytes per element of every dtype the format defines, so sizes of any file can be checked. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

const DEFAULT_MAX_HEADER_BYTES = 100 * 1024 * 1024;

function where(fileName: string | undefined): string {
  return fileName ? `safetensors file "${fileName}"` : 'safetensors file';
}

/**
 * Parses and validates the header. Does not copy tensor data; `bytes` may be
 * just the first 8 + headerLength bytes when only the header is wanted, in
 * which case pass the full file size via `fileSize` so offsets are checked
 * against the real file.
 */
export function parseSafetensorsHeader(
  bytes: Uint8Array,
  opts: { fileName?: string; maxHeaderBytes?: number; fileSize?: number } = {},
): SafetensorsHeader {
  const file = where(opts.fileName);
  const fileSize = opts.fileSize ?? bytes.byteLength;
  const maxHeader = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (bytes.byteLength < 8) {
    throw new SafetensorsError(
      'TRUNCATED',
      `${file} is truncated: ${bytes.byteLength} bytes, fewer than the 8-byte header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLengthBig = view.getBigUint64(0, true);
  if (headerLengthBig > BigInt(maxHeader)) {
    throw new SafetensorsError(
      'HEADER_TOO_LARGE',
      `${file} declares a ${headerLengthBig}-byte header, more than the ${maxHeader}-byte limit`,
    );
  }
  const headerLength = Number(headerLengthBig);
  if (8 + headerLength > fileSize) {
    throw new SafetensorsError(
      'HEADER_BEYOND_FILE',
      `${file} declares a ${headerLength}-byte header but the file has only ${fileSize - 8} bytes after the length`,
    );
  }
  if (8 + headerLength > bytes.byteLength) {
    throw new SafetensorsError(
      'TRUNCATED',
      `${file}: only ${bytes.byteLength} bytes given, the header needs ${8 + headerLength}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch (e) {
    throw new SafetensorsError(
      'INVALID_JSON',
      `${file} has a header that is not valid UTF-8 JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SafetensorsError('INVALID_JSON', `${file} has a header that is not a JSON object`);
  }

  const dataStart = 8 + headerLength;
  const dataSize = fileSize - dataStart;
  const tensors = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> | null = null;

  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(raw, file);
      continue;
    }
    const bad = (why: string) =>
      new SafetensorsError('BAD_ENTRY', `${file}, tensor "${name}": ${why}`);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw bad('entry is not an object');
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (typeof dtype !== 'string') throw bad('missing "dtype" string');
    const elemBytes = DTYPE_BYTES[dtype];
    if (elemBytes === undefined) {
      throw new SafetensorsError(
        'UNSUPPORTED_DTYPE',
        `${file}, tensor "${name}": unknown dtype "${dtype}"`,
      );
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw bad('"shape" must be an array of non-negative integers');
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      throw bad('"data_offsets" must be [begin, end] with 0 <= begin <= end');
    }
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    const expected = numel * elemBytes;
    const [b, e] = offsets as [number, number];
    if (e - b !== expected) {
      throw bad(
        `data_offsets span ${e - b} bytes but ${dtype} shape [${shape.join(', ')}] needs ${expected}`,
      );
    }
    if (e > dataSize) {
      throw new SafetensorsError(
        'DATA_OUT_OF_RANGE',
        `${file}, tensor "${name}": data ends at byte ${e} of the data section, which has only ${dataSize} bytes`,
      );
    }
    tensors.set(name, {
      dtype,
      shape: [...(shape as number[])],
      begin: dataStart + b,
      end: dataStart + e,
    });
  }

  checkContiguous(tensors, dataStart, dataSize, file);
  return { tensors, metadata, headerLength };
}

/**
 * The format's reference reader requires the tensors to tile the data section
 * exactly: sorted by offset, the first begins at 0, each begins where the one
 * before ends, and the last ends at the end of the file. Anything else means a
 * wrong header length (every tensor shifted by a few bytes still "fits" and
 * loads as garbage), overlapping tensors (one write would alias another) or
 * bytes nobody accounts for. A zero-length tensor sorts before a tensor that
 * starts at the same offset, so sharing an offset is not an overlap.
 */
function checkContiguous(
  tensors: Map<string, SafetensorsEntry>,
  dataStart: number,
  dataSize: number,
  file: string,
): void {
  const sorted = [...tensors.entries()].sort(
    (x, y) => x[1].begin - y[1].begin || x[1].end - y[1].end,
  );
  let at = 0;
  let prevName: string | null = null;
  for (const [name, entry] of sorted) {
    const begin = entry.begin - dataStart;
    if (begin < at) {
      throw new SafetensorsError(
        'BAD_ENTRY',
        `${file}, tensor "${name}": data overlaps tensor "${prevName}"`,
      );
    }
    if (begin > at) {
      throw new SafetensorsError(
        'DATA_NOT_CONTIGUOUS',
        `${file}, tensor "${name}": data starts at byte ${begin} of the data section but ${
          prevName === null
            ? 'the first tensor must start at 0'
            : `tensor "${prevName}" ends at ${at}`
        } (a wrong header length or unaccounted bytes)`,
      );
    }
    at = entry.end - dataStart;
    prevName = name;
  }
  if (at !== dataSize) {
    throw new SafetensorsError(
      'DATA_NOT_CONTIGUOUS',
      `${file}: the tensors end at byte ${at} of the data section but it has ${dataSize} bytes (a wrong header length or trailing bytes)`,
    );
  }
}

function parseMetadata(raw: unknown, file: string): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SafetensorsError('BAD_ENTRY', `${file}: "__metadata__" is not an object`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string') {
      throw new SafetensorsError(
        'BAD_ENTRY',
        `${file}: "__metadata__" value for "${k}" is not a string`,
      );
    }
    out[k] = v;
  }
  return out;
}

/** bf16 is the top half of an f32: shift into place. Returns the index of the first NaN/Inf, or -1. */
function bf16ToF32(src: Uint16Array, dst: Float32Array): number {
  const dstBits = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
  let firstBad = -1;
  for (let i = 0; i < src.length; i++) {
    const h = src[i];
    // All-ones exponent: Inf or NaN.
    if (firstBad < 0 && (h & 0x7f80) === 0x7f80) firstBad = i;
    dstBits[i] = h << 16;
  }
  return firstBad;
}

// Lookup-free IEEE half → single conversion (handles subnormals, inf, NaN).
function f16ToF32(src: Uint16Array, dst: Float32Array): number {
  let firstBad = -1;
  for (let i = 0; i < src.length; i++) {
    const h = src[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) dst[i] = sign * frac * 2 ** -24;
    else if (exp === 31) {
      if (firstBad < 0) firstBad = i;
      dst[i] = frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    } else dst[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return firstBad;
}

/** Index of the first NaN/Inf in f32 data, read as bits (an integer test, no float compare). */
function firstNonFiniteF32(values: Float32Array): number {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < bits.length; i++) if ((bits[i] & 0x7f800000) === 0x7f800000) return i;
  return -1;
}

export interface ReadTensorOptions {
  /**
   * Throw NON_FINITE on a NaN or ±Inf, found during the conversion itself. A
   * model weight that is not finite can only give NaN logits, so the loader
   * refuses it here rather than after upload.
   */
  requireFinite?: boolean;
}

/**
 * Decodes one tensor to a fresh Float32Array (F32, F16, BF16). Always copies,
 * so the result is independent of `bytes` and aligned whatever the offset.
 * Assumes a little-endian host (every browser and Node platform we target).
 */
export function readTensorFloat32(
  bytes: Uint8Array,
  entry: SafetensorsEntry,
  name = '(unnamed)',
  opts: ReadTensorOptions = {},
): Float32Array {
  if (entry.end > bytes.byteLength || entry.begin > entry.end) {
    throw new SafetensorsError(
      'DATA_OUT_OF_RANGE',
      `tensor "${name}": bytes ${entry.begin}..${entry.end} lie outside the ${bytes.byteLength}-byte buffer`,
    );
  }
  const n = entry.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const raw = bytes.subarray(entry.begin, entry.end);
  let firstBad: number;
  switch (entry.dtype) {
    case 'F32':
      new Uint8Array(out.buffer).set(raw);
      firstBad = opts.requireFinite ? firstNonFiniteF32(out) : -1;
      break;
    case 'F16':
    case 'BF16': {
      // Copy into an aligned buffer first: a Uint16Array view needs an even offset.
      const aligned = new Uint16Array(n);
      new Uint8Array(aligned.buffer).set(raw);
      firstBad = entry.dtype === 'F16' ? f16ToF32(aligned, out) : bf16ToF32(aligned, out);
      break;
    }
    default:
      throw new SafetensorsError(
        'UNSUPPORTED_DTYPE',
        `tensor "${name}": dtype ${entry.dtype} cannot be read as float32 (supported: F32, F16, BF16)`,
      );
  }
  if (opts.requireFinite && firstBad >= 0) {
    throw new SafetensorsError(
      'NON_FINITE',
      `tensor "${name}" holds ${out[firstBad]} at flat index ${firstBad}; weights must be finite numbers`,
    );
  }
  return out;
}

/**
 * Writes F32 tensors. Like the Python library, tensors are laid out in name
 * order, the header is padded with spaces to a multiple of 8 bytes (so the
 * data section is 8-byte aligned), and "__metadata__" comes first.
 */
export function writeSafetensors(
  tensors: { name: string; shape: number[]; data: Float32Array }[],
  metadata?: Record<string, string>,
): Uint8Array {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const seen = new Set<string>();
  for (const t of sorted) {
    if (t.name === '__metadata__')
      throw new Error('writeSafetensors: "__metadata__" is reserved, not a tensor name');
    if (seen.has(t.name)) throw new Error(`writeSafetensors: duplicate tensor name "${t.name}"`);
    seen.add(t.name);
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (numel !== t.data.length) {
      throw new Error(
        `writeSafetensors: tensor "${t.name}" has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${numel}`,
      );
    }
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + numel * 4] };
    offset += numel * 4;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let pos = 8 + padded;
  for (const t of sorted) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}
