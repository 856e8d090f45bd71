// A zip reader for untrusted archives. fflate's unzipSync trusts the archive:
// it loops over the entry count the end record declares (a 665-byte file can
// declare 2^28 entries), inflates every selected entry in full before anyone
// can look at what was inside, lets several central-directory entries point
// at one compressed stream (a zip bomb's multiplier), and never checks CRC-32.
// So reading is split in two steps, each validating before it allocates:
//
//   listZip      reads only the central directory: entry count checked against
//                the directory's real size before looping, names and sizes as
//                declared. The caller decides from this what it wants.
//   extractZip   inflates the chosen entries only after checking their declared
//                sizes against the limits and that no two share bytes; while
//                inflating, the real output is capped at the declared size (a
//                lying header stops there) and each result's CRC-32 and length
//                must match the directory.
//
// Only stored (0) and deflate (8) entries are read; encryption, multi-disk
// archives and other methods are refused by name.

import { Inflate } from 'fflate';

export type ZipErrorCode =
  /** No end-of-central-directory record, or structure that no zip writer makes. */
  | 'NOT_A_ZIP'
  /** Points outside the file, overlaps itself, or disagrees with itself. */
  | 'DAMAGED'
  /** Encrypted, multi-disk, or a compression method other than stored/deflate. */
  | 'UNSUPPORTED'
  | 'TOO_MANY_ENTRIES'
  | 'ENTRY_TOO_LARGE'
  | 'TOTAL_TOO_LARGE'
  /** Two entries share compressed bytes (the multiplier of a zip bomb). */
  | 'OVERLAPPING_ENTRIES'
  /** The entry inflates to more or fewer bytes than its header declares. */
  | 'SIZE_MISMATCH'
  | 'CRC_MISMATCH';

