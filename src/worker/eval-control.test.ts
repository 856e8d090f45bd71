import { describe, expect, it } from 'vitest';
import { rowNorms } from '../eval/random-control';
import { evalCacheKey } from './eval-cache';
import {
  buildControl,
  type ControlTemplate,
  controlCacheKey,
  embeddingScaleTemplate,
} from './eval-control';

// A 2 × 3 patch: row 0 = (3, 4, 0) has norm 5, row 1 = (0, 0, 2) norm 2.
const patch: ControlTemplate = {
  rows: new Float32Array([3, 4, 0, 0, 0, 2]),
  n: 2,
  hidden: 3,
  from: 'patch',
};

describe('the control M+R the worker evaluates', () => {
  it('copies the patch length and each row norm, with the seed in its info', () => {
    const c = buildControl(patch, 7);
    expect(c.info).toEqual({ kind: 'random-patch', seed: 7, n: 2, hidden: 3 });
    const norms = rowNorms(c.rows, 2, 3);
    expect(norms[0]).toBeCloseTo(5, 5);
    expect(norms[1]).toBeCloseTo(2, 5);
    // Random directions: not the patch's own rows.
    expect(Array.from(c.rows)).not.toEqual([3, 4, 0, 0, 0, 2]);
    expect(c.source.from).toBe('patch');
  });

  it('without a patch uses n rows at the given embedding norm', () => {
    const t = embeddingScaleTemplate(4, 9, 1.5);
    expect(rowNorms(t.rows, 4, 9).map((x) => Number(x.toFixed(5)))).toEqual([1.5, 1.5, 1.5, 1.5]);
    expect(t.from).toBe('embedding');
  });

  it('has a cache key that changes with the seed and the row norms, not with directions', () => {
    const key = (t: ControlTemplate, seed: number) => controlCacheKey('fp', 'cfg', seed, t);
    const k = key(patch, 1);
    expect(k.startsWith(evalCacheKey('control', 'fp', 'cfg'))).toBe(true);
    expect(key(patch, 2)).not.toBe(k);
    const scaled: ControlTemplate = { ...patch, rows: new Float32Array([6, 8, 0, 0, 0, 2]) };
    expect(key(scaled, 1)).not.toBe(k);
    // Same norms (5 and 2), other directions: the control would be identical, so is the key.
    const turned: ControlTemplate = { ...patch, rows: new Float32Array([0, 5, 0, 2, 0, 0]) };
    expect(key(turned, 1)).toBe(k);
    expect(controlCacheKey('fp2', 'cfg', 1, patch)).not.toBe(k);
    expect(controlCacheKey('fp', 'cfg2', 1, patch)).not.toBe(k);
  });
});
