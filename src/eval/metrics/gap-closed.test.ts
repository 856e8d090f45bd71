import { describe, expect, it } from 'vitest';
import { gapClosed } from './gap-closed';

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
