import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { rowNorms as norms, randomControl } from './random-control';

const rowNorms = (x: Float32Array, n: number, hidden: number) =>
  Array.from({ length: n }, (_, r) =>
    Math.sqrt(x.slice(r * hidden, (r + 1) * hidden).reduce((s, v) => s + v * v, 0)),
  );

// A patch with rows of very different norms (one zero), as a trained one has.
const n = 5;
const hidden = 16;
const rng = new Rng(1);
const patch = Float32Array.from({ length: n * hidden }, (_, i) =>
  Math.floor(i / hidden) === 3 ? 0 : rng.normal() * (1 + Math.floor(i / hidden)),
);

describe('randomControl', () => {
  it('keeps the length and every row norm of the patch', () => {
    const c = randomControl(patch, n, hidden, 7);
    expect(c.rows).toHaveLength(n * hidden);
    const want = rowNorms(patch, n, hidden);
    rowNorms(c.rows, n, hidden).forEach((v, r) => {
      expect(v).toBeCloseTo(want[r], 4);
    });
    expect(want[3]).toBe(0);
    expect(c.info).toEqual({ kind: 'random-patch', seed: 7, n, hidden });
    // rowNorms, against the hand-written computation above.
    norms(patch, n, hidden).forEach((v, r) => {
      expect(v).toBeCloseTo(want[r], 9);
    });
  });

  it('is deterministic per seed, differs across seeds, and is not the patch', () => {
    const a = randomControl(patch, n, hidden, 7).rows;
    expect(randomControl(patch, n, hidden, 7).rows).toEqual(a);
    expect(randomControl(patch, n, hidden, 8).rows).not.toEqual(a);
    // Cosine between a control row and the patch's row is near 0, not 1.
    const r = 0;
    let dot = 0;
    for (let c = 0; c < hidden; c++) dot += a[r * hidden + c] * patch[r * hidden + c];
    const [na, np] = [rowNorms(a, n, hidden)[r], rowNorms(patch, n, hidden)[r]];
    expect(Math.abs(dot / (na * np))).toBeLessThan(0.9);
  });

  it('never sees the patch directions: same norms, same seed → same control', () => {
    // Flip the sign of every value: directions change, norms do not.
    const flipped = patch.map((v) => -v);
    expect(randomControl(flipped, n, hidden, 3).rows).toEqual(
      randomControl(patch, n, hidden, 3).rows,
    );
  });

  it('has directions uniform on the sphere: each coordinate has mean 0 and variance 1/hidden', () => {
    const big = 400;
    const unit = new Float32Array(big * hidden).fill(1 / Math.sqrt(hidden));
    const c = randomControl(unit, big, hidden, 11).rows;
    for (const col of [0, hidden - 1]) {
      const xs = Array.from({ length: big }, (_, r) => c[r * hidden + col]);
      const mean = xs.reduce((s, v) => s + v, 0) / big;
      const meanSq = xs.reduce((s, v) => s + v * v, 0) / big;
      // se of the mean ≈ √(1/16/400) = 0.0125; of the mean square ≈ √2/16/20 ≈ 0.0044.
      expect(Math.abs(mean)).toBeLessThan(0.05);
      expect(Math.abs(meanSq - 1 / hidden)).toBeLessThan(0.018);
    }
  });

  it('checks the shape', () => {
    expect(() => randomControl(patch, n, hidden + 1, 1)).toThrow(RangeError);
    expect(() => randomControl(patch, 0, hidden, 1)).toThrow(RangeError);
  });
});
