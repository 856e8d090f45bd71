import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm, globalNorm } from './clip';

describe('clipByGlobalNorm', () => {
  it('scales a 3-4-5 gradient split over two parts to norm 1 and reports 5', () => {
    const a = new Float32Array([3]);
    const b = new Float32Array([4]);
    expect(clipByGlobalNorm([a, b], 1)).toBeCloseTo(5, 6);
    expect(a[0]).toBeCloseTo(0.6, 6);
    expect(b[0]).toBeCloseTo(0.8, 6);
    expect(globalNorm([a, b])).toBeCloseTo(1, 6);
  });

  it('leaves gradients under the limit, or with clipping off, untouched', () => {
    const a = new Float32Array([3, 4]);
    expect(clipByGlobalNorm([a], 10)).toBeCloseTo(5, 6);
    expect(Array.from(a)).toEqual([3, 4]);
    expect(clipByGlobalNorm([a], 0)).toBeCloseTo(5, 6);
    expect(Array.from(a)).toEqual([3, 4]);
  });
});
