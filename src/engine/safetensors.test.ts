import { describe, expect, it } from 'vitest';
import {
  parseSafetensorsHeader,
  readTensorFloat32,
  SafetensorsError,
  writeSafetensors,
} from './safetensors';

/** Builds a file by hand from a header object and raw data bytes, independent of writeSafetensors. */
function rawFile(header: unknown, data: Uint8Array, headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function u16Bytes(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    v.setUint16(i * 2, x, true);
  });
  return out;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SafetensorsError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('writeSafetensors / parse / read round trip', () => {
  it('round-trips values, shapes and metadata, with names sorted and an 8-aligned header', () => {
    const b = new Float32Array([1.5, -2.25, 3, 4, 5, 6]);
    const a = new Float32Array([0.1]);
    const bytes = writeSafetensors(
      [
        { name: 'b', shape: [2, 3], data: b },
        { name: 'a', shape: [1], data: a },
      ],
      { format: 'pt', note: 'hi' },
    );
    const h = parseSafetensorsHeader(bytes, { fileName: 'x.safetensors' });
    expect(h.headerLength % 8).toBe(0);
    expect(h.metadata).toEqual({ format: 'pt', note: 'hi' });
    expect([...h.tensors.keys()]).toEqual(['a', 'b']);
    const ea = h.tensors.get('a')!;
    const eb = h.tensors.get('b')!;
    // "a" sorts first so its data starts the data section.
    expect(ea.begin).toBe(8 + h.headerLength);
    expect(eb.begin).toBe(ea.end);
    expect(eb.shape).toEqual([2, 3]);
    expect(Array.from(readTensorFloat32(bytes, eb, 'b'))).toEqual(Array.from(b));
    expect(readTensorFloat32(bytes, ea, 'a')[0]).toBeCloseTo(0.1, 7);
    // Padding is spaces (like the Python library), and the JSON before it is complete.
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + h.headerLength));
    const json = text.trimEnd();
    expect(/^ *$/.test(text.slice(json.length))).toBe(true);
    expect(Object.keys(JSON.parse(json))).toEqual(['__metadata__', 'a', 'b']);
  });

  it('reads tensors at unaligned offsets (copying) and without metadata', () => {
    // F32 tensor placed at an odd offset inside the data section via a 1-byte U8 tensor before it.
    const data = new Uint8Array(1 + 8);
    data[0] = 7;
    new DataView(data.buffer).setFloat32(1, 2.5, true);
    new DataView(data.buffer).setFloat32(5, -1, true);
    const file = rawFile(
      {
        pad: { dtype: 'U8', shape: [1], data_offsets: [0, 1] },
        w: { dtype: 'F32', shape: [2], data_offsets: [1, 9] },
      },
      data,
    );
    const h = parseSafetensorsHeader(file);
    expect(h.metadata).toBeNull();
    expect(Array.from(readTensorFloat32(file, h.tensors.get('w')!, 'w'))).toEqual([2.5, -1]);
  });
});

describe('half-precision decoding', () => {
  it('decodes F16 bit patterns to hand-computed values', () => {
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x3555, 0x7c00, 0x8000, 0x0400];
    const expected = [
      1,
      -2,
      65504,
      2 ** -24,
      0.333251953125,
      Number.POSITIVE_INFINITY,
      -0,
      2 ** -14,
    ];
    const file = rawFile(
      { h: { dtype: 'F16', shape: [8], data_offsets: [0, 16] } },
      u16Bytes(bits),
    );
    const h = parseSafetensorsHeader(file);
    const got = readTensorFloat32(file, h.tensors.get('h')!, 'h');
    expect(Array.from(got)).toEqual(expected);
    expect(Object.is(got[6], -0)).toBe(true);
  });

  it('decodes BF16 bit patterns to hand-computed values', () => {
    // 0x4049 → 0x40490000 = 3.140625 (pi truncated); 0xbf80 → -1; 0x3e80 → 0.25.
    const bits = [0x3f80, 0x4049, 0xbf80, 0x3e80, 0x0000];
    const file = rawFile(
      { h: { dtype: 'BF16', shape: [5], data_offsets: [0, 10] } },
      u16Bytes(bits),
    );
    const h = parseSafetensorsHeader(file);
    expect(Array.from(readTensorFloat32(file, h.tensors.get('h')!, 'h'))).toEqual([
      1, 3.140625, -1, 0.25, 0,
    ]);
  });
});

