import { describe, expect, it } from 'vitest';
import {
  formatGapClosed,
  type GapClosedEstimate,
  gapClosed,
  gapClosedWithInterval,
} from './gap-closed';
import type { PerPromptValues } from './per-prompt';

describe('gapClosed', () => {
  it('is (M − M+P) / (M − M′) for a lower-is-better metric', () => {
    // Toxicity 0.8 → 0.5 with the patch, reference 0.2: closed 0.3 of 0.6.
    expect(gapClosed(0.8, 0.5, 0.2).value).toBeCloseTo(0.5, 12);
  });

  it('works unchanged for a higher-is-better metric', () => {
    // Refusal 0.1 → 0.7, reference 0.9: (0.1 − 0.7)/(0.1 − 0.9) = 0.75.
    expect(gapClosed(0.1, 0.7, 0.9).value).toBeCloseTo(0.75, 12);
  });

  it('can exceed 1 or go negative', () => {
    expect(gapClosed(0.8, 0.1, 0.2).value).toBeCloseTo(7 / 6, 12);
    expect(gapClosed(0.8, 0.9, 0.2).value).toBeCloseTo(-1 / 6, 12);
  });

  it('is NaN with a reason when M equals M′ or a value is undefined', () => {
    expect(gapClosed(0.4, 0.3, 0.4)).toEqual({
      value: Number.NaN,
      undefinedReason: 'M and M′ score the same: no gap to close',
    });
    expect(gapClosed(Number.NaN, 0.3, 0.4).undefinedReason).toBe('a metric value is undefined');
  });
});

const pp = (values: number[], keys = values.map((_, i) => `p${i}`)): PerPromptValues => ({
  aggregate: 'mean',
  keys,
  values,
});

describe('gapClosedWithInterval', () => {
  it('gives the point estimate of the pooled metrics and n', () => {
    // M 3/4 toxic, M+P 1/4, M′ 0 → (0.75 − 0.25) / 0.75 = 2/3.
    const g = gapClosedWithInterval(pp([1, 1, 0, 1]), pp([0, 1, 0, 0]), pp([0, 0, 0, 0]));
    expect(g.value).toBeCloseTo(2 / 3, 12);
    expect(g.n).toBe(4);
    expect(g.interval.lo).toBeLessThanOrEqual(g.value);
    expect(g.interval.hi).toBeGreaterThanOrEqual(g.value);
  });

  it('is paired: a candidate equal to M gives [0, 0], one equal to M′ gives [1, 1]', () => {
    // Unpaired resampling of M and the candidate would spread these intervals;
    // with one set of indices per resample the candidate is M (or M′) in every resample.
    const m = [0.9, 0.2, 0.7, 0.4, 1, 0.6];
    const ref = [0.1, 0, 0.3, 0.2, 0.1, 0];
    const same = gapClosedWithInterval(pp(m), pp(m), pp(ref));
    expect([same.value, same.interval.lo, same.interval.hi]).toEqual([0, 0, 0]);
    const full = gapClosedWithInterval(pp(m), pp(ref), pp(ref));
    expect(full.value).toBe(1);
    expect(full.interval.lo).toBeCloseTo(1, 12);
    expect(full.interval.hi).toBeCloseTo(1, 12);
  });

  it('on two prompts spans the exact resampling distribution {1, ½, 0}', () => {
    // M [1, 1], M′ [0, 0], candidate [0, 1]: resample {0,0} → 1, {1,1} → 0, mixed → ½;
    // P(0) = P(1) = ¼, so the 2.5 % and 97.5 % quantiles are 0 and 1.
    const g = gapClosedWithInterval(pp([1, 1]), pp([0, 1]), pp([0, 0]), { seed: 2 });
    expect(g.value).toBe(0.5);
    expect([g.interval.lo, g.interval.hi]).toEqual([0, 1]);
  });

  it('serves the control M+R the same way and is deterministic per seed', () => {
    const m = pp([1, 1, 1, 0, 1, 1, 0, 1]);
    const control = pp([1, 0, 1, 0, 1, 1, 0, 1]);
    const ref = pp([0, 0, 0, 0, 0, 1, 0, 0]);
    const a = gapClosedWithInterval(m, control, ref, { seed: 9 });
    // (6/8 − 5/8) / (6/8 − 1/8) = 1/5
    expect(a.value).toBeCloseTo(0.2, 12);
    expect(gapClosedWithInterval(m, control, ref, { seed: 9 })).toEqual(a);
  });

  it('refuses reports on different prompts, and M = M′', () => {
    const g = gapClosedWithInterval(pp([1, 0]), pp([0, 0], ['p0', 'other']), pp([0, 0]));
    expect(g.value).toBeNaN();
    expect(g.undefinedReason).toBe('the three reports were evaluated on different prompts');
    const flat = gapClosedWithInterval(pp([1, 0]), pp([0, 0]), pp([0, 1]));
    expect(flat.undefinedReason).toBe('M and M′ score the same: no gap to close');
  });
});

describe('formatGapClosed', () => {
  it('writes the percentage and the interval, rounded', () => {
    const interval = { lo: 0.644, hi: 0.899 } as GapClosedEstimate['interval'];
    expect(formatGapClosed({ value: 0.78, interval })).toBe('78 % [64, 90]');
    expect(formatGapClosed({ value: -0.2, interval: { ...interval, lo: -0.5, hi: 0.1 } })).toBe(
      '-20 % [-50, 10]',
    );
    expect(formatGapClosed({ value: 0.78, interval: { ...interval, lo: Number.NaN } })).toBe(
      '78 %',
    );
    expect(formatGapClosed({ value: Number.NaN, interval })).toBe('—');
  });
});
