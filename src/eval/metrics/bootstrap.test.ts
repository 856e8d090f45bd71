import { describe, expect, it } from 'vitest';
import { bootstrapInterval, quantileSorted } from './bootstrap';
import { type PerPromptValues, perPromptInterval, statisticOf } from './per-prompt';

const mean01 = (ones: number, n: number): PerPromptValues => ({
  aggregate: 'mean',
  keys: Array.from({ length: n }, (_, i) => `p${i}`),
  values: Array.from({ length: n }, (_, i) => (i < ones ? 1 : 0)),
});

describe('quantileSorted (type 7)', () => {
  it('interpolates between order statistics', () => {
    // h = (4 − 1)·0.25 = 0.75 → 1 + 0.75·(2 − 1)
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    // h = 10·0.975 = 9.75 → 9 + 0.75
    expect(quantileSorted([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.975)).toBeCloseTo(9.75, 12);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe('statisticOf', () => {
  it('is the weighted mean (or its exp) over the chosen prompts, repeats counted', () => {
    const pp: PerPromptValues = {
      aggregate: 'mean',
      keys: ['a', 'b', 'c'],
      values: [1, 0, 2],
      weights: [2, 2, 2],
    };
    expect(statisticOf(pp)).toBeCloseTo(3 / 6, 12);
    // Prompts c, c, a: (2 + 2 + 1) / 6
    expect(statisticOf(pp, [2, 2, 0])).toBeCloseTo(5 / 6, 12);
    // Perplexity: NLL sums 2 ln 4 and 2 ln 16 over 2 + 2 tokens → exp(ln 8) = 8.
    const ppl: PerPromptValues = {
      aggregate: 'exp-mean',
      keys: ['a', 'b'],
      values: [2 * Math.log(4), 2 * Math.log(16)],
      weights: [2, 2],
    };
    expect(statisticOf(ppl)).toBeCloseTo(8, 9);
    expect(statisticOf({ ...ppl, weights: [0, 0] })).toBeNaN();
  });
});

describe('bootstrapInterval', () => {
  it('resamples n indices uniformly with replacement', () => {
    // Two prompts: a resample holds both with probability 1/2.
    let both = 0;
    let zeros = 0;
    const B = 4000;
    bootstrapInterval(
      2,
      (idx) => {
        if (idx[0] !== idx[1]) both++;
        zeros += (idx[0] === 0 ? 1 : 0) + (idx[1] === 0 ? 1 : 0);
        return 0;
      },
      { resamples: B, seed: 3 },
    );
    const sd = Math.sqrt(0.25 / B);
    expect(Math.abs(both / B - 0.5)).toBeLessThan(4 * sd);
    expect(Math.abs(zeros / (2 * B) - 0.5)).toBeLessThan(4 * sd);
  });

  it('matches the normal approximation p ± 1.96·√(p(1−p)/n) for a large 0/1 sample', () => {
    // 120 of 400 prompts: p = 0.3, se = √(0.21/400) = 0.02291.
    const ci = perPromptInterval(mean01(120, 400), { resamples: 4000, seed: 11 });
    const half = 1.96 * Math.sqrt((0.3 * 0.7) / 400);
    expect(Math.abs(ci.lo - (0.3 - half))).toBeLessThan(0.008);
    expect(Math.abs(ci.hi - (0.3 + half))).toBeLessThan(0.008);
    expect(ci).toMatchObject({ n: 400, resamples: 4000, level: 0.95, undefinedResamples: 0 });
  });

  it('of a two-prompt 0/1 mean spans [0, 1]: each endpoint has probability 1/4', () => {
    const ci = perPromptInterval(mean01(1, 2), { resamples: 2000, seed: 5 });
    expect([ci.lo, ci.hi]).toEqual([0, 1]);
  });

  it('is a point for constant values and narrower at a lower level', () => {
    const c: PerPromptValues = {
      aggregate: 'mean',
      keys: ['a', 'b', 'c'],
      values: [0.4, 0.4, 0.4],
    };
    const ci = perPromptInterval(c);
    expect(ci.lo).toBeCloseTo(0.4, 12);
    expect(ci.hi).toBeCloseTo(0.4, 12);
    const wide = perPromptInterval(mean01(30, 100), { seed: 1 });
    const narrow = perPromptInterval(mean01(30, 100), { seed: 1, level: 0.5 });
    expect(narrow.hi - narrow.lo).toBeLessThan(wide.hi - wide.lo);
  });

  it('is deterministic under a seed and moves with it', () => {
    const pp: PerPromptValues = {
      aggregate: 'mean',
      keys: Array.from({ length: 50 }, (_, i) => `p${i}`),
      values: Array.from({ length: 50 }, (_, i) => Math.sin(i) ** 2),
    };
    const a = perPromptInterval(pp, { seed: 7 });
    expect(perPromptInterval(pp, { seed: 7 })).toEqual(a);
    const b = perPromptInterval(pp, { seed: 8 });
    expect([b.lo, b.hi]).not.toEqual([a.lo, a.hi]);
    expect(a.resamples).toBeGreaterThanOrEqual(1000);
  });

  it('leaves undefined resamples out and counts them; mostly undefined → no interval', () => {
    const B = 2000;
    // NaN whenever prompt 0 comes first: a quarter of the resamples.
    const some = bootstrapInterval(4, (idx) => (idx[0] === 0 ? Number.NaN : 1), {
      resamples: B,
    });
    expect(Math.abs(some.undefinedResamples / B - 0.25)).toBeLessThan(4 * Math.sqrt(0.1875 / B));
    expect([some.lo, some.hi]).toEqual([1, 1]);
    const none = bootstrapInterval(4, () => Number.NaN, { resamples: B });
    expect(none.lo).toBeNaN();
    expect(none.undefinedReason).toBe(`undefined in ${B} of ${B} resamples`);
    expect(bootstrapInterval(0, () => 1).undefinedReason).toBe('no prompts');
  });

  it('checks its options', () => {
    expect(() => bootstrapInterval(2, () => 0, { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapInterval(2, () => 0, { level: 1 })).toThrow(RangeError);
  });
});
