import { performance } from 'node:perf_hooks';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeRawZip } from './testing/zip-writer';
import { crc32, extractZip, listZip, ZipError, type ZipLimits } from './zip-reader';

const LIMITS: ZipLimits = { maxEntries: 100, maxEntryBytes: 1 << 20, maxTotalBytes: 2 << 20 };

function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ZipError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

const readAll = (zip: Uint8Array, limits = LIMITS) => extractZip(zip, listZip(zip, limits), limits);

describe('crc32', () => {
  it('gives the published check value for "123456789"', () => {
    // The CRC-32/ISO-HDLC check value from the CRC catalogue.
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('listZip / extractZip on well-formed archives', () => {
  it('reads what fflate writes, stored and deflated, byte for byte', () => {
    const big = new Uint8Array(100_000).map((_, i) => (i * 7) % 251);
    const zip = zipSync({
      'a/config.json': [strToU8('{"x":1}'), { level: 0 }],
      'a/weights.bin': [big, { level: 6 }],
      'empty.txt': new Uint8Array(0),
    });
    const entries = listZip(zip, LIMITS);
    expect(entries.map((e) => [e.name, e.method, e.uncompressedSize])).toEqual([
      ['a/config.json', 0, 7],
      ['a/weights.bin', 8, 100_000],
      // fflate deflates even an empty file at its default level.
      ['empty.txt', 8, 0],
    ]);
    const [config, weights, empty] = extractZip(zip, entries, LIMITS);
    expect(new TextDecoder().decode(config)).toBe('{"x":1}');
    expect(weights).toEqual(big);
    expect(empty.length).toBe(0);
  });

  it('reads what the hand-written writer makes, including a zip64 end record', () => {
    const zip = writeRawZip([{ name: 'x.txt', data: strToU8('hello'), deflate: true }], {
      zip64Entries: 1,
    });
    expect(readAll(zip).map((b) => new TextDecoder().decode(b))).toEqual(['hello']);
  });

  it('extracts only the entries asked for', () => {
    const zip = writeRawZip([
      { name: 'want', data: strToU8('yes') },
      // Declares far more than every limit, but is never asked for.
      { name: 'huge', data: strToU8('no'), uncompressedSize: 0xfffffff0 },
    ]);
    const entries = listZip(zip, LIMITS);
    expect(extractZip(zip, [entries[0]], LIMITS).map((b) => new TextDecoder().decode(b))).toEqual([
      'yes',
    ]);
  });
});

describe('listZip / extractZip on hostile archives', () => {
  it('rejects a tiny zip whose zip64 end record declares 2^24 or 2^28 entries, at once', () => {
    for (const declared of [2 ** 24, 2 ** 28]) {
      const zip = writeRawZip([{ name: 'adapter_config.json', data: strToU8('{}') }], {
        zip64Entries: declared,
      });
      expect(zip.length).toBeLessThan(700);
      const t0 = performance.now();
      expect(failure(() => listZip(zip, LIMITS))).toBe(
        `TOO_MANY_ENTRIES: the zip declares ${declared} entries; at most 100 are read`,
      );
      // Even with no count limit, the directory's real size gives the lie away before the loop.
      expect(failure(() => listZip(zip, { maxEntries: 2 ** 40 }))).toBe(
        `DAMAGED: the zip declares ${declared} entries but its central directory has room for at most 1`,
      );
      // Generous for a shared CI core; the loop over the declared count took 8 s (2^24).
      expect(performance.now() - t0).toBeLessThan(100);
    }
  });

  it('checks declared sizes, per entry and in total, before inflating anything', () => {
    const mib = new Uint8Array(1 << 20);
    const zip = writeRawZip([
      { name: 'a', data: mib, deflate: true },
      { name: 'b', data: mib, deflate: true },
      { name: 'c', data: mib, deflate: true },
    ]);
    expect(failure(() => readAll(zip, { ...LIMITS, maxEntryBytes: 1000 }))).toBe(
      'ENTRY_TOO_LARGE: "a" declares 1048576 bytes uncompressed; the limit is 1000',
    );
    expect(failure(() => readAll(zip))).toBe(
      'TOTAL_TOO_LARGE: the selected entries declare 3145728 bytes uncompressed; the limit is 2097152',
    );
  });

  it('stops a stream that inflates past its declared size, without inflating the rest', () => {
    // 64 MiB of zeros deflate to ~64 kB; the header claims 1 kB.
    const zeros = new Uint8Array(64 << 20);
    const zip = writeRawZip([{ name: 'bomb', data: zeros, deflate: true, uncompressedSize: 1024 }]);
    const t0 = performance.now();
    const msg = failure(() => readAll(zip));
    expect(msg).toBe(
      'SIZE_MISMATCH: "bomb" inflates to more than the 1024 bytes its header declares',
    );
    // Inflating all 64 MiB takes over a second here; stopping at the cap, well under.
    expect(performance.now() - t0).toBeLessThan(500);
    // A stream shorter than declared is as wrong as a longer one.
    const short = writeRawZip([
      { name: 's', data: strToU8('abc'), deflate: true, uncompressedSize: 10 },
    ]);
    expect(failure(() => readAll(short))).toBe(
      'SIZE_MISMATCH: "s" inflates to 3 bytes but its header declares 10',
    );
  });

  it('rejects central-directory entries that share one compressed stream', () => {
    const zip = writeRawZip([{ name: 'w', data: new Uint8Array(1000), deflate: true }], {
      aliases: [
        { name: 'x', of: 0 },
        { name: 'y', of: 0 },
      ],
    });
    expect(listZip(zip, LIMITS).map((e) => e.name)).toEqual(['w', 'x', 'y']);
    expect(failure(() => readAll(zip))).toMatch(/^OVERLAPPING_ENTRIES: "[wxy]" and "[wxy]" share/);
    // One of them alone is fine.
    expect(extractZip(zip, listZip(zip, LIMITS).slice(1, 2), LIMITS)[0].length).toBe(1000);
  });

  it('checks CRC-32 on stored and deflated entries: one flipped byte is refused', () => {
    const data = new Uint8Array(256).map((_, i) => i);
    for (const deflate of [false, true]) {
      const good = writeRawZip([{ name: 't', data, deflate }]);
      expect(readAll(good)[0]).toEqual(data);
      const crc = crc32(data);
      const bad = writeRawZip([{ name: 't', data, deflate, crc: crc ^ 1 }]);
      expect(failure(() => readAll(bad))).toBe(
        `CRC_MISMATCH: "t" is damaged: its CRC-32 is ${crc.toString(16).padStart(8, '0')} but the zip says ${(crc ^ 1).toString(16).padStart(8, '0')}`,
      );
    }
    // A flipped data byte (not the CRC field) in a stored entry.
    const zip = writeRawZip([{ name: 't', data }]);
    zip[30 + 1 + 100] ^= 0x40;
    expect(failure(() => readAll(zip))).toMatch(/^CRC_MISMATCH: "t" is damaged/);
  });

  it('names what it does not read: encryption, other methods, garbage, bad offsets', () => {
    const enc = writeRawZip([{ name: 'e', data: strToU8('x'), flags: 1 }]);
    expect(failure(() => readAll(enc))).toBe('UNSUPPORTED: "e" is encrypted');
    const lzma = writeRawZip([{ name: 'l', data: strToU8('x'), method: 14 }]);
    expect(failure(() => readAll(lzma))).toBe(
      'UNSUPPORTED: "l" uses compression method 14; only stored and deflate are read',
    );
    expect(failure(() => listZip(strToU8('not a zip at all'), LIMITS))).toBe(
      'NOT_A_ZIP: no end-of-central-directory record (not a zip file)',
    );
    const zip = writeRawZip([{ name: 'a', data: strToU8('abc') }]);
    // Central directory offset (end record +16) pointing past the file.
    const moved = zip.slice();
    moved[zip.length - 6] = 0xff;
    expect(failure(() => listZip(moved, LIMITS))).toMatch(/^DAMAGED: the central directory/);
    // A declared count the directory cannot hold.
    const counted = writeRawZip([{ name: 'a', data: strToU8('abc') }], { declaredEntries: 9 });
    expect(failure(() => listZip(counted, LIMITS))).toMatch(/^DAMAGED: the zip declares 9 entries/);
    // Bytes cut from the middle: the local header is no longer where the directory says.
    const cut = new Uint8Array([...zip.subarray(0, 10), ...zip.subarray(20)]);
    expect(failure(() => readAll(cut))).toMatch(/^DAMAGED/);
  });
});