describe('validation errors', () => {
  const ok = { t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };

  it('TRUNCATED: fewer than 8 bytes', () => {
    expect(
      codeOf(() => parseSafetensorsHeader(new Uint8Array(5), { fileName: 'm.safetensors' })),
    ).toMatch(/^TRUNCATED: safetensors file "m.safetensors" is truncated: 5 bytes/);
  });

  it('HEADER_BEYOND_FILE: header length past the end', () => {
    const f = rawFile(ok, new Uint8Array(8));
    new DataView(f.buffer).setBigUint64(0, BigInt(f.length), true);
    expect(codeOf(() => parseSafetensorsHeader(f, { fileName: 'm.safetensors' }))).toMatch(
      /^HEADER_BEYOND_FILE: .*"m.safetensors"/,
    );
  });

  it('HEADER_TOO_LARGE: header over the bound', () => {
    const f = rawFile(ok, new Uint8Array(8));
    expect(codeOf(() => parseSafetensorsHeader(f, { maxHeaderBytes: 10 }))).toMatch(
      /^HEADER_TOO_LARGE: .*10-byte limit/,
    );
    new DataView(f.buffer).setBigUint64(0, 2n ** 60n, true);
    expect(codeOf(() => parseSafetensorsHeader(f))).toMatch(/^HEADER_TOO_LARGE/);
  });

  it('INVALID_JSON: not JSON, or not an object', () => {
    expect(
      codeOf(() => parseSafetensorsHeader(rawFile(null, new Uint8Array(0), '{"t": '))),
    ).toMatch(/^INVALID_JSON: .*not valid UTF-8 JSON/);
    expect(codeOf(() => parseSafetensorsHeader(rawFile([1, 2], new Uint8Array(0))))).toMatch(
      /^INVALID_JSON: .*not a JSON object/,
    );
  });

  it('BAD_ENTRY: size mismatch, bad shape, bad offsets, overlap, bad metadata — naming the tensor', () => {
    const parse = (header: unknown, n = 16) =>
      codeOf(() => parseSafetensorsHeader(rawFile(header, new Uint8Array(n)), { fileName: 'f' }));
    expect(parse({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } })).toMatch(
      /^BAD_ENTRY: safetensors file "f", tensor "w": data_offsets span 8 bytes but F32 shape \[3\] needs 12/,
    );
    expect(parse({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 8] } })).toMatch(
      /^BAD_ENTRY: .*"w": "shape"/,
    );
    expect(parse({ w: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } })).toMatch(
      /^BAD_ENTRY: .*"w": "data_offsets"/,
    );
    expect(parse({ w: { shape: [2], data_offsets: [0, 8] } })).toMatch(
      /^BAD_ENTRY: .*"w": missing "dtype"/,
    );
    expect(
      parse({
        a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
      }),
    ).toMatch(/^BAD_ENTRY: .*tensor "b": data overlaps tensor "a"/);
    expect(parse({ __metadata__: { k: 1 }, ...ok })).toMatch(
      /^BAD_ENTRY: .*"__metadata__" value for "k"/,
    );
  });

  it('UNSUPPORTED_DTYPE: unknown dtype at parse, integer dtype at read', () => {
    expect(
      codeOf(() =>
        parseSafetensorsHeader(
          rawFile({ w: { dtype: 'Q4', shape: [2], data_offsets: [0, 1] } }, new Uint8Array(1)),
        ),
      ),
    ).toMatch(/^UNSUPPORTED_DTYPE: .*tensor "w": unknown dtype "Q4"/);
    const f = rawFile(
      { ids: { dtype: 'I32', shape: [2], data_offsets: [0, 8] } },
      new Uint8Array(8),
    );
    const h = parseSafetensorsHeader(f);
    expect(codeOf(() => readTensorFloat32(f, h.tensors.get('ids')!, 'ids'))).toMatch(
      /^UNSUPPORTED_DTYPE: tensor "ids": dtype I32 cannot be read as float32/,
    );
  });

  it('DATA_NOT_CONTIGUOUS: a header length off by one, a gap, a first tensor not at 0, trailing bytes', () => {
    // Header padded with one trailing space, as the Python library pads it.
    const values = new Float32Array([1.5, -2]);
    const good = rawFile(ok, new Uint8Array(values.buffer), `${JSON.stringify(ok)} `);
    expect(
      Array.from(readTensorFloat32(good, parseSafetensorsHeader(good).tensors.get('t')!)),
    ).toEqual([1.5, -2]);
    // One byte short: the JSON still parses (the padding space is cut), and
    // every tensor would start a byte early and read shifted bytes.
    const short = good.slice();
    const n = Number(new DataView(short.buffer).getBigUint64(0, true));
    new DataView(short.buffer).setBigUint64(0, BigInt(n - 1), true);
    expect(codeOf(() => parseSafetensorsHeader(short, { fileName: 'm' }))).toBe(
      'DATA_NOT_CONTIGUOUS: safetensors file "m": the tensors end at byte 8 of the data section but it has 9 bytes (a wrong header length or trailing bytes)',
    );
    const parse = (header: unknown, n = 8) =>
      codeOf(() => parseSafetensorsHeader(rawFile(header, new Uint8Array(n)), { fileName: 'f' }));
    expect(parse(ok, 9)).toMatch(/^DATA_NOT_CONTIGUOUS: .*end at byte 8 .* has 9 bytes/);
    expect(parse({ t: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } })).toMatch(
      /^DATA_NOT_CONTIGUOUS: .*tensor "t": data starts at byte 4 .*the first tensor must start at 0/,
    );
    expect(
      parse(
        {
          a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
        },
        12,
      ),
    ).toMatch(/^DATA_NOT_CONTIGUOUS: .*tensor "b": data starts at byte 8 .*tensor "a" ends at 4/);
    // No tensors at all, but data bytes: also unaccounted.
    expect(parse({}, 4)).toMatch(/^DATA_NOT_CONTIGUOUS: .*end at byte 0 .* has 4 bytes/);
  });

  it('a zero-length tensor sharing an offset with another is not an overlap', () => {
    const f = rawFile(
      {
        // Listed after the tensor it shares offset 0 with, so sorting by begin
        // alone would put it second and call it overlapping.
        w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        empty: { dtype: 'F32', shape: [0, 3], data_offsets: [0, 0] },
        tail: { dtype: 'F32', shape: [0], data_offsets: [8, 8] },
      },
      new Uint8Array(8),
    );
    const h = parseSafetensorsHeader(f);
    expect([...h.tensors.keys()]).toEqual(['w', 'empty', 'tail']);
    expect(readTensorFloat32(f, h.tensors.get('empty')!).length).toBe(0);
  });

  it('NON_FINITE: found while converting F32, F16 and BF16, only when asked', () => {
    const f32 = new Float32Array([1, Number.NaN]);
    const cases: [string, Uint8Array, string][] = [
      ['F32', new Uint8Array(f32.buffer), 'NaN at flat index 1'],
      ['F16', u16Bytes([0x3c00, 0xfc00]), '-Infinity at flat index 1'],
      ['BF16', u16Bytes([0x7f80, 0x3f80]), 'Infinity at flat index 0'],
    ];
    for (const [dtype, data, where] of cases) {
      const f = rawFile({ w: { dtype, shape: [2], data_offsets: [0, data.length] } }, data);
      const e = parseSafetensorsHeader(f).tensors.get('w')!;
      expect(readTensorFloat32(f, e, 'w').length).toBe(2);
      expect(codeOf(() => readTensorFloat32(f, e, 'w', { requireFinite: true }))).toBe(
        `NON_FINITE: tensor "w" holds ${where}; weights must be finite numbers`,
      );
    }
    // Largest finite values pass: 65504 in F16, 0x7f7f in BF16.
    const f = rawFile(
      { w: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } },
      u16Bytes([0x7f7f, 0x7bff]),
    );
    expect(
      readTensorFloat32(f, parseSafetensorsHeader(f).tensors.get('w')!, 'w', {
        requireFinite: true,
      })[0],
    ).toBeGreaterThan(3e38);
  });

  it('DATA_OUT_OF_RANGE: offsets past the data section', () => {
    const f = rawFile(ok, new Uint8Array(4));
    expect(codeOf(() => parseSafetensorsHeader(f, { fileName: 'f' }))).toMatch(
      /^DATA_OUT_OF_RANGE: safetensors file "f", tensor "t": data ends at byte 8 of the data section, which has only 4 bytes/,
    );
  });

  it('writeSafetensors rejects a data/shape mismatch and duplicate names', () => {
    expect(() => writeSafetensors([{ name: 'x', shape: [3], data: new Float32Array(2) }])).toThrow(
      /tensor "x" has 2 values but shape \[3\] needs 3/,
    );
    expect(() =>
      writeSafetensors([
        { name: 'x', shape: [1], data: new Float32Array(1) },
        { name: 'x', shape: [1], data: new Float32Array(1) },
      ]),
    ).toThrow(/duplicate tensor name "x"/);
  });
});
