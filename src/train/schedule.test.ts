import { describe, expect, it } from 'vitest';
import { lrAt } from './schedule';

describe('lrAt', () => {
  // Peak 1, 2 warmup steps, 6 steps in all: warmup 0.5, 1; decay over steps 2..5 (p = 0, 1/3, 2/3, 1).
  const base = { peak: 1, warmupSteps: 2, totalSteps: 6, minRatio: 0 };

  it('cosine: 0.5, 1, 1, ½(1+cos π/3) = 0.75, ½(1+cos 2π/3) = 0.25, 0', () => {
    const got = [0, 1, 2, 3, 4, 5].map((s) => lrAt({ ...base, decay: 'cosine' }, s));
    const want = [0.5, 1, 1, 0.75, 0.25, 0];
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(want[i], 12);
    });
  });

  it('linear: 0.5, 1, 1, 2/3, 1/3, 0', () => {
    const got = [0, 1, 2, 3, 4, 5].map((s) => lrAt({ ...base, decay: 'linear' }, s));
    const want = [0.5, 1, 1, 2 / 3, 1 / 3, 0];
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(want[i], 12);
    });
  });

  it('decays to the floor minRatio × peak: cosine step 3 with minRatio 0.1 → 0.1 + 0.9·0.75 = 0.775', () => {
    const s = { ...base, peak: 2, decay: 'cosine' as const, minRatio: 0.1 };
    expect(lrAt(s, 3)).toBeCloseTo(2 * 0.775, 12);
    expect(lrAt(s, 5)).toBeCloseTo(0.2, 12);
    // Past the end it stays at the floor.
    expect(lrAt(s, 50)).toBeCloseTo(0.2, 12);
  });

  it('constant after warmup; no warmup starts at the peak', () => {
    expect(lrAt({ ...base, decay: 'constant' }, 4)).toBe(1);
    expect(lrAt({ ...base, warmupSteps: 0, decay: 'cosine' }, 0)).toBe(1);
  });
});
