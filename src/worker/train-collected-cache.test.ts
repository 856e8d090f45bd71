import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeCollectedSet } from '../train/testing/fake-collected';
import { CollectedCache } from './train-collected-cache';

describe('CollectedCache', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('returns a set it was given, from memory and, after a reload, from IndexedDB', async () => {
    const a = fakeCollectedSet({ count: 3, vocab: 10, seed: 1 });
    const b = fakeCollectedSet({ count: 5, vocab: 10, seed: 2 });
    const cache = new CollectedCache('collected-test-1');
    await cache.put(a);
    await cache.put(b);
    expect(await cache.get(a.id)).toBe(a);
    expect(await cache.get('nope')).toBeNull();

    cache.clearMemory();
    const read = await cache.get(b.id);
    expect(read).not.toBe(b);
    expect(read).toEqual(b);

    // A new cache over the same database (a reloaded page) finds both sets.
    const reloaded = new CollectedCache('collected-test-1');
    expect(await reloaded.get(a.id)).toEqual(a);
    expect((await reloaded.get(b.id))?.items.length).toBe(5);
    // Another database does not.
    expect(await new CollectedCache('collected-test-2').get(a.id)).toBeNull();
  });

  it('works in memory only where there is no IndexedDB', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const a = fakeCollectedSet({ count: 2, vocab: 10, seed: 3 });
    const cache = new CollectedCache('collected-test-3');
    await cache.put(a);
    expect(await cache.get(a.id)).toBe(a);
    cache.clearMemory();
    expect(await cache.get(a.id)).toBeNull();
  });
});
