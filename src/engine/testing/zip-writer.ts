// Test support: a small zip writer that can lie. It writes what APPNOTE.TXT
// describes (local headers, central directory, end record, optionally a
// zip64 end record) and lets a test override any declared field, so hostile
// archives are built in the test instead of shipped as fixture blobs. CRCs
// come from node:zlib, independent of the reader under test.
import { crc32, deflateRawSync } from 'node:zlib';

export interface RawZipEntry {
  name: string;
  data: Uint8Array;
  deflate?: boolean;
  /** Overrides of what the central directory (and local header) declare. */
  crc?: number;
  uncompressedSize?: number;
  flags?: number;
  method?: number;
}

export interface RawZipOptions {
  /** Extra central-directory entries that point at entry `of`'s local header under another name. */
  aliases?: { name: string; of: number }[];
  /** Write a zip64 end record declaring this many entries (the 32-bit record is saturated). */
  zip64Entries?: number;
  /** Overrides the entry count in the classic end record. */
  declaredEntries?: number;
}

class Bytes {
  private parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array) {
    this.parts.push(b);
    this.length += b.length;
  }
  le(n: number, width: 2 | 4 | 8) {
    const b = new Uint8Array(width);
    for (let i = 0; i < width; i++) b[i] = Math.floor(n / 2 ** (8 * i)) & 0xff;
    this.push(b);
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

export function writeRawZip(entries: RawZipEntry[], opts: RawZipOptions = {}): Uint8Array {
  const out = new Bytes();
  const enc = new TextEncoder();
  const central: { e: RawZipEntry; name: Uint8Array; body: Uint8Array; offset: number }[] = [];
  for (const e of entries) {
    const name = enc.encode(e.name);
    const body = e.deflate ? new Uint8Array(deflateRawSync(e.data)) : e.data;
    const offset = out.length;
    out.le(0x04034b50, 4);
    out.le(20, 2);
    out.le(e.flags ?? 0x0800, 2);
    out.le(e.method ?? (e.deflate ? 8 : 0), 2);
    out.le(0, 4); // time, date
    out.le(e.crc ?? crc32(e.data), 4);
    out.le(body.length, 4);
    out.le(e.uncompressedSize ?? e.data.length, 4);
    out.le(name.length, 2);
    out.le(0, 2);
    out.push(name);
    out.push(body);
    central.push({ e, name, body, offset });
  }
  for (const a of opts.aliases ?? []) {
    central.push({ ...central[a.of], name: enc.encode(a.name) });
  }
  const cdOffset = out.length;
  for (const { e, name, body, offset } of central) {
    out.le(0x02014b50, 4);
    out.le(20, 2);
    out.le(20, 2);
    out.le(e.flags ?? 0x0800, 2);
    out.le(e.method ?? (e.deflate ? 8 : 0), 2);
    out.le(0, 4);
    out.le(e.crc ?? crc32(e.data), 4);
    out.le(body.length, 4);
    out.le(e.uncompressedSize ?? e.data.length, 4);
    out.le(name.length, 2);
    out.le(0, 2); // extra
    out.le(0, 2); // comment
    out.le(0, 2); // disk
    out.le(0, 2); // internal attributes
    out.le(0, 4); // external attributes
    out.le(offset, 4);
    out.push(name);
  }
  const cdSize = out.length - cdOffset;
  if (opts.zip64Entries !== undefined) {
    const zip64At = out.length;
    out.le(0x06064b50, 4);
    out.le(44, 8);
    out.le(45, 2);
    out.le(45, 2);
    out.le(0, 4);
    out.le(0, 4);
    out.le(opts.zip64Entries, 8);
    out.le(opts.zip64Entries, 8);
    out.le(cdSize, 8);
    out.le(cdOffset, 8);
    out.le(0x07064b50, 4);
    out.le(0, 4);
    out.le(zip64At, 8);
    out.le(1, 4);
  }
  const count = opts.zip64Entries !== undefined ? 0xffff : (opts.declaredEntries ?? central.length);
  out.le(0x06054b50, 4);
  out.le(0, 2);
  out.le(0, 2);
  out.le(count, 2);
  out.le(count, 2);
  out.le(opts.zip64Entries !== undefined ? 0xffffffff : cdSize, 4);
  out.le(opts.zip64Entries !== undefined ? 0xffffffff : cdOffset, 4);
  out.le(0, 2);
  return out.concat();
}
