import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { fingerprintEmbeddings, fingerprintRows, quantise } from './fingerprint';
import { sha256Hex } from './hash';

function matrix(vocab: number, hidden: number, seed = 3): Float32Array {
  const rng = new Rng(seed);
  return new Float32Array(vocab * hidden).map(() => rng.normal() * 0.02);
}

describe('fingerprintRows', () => {
  it('takes all rows of a tiny vocabulary', () => {
    expect(fingerprintRows(5)).toEqual([0, 1, 2, 3, 4]);
  });
  it('takes the first 64 rows plus 64 bin midpoints of a large vocabulary', () => {
    const rows = fingerprintRows(49152);
    expect(rows).toHaveLength(128);
    expect(rows.slice(0, 64)).toEqual([...Array(64).keys()]);
    // floor((2k+1)·49152/128) = 384·(2k+1)
    expect(rows[64]).toBe(384);
    expect(rows[127]).toBe(384 * 127);
  });
});

describe('quantise', () => {
  it('rounds to 1e-4 steps after float32 rounding, merging ±0', () => {
    expect(quantise(0.12344)).toBe(1234);
    expect(quantise(-0.12346)).toBe(-1235);
    expect(Object.is(quantise(-0.00001), 0)).toBe(true);
    expect(quantise(Number.NaN)).toBe(-2147483648);
    expect(quantise(Number.POSITIVE_INFINITY)).toBe(2147483647);
  });
});

describe('fingerprintEmbeddings', () => {
  it('matches an independent computation of the documented algorithm', async () => {
    const vocab = 3;
    const hidden = 2;
    const m = new Float32Array([0.1, -0.2, 0.30004, 0, 1.5, -0.00004]);
    const prefix = new TextEncoder().encode('emb1:3x2\n');
    const ints = new Int32Array([1000, -2000, 3000, 0, 15000, 0]);
    const buf = new Uint8Array(prefix.length + 24);
    buf.set(prefix);
    buf.set(new Uint8Array(ints.buffer), prefix.length);
    const expected = `emb1:3x2:${(await sha256Hex(buf)).slice(0, 16)}`;
    expect(await fingerprintEmbeddings(m, vocab, hidden)).toBe(expected);
  });

  it('is stable under float noise below the quantum and changes with a real difference', async () => {
    const m = matrix(1000, 16);
    const fp = await fingerprintEmbeddings(m, 1000, 16);
    expect(fp).toMatch(/^emb1:1000x16:[0-9a-f]{16}$/);
    // GPUs flush subnormals to zero and may produce -0 where the CPU has +0;
    // both vanish at the 1e-4 quantum. (Noise of ~1e-7 on every value would
    // not: a few of the 2048 sampled values sit that close to a rounding
    // boundary, which is why the fingerprint is computed from the decoded
    // checkpoint values, not from a lossy GPU readback.)
    const flushed = m.slice();
    flushed[1] = 1e-40;
    flushed[2] = -0;
    const zeroed = m.slice();
    zeroed[1] = 0;
    zeroed[2] = 0;
    expect(await fingerprintEmbeddings(flushed, 1000, 16)).toBe(
      await fingerprintEmbeddings(zeroed, 1000, 16),
    );
    // A row outside the sample does not count; one inside does.
    const unsampled = m.slice();
    unsampled[100 * 16] += 1;
    expect(await fingerprintEmbeddings(unsampled, 1000, 16)).toBe(fp);
    const other = matrix(1000, 16, 4);
    expect(await fingerprintEmbeddings(other, 1000, 16)).not.toBe(fp);
    // Row 0 is always sampled.
    const edited = m.slice();
    edited[3] += 0.01;
    expect(await fingerprintEmbeddings(edited, 1000, 16)).not.toBe(fp);
  });

  it('rejects a matrix whose size does not match its dimensions', async () => {
    await expect(fingerprintEmbeddings(new Float32Array(10), 3, 4)).rejects.toThrow(
      /matrix has 10 values, a 3x4 matrix has 12/,
    );
  });
});
