import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { newCursor, takeBatch } from './data-cursor';

describe('data cursor', () => {
  it('visits every example once per epoch, reshuffling between epochs', () => {
    const rng = new Rng(5);
    let c = newCursor(5, rng);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = takeBatch(c, 2, rng);
      seen.push(...r.indices);
      c = r.cursor;
    }
    // 10 draws = two full epochs.
    expect([...seen.slice(0, 5)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...seen.slice(5)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(c.epoch).toBe(1);
    expect(c.index).toBe(5);
  });

  it('does not modify the cursor it is given, and replays identically from a saved cursor + rng state', () => {
    const rng = new Rng(9);
    const c0 = newCursor(4, rng);
    const saved = structuredClone({ c: c0, rng: rng.getState() });
    const a = takeBatch(c0, 7, rng);
    expect(c0.index).toBe(0);
    const b = takeBatch(saved.c, 7, Rng.fromState(saved.rng));
    expect(b.indices).toEqual(a.indices);
    expect(b.cursor).toEqual(a.cursor);
  });

  it('refuses an empty stage', () => {
    expect(() => newCursor(0, new Rng(1))).toThrow();
  });
});
