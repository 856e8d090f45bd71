import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from './decode';

const DATA = resolve(process.cwd(), '../shared/data');

describe('decodeBytes', () => {
  it('decodes clean UTF-8 and strips a BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('café\n')]);
    expect(decodeBytes(bytes, 'f.txt')).toEqual({ text: 'café\n', warnings: [], cp1252Lines: [] });
  });

  it('falls back to cp1252 only on the lines that are not UTF-8', () => {
    // Line 1 UTF-8 "é" (C3 A9), line 2 cp1252 "é" (E9) and "”" (94), line 3 UTF-8 "’".
    const bytes = new Uint8Array([0xc3, 0xa9, 0x0a, 0xe9, 0x94, 0x0a, 0xe2, 0x80, 0x99]);
    const r = decodeBytes(bytes, 'mixed.csv');
    expect(r.text).toBe('é\né\u201d\n\u2019');
    expect(r.cp1252Lines).toEqual([2]);
    expect(r.warnings).toEqual([
      'mixed.csv: 1 line(s) not valid UTF-8, decoded as cp1252 (Windows-1252): line 2',
    ]);
  });

  it("finds BBQ supplemental file's four cp1252 lines and decodes their quote", () => {
    const bytes = readFileSync(resolve(DATA, 'bias/bbq/supplemental_all_examples_uid.csv'));
    const r = decodeBytes(new Uint8Array(bytes), 'supplemental_all_examples_uid.csv');
    expect(r.cp1252Lines).toEqual([318, 319, 320, 321]);
    expect(r.text).toContain('We have to tell our own story\u201d: semiotics');
    expect(r.text).not.toContain('\ufffd');
  });
});

describe('cp1252 table', () => {
  it('maps the 0x80-0x9F range to the Windows-1252 characters', () => {
    // Published cp1252 code points for a sample of the range (Microsoft's bestfit1252 table).
    const bytes = new Uint8Array([0x80, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0xff]);
    expect(decodeBytes(bytes, 'x').text).toBe('€…‘’“”–—™ÿ');
  });
});

describe('long cp1252 lines', () => {
  it('decodes a 100 kB line across chunk boundaries exactly', () => {
    // "a”" (61 94) repeated: each byte pair is one 'a' and one U+201D.
    const bytes = new Uint8Array(100_000).map((_, i) => (i % 2 === 0 ? 0x61 : 0x94));
    const r = decodeBytes(bytes, 'long.csv');
    expect(r.cp1252Lines).toEqual([1]);
    expect(r.text).toBe('a\u201d'.repeat(50_000));
  });
});
