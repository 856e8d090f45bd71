import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CollectedStore } from './collected-store';
import { fakeCollectedSet } from './testing/fake-collected';

let dbCount = 0;
const freshName = () => `patch-lab-train-collected-test-${++dbCount}`;

describe('CollectedStore', () => {
  it('saves, loads (identical), lists newest first and deletes', async () => {
    const store = await CollectedStore.open(freshName());
    const a = {
      ...fakeCollectedSet({ count: 3, vocab: 10, seed: 1 }),
      createdAt: '2025-01-01T00:00:00Z',
    };
    const b = {
      ...fakeCollectedSet({ count: 5, vocab: 10, seed: 2 }),
      createdAt: '2025-02-01T00:00:00Z',
    };
    await store.save(a);
    await store.save(b);
    expect(await store.load(a.id)).toEqual(a);
    expect(await store.load('nope')).toBeNull();
    const list = await store.list();
    expect(list.map((s) => [s.id, s.items])).toEqual([
      [b.id, 5],
      [a.id, 3],
    ]);
    await store.delete(a.id);
    expect((await store.list()).map((s) => s.id)).toEqual([b.id]);
    store.close();
  });
});