export class ZipError extends Error {
  constructor(
    readonly code: ZipErrorCode,
    message: string,
    /** The entry at fault, when one is. */
    readonly entry: string | null = null,
  ) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipLimits {
  /** Entries in the central directory, counted before any is read. */
  maxEntries: number;
  /** Uncompressed bytes of one extracted entry (a function for per-entry limits). */
  maxEntryBytes: number | ((entry: ZipEntry) => number);
  /** Uncompressed bytes of all entries extracted by one extractZip call. */
  maxTotalBytes: number;
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate; anything else is refused on extraction. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_FIXED = 46;
const LOCAL_FIXED = 30;
const MAX_COMMENT = 0xffff;
/**
 * Deflate expands at most ~1032:1. Feeding the inflater at most
 * (room left + SLACK) / 1032 compressed bytes per step keeps one step's
 * output within what the entry may still write plus SLACK, so a lying header
 * costs at most SLACK of transient memory. Steps are kept large otherwise:
 * fflate copies its window on every push.
 */
const MAX_DEFLATE_RATIO = 1032;
const SLACK = 8 * 1024 * 1024;
const MIN_STEP = Math.floor(SLACK / MAX_DEFLATE_RATIO);
const MAX_STEP = 1024 * 1024;

const names = new TextDecoder('utf-8');

function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
/** Beyond 2^53 the value is imprecise, but then it is far over every limit anyway. */
function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 2 ** 32;
}

function findEndRecord(bytes: Uint8Array): number {
  const last = bytes.length - EOCD_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  for (let at = last; at >= first; at--) {
    // The comment length must reach exactly to the end of the file; this
    // rejects a signature that happens to occur inside a comment or data.
    if (u32(bytes, at) === EOCD_SIG && at + EOCD_SIZE + u16(bytes, at + 20) === bytes.length) {
      return at;
    }
  }
  throw new ZipError('NOT_A_ZIP', 'no end-of-central-directory record (not a zip file)');
}

interface Directory {
  offset: number;
  size: number;
  entries: number;
  /** Where the directory must end: the zip64 end record or the end record. */
  limit: number;
}

function readDirectoryLocation(bytes: Uint8Array): Directory {
  const eocd = findEndRecord(bytes);
  if (u16(bytes, eocd + 4) !== 0 || u16(bytes, eocd + 6) !== 0) {
    throw new ZipError('UNSUPPORTED', 'a multi-disk (split) zip archive');
  }
  let entries = u16(bytes, eocd + 10);
  let size = u32(bytes, eocd + 12);
  let offset = u32(bytes, eocd + 16);
  let limit = eocd;
  const locator = eocd - 20;
  if (locator >= 0 && u32(bytes, locator) === ZIP64_LOCATOR_SIG) {
    const at = u64(bytes, locator + 8);
    if (at + 56 > locator || u32(bytes, at) !== ZIP64_EOCD_SIG) {
      throw new ZipError('DAMAGED', 'the zip64 end record is missing or outside the file');
    }
    entries = u64(bytes, at + 32);
    size = u64(bytes, at + 40);
    offset = u64(bytes, at + 48);
    limit = at;
  }
  if (offset + size > limit) {
    throw new ZipError(
      'DAMAGED',
      `the central directory (${size} bytes at offset ${offset}) lies outside the file`,
    );
  }
  return { offset, size, entries, limit };
}

/**
 * The central directory's entries, as declared. Reads nothing but the
 * directory, so its cost is bounded by the directory's real size.
 */
export function listZip(bytes: Uint8Array, limits: Pick<ZipLimits, 'maxEntries'>): ZipEntry[] {
  const dir = readDirectoryLocation(bytes);
  if (dir.entries > limits.maxEntries) {
    throw new ZipError(
      'TOO_MANY_ENTRIES',
      `the zip declares ${dir.entries} entries; at most ${limits.maxEntries} are read`,
    );
  }
  // Each entry takes at least 46 bytes, so a declared count the directory
  // cannot hold is a lie, caught before the loop instead of after 2^28 turns.
  if (dir.entries * CENTRAL_FIXED > dir.size) {
    throw new ZipError(
      'DAMAGED',
      `the zip declares ${dir.entries} entries but its central directory has room for at most ${Math.floor(dir.size / CENTRAL_FIXED)}`,
    );
  }
  const end = dir.offset + dir.size;
  const out: ZipEntry[] = [];
  let at = dir.offset;
  for (let i = 0; i < dir.entries; i++) {
    if (at + CENTRAL_FIXED > end || u32(bytes, at) !== CENTRAL_SIG) {
      throw new ZipError('DAMAGED', `central directory entry ${i + 1} is missing or damaged`);
    }
    const flags = u16(bytes, at + 8);
    const nameLen = u16(bytes, at + 28);
    const extraLen = u16(bytes, at + 30);
    const commentLen = u16(bytes, at + 32);
    const next = at + CENTRAL_FIXED + nameLen + extraLen + commentLen;
    if (next > end) {
      throw new ZipError('DAMAGED', `central directory entry ${i + 1} runs past the directory`);
    }
    const name = names.decode(bytes.subarray(at + CENTRAL_FIXED, at + CENTRAL_FIXED + nameLen));
    let compressedSize = u32(bytes, at + 20);
    let uncompressedSize = u32(bytes, at + 24);
    let localHeaderOffset = u32(bytes, at + 42);
    const disk = u16(bytes, at + 34);
    // The zip64 extra field holds, in this order, the 64-bit forms of exactly
    // those fields whose 32-bit slot is saturated.
    const extraStart = at + CENTRAL_FIXED + nameLen;
    for (let x = extraStart; x + 4 <= extraStart + extraLen; ) {
      const id = u16(bytes, x);
      const len = u16(bytes, x + 2);
      if (x + 4 + len > extraStart + extraLen) {
        throw new ZipError('DAMAGED', `"${name}" has a damaged extra field`, name);
      }
      if (id === 0x0001) {
        let p = x + 4;
        const take = () => {
          if (p + 8 > x + 4 + len) {
            throw new ZipError('DAMAGED', `"${name}" has a short zip64 extra field`, name);
          }
          const v = u64(bytes, p);
          p += 8;
          return v;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      x += 4 + len;
    }
    if (disk !== 0 && disk !== 0xffff) {
      throw new ZipError('UNSUPPORTED', `"${name}" lies on another disk of a split archive`, name);
    }
    out.push({
      name,
      method: u16(bytes, at + 10),
      flags,
      crc32: u32(bytes, at + 16),
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
    });
    at = next;
  }
  return out;
}

interface Located {
  entry: ZipEntry;
  dataStart: number;
  dataEnd: number;
}

function locate(bytes: Uint8Array, e: ZipEntry, directoryOffset: number): Located {
  const at = e.localHeaderOffset;
  if (at + LOCAL_FIXED > directoryOffset || u32(bytes, at) !== LOCAL_SIG) {
    throw new ZipError('DAMAGED', `"${e.name}": its local header is missing or damaged`, e.name);
  }
  const dataStart = at + LOCAL_FIXED + u16(bytes, at + 26) + u16(bytes, at + 28);
  const dataEnd = dataStart + e.compressedSize;
  if (dataEnd > directoryOffset) {
    throw new ZipError('DAMAGED', `"${e.name}": its data runs past the end of the file`, e.name);
  }
  return { entry: e, dataStart, dataEnd };
}

/**
 * Inflates the given entries (from listZip of the same bytes), in order.
 * Every check that needs no inflating runs for all of them first.
 */
export function extractZip(
  bytes: Uint8Array,
  entries: readonly ZipEntry[],
  limits: Omit<ZipLimits, 'maxEntries'>,
): Uint8Array[] {
  const dir = readDirectoryLocation(bytes);
  let total = 0;
  for (const e of entries) {
    if (e.flags & 1) {
      throw new ZipError('UNSUPPORTED', `"${e.name}" is encrypted`, e.name);
    }
    if (e.method !== 0 && e.method !== 8) {
      throw new ZipError(
        'UNSUPPORTED',
        `"${e.name}" uses compression method ${e.method}; only stored and deflate are read`,
        e.name,
      );
    }
    const max =
      typeof limits.maxEntryBytes === 'number' ? limits.maxEntryBytes : limits.maxEntryBytes(e);
    if (e.uncompressedSize > max) {
      throw new ZipError(
        'ENTRY_TOO_LARGE',
        `"${e.name}" declares ${e.uncompressedSize} bytes uncompressed; the limit is ${max}`,
        e.name,
      );
    }
    total += e.uncompressedSize;
  }
  if (total > limits.maxTotalBytes) {
    throw new ZipError(
      'TOTAL_TOO_LARGE',
      `the selected entries declare ${total} bytes uncompressed; the limit is ${limits.maxTotalBytes}`,
    );
  }
  const located = entries.map((e) => locate(bytes, e, dir.offset));
  const byStart = [...located].sort(
    (a, b) => a.entry.localHeaderOffset - b.entry.localHeaderOffset,
  );
  for (let i = 1; i < byStart.length; i++) {
    if (byStart[i].entry.localHeaderOffset < byStart[i - 1].dataEnd) {
      throw new ZipError(
        'OVERLAPPING_ENTRIES',
        `"${byStart[i].entry.name}" and "${byStart[i - 1].entry.name}" share the same bytes; a well-formed zip never does`,
        byStart[i].entry.name,
      );
    }
  }
  return located.map(readEntry.bind(null, bytes));
}

function readEntry(bytes: Uint8Array, { entry: e, dataStart, dataEnd }: Located): Uint8Array {
  const data = bytes.subarray(dataStart, dataEnd);
  let out: Uint8Array;
  if (e.method === 0) {
    if (e.compressedSize !== e.uncompressedSize) {
      throw new ZipError(
        'SIZE_MISMATCH',
        `"${e.name}" is stored uncompressed but declares ${e.compressedSize} stored and ${e.uncompressedSize} uncompressed bytes`,
        e.name,
      );
    }
    out = data.slice();
  } else {
    out = inflateCapped(data, e);
  }
  const crc = crc32(out);
  if (crc !== e.crc32) {
    throw new ZipError(
      'CRC_MISMATCH',
      `"${e.name}" is damaged: its CRC-32 is ${hex(crc)} but the zip says ${hex(e.crc32)}`,
      e.name,
    );
  }
  return out;
}

/** Inflates into a buffer of the declared size; a stream that would write past it stops there. */
function inflateCapped(data: Uint8Array, e: ZipEntry): Uint8Array {
  const out = new Uint8Array(e.uncompressedSize);
  let written = 0;
  let ended = false;
  const tooLong = () =>
    new ZipError(
      'SIZE_MISMATCH',
      `"${e.name}" inflates to more than the ${e.uncompressedSize} bytes its header declares`,
      e.name,
    );
  const inflater = new Inflate((chunk, final) => {
    if (written + chunk.length > out.length) throw tooLong();
    out.set(chunk, written);
    written += chunk.length;
    if (final) ended = true;
  });
  try {
    if (data.length === 0) inflater.push(data, true);
    for (let at = 0; at < data.length; ) {
      const room = Math.floor((out.length - written + SLACK) / MAX_DEFLATE_RATIO);
      const end = Math.min(at + Math.max(MIN_STEP, Math.min(MAX_STEP, room)), data.length);
      inflater.push(data.subarray(at, end), end === data.length);
      at = end;
    }
  } catch (err) {
    if (err instanceof ZipError) throw err;
    throw new ZipError(
      'DAMAGED',
      `"${e.name}" is not valid deflate data (${err instanceof Error ? err.message : String(err)})`,
      e.name,
    );
  }
  if (!ended || written !== out.length) {
    throw new ZipError(
      'SIZE_MISMATCH',
      `"${e.name}" inflates to ${written} bytes but its header declares ${e.uncompressedSize}`,
      e.name,
    );
  }
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as zip (and PNG, gzip) define it: reflected polynomial 0xEDB88320. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const hex = (n: number) => n.toString(16).padStart(8, '0');
