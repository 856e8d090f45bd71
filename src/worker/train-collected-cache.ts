// Collected training pairs, cached in IndexedDB under their collectedSetId
// (models + prompts + sampling settings), so collecting the same thing again
// is instant and a run resumed after a reload finds the data it trained on.
// A small in-memory layer in front keeps the active set without a read.
import type { DBSchema, IDBPDatabase } from 'idb';
import { openVersioned } from '../storage/idb';
import type { CollectedSet } from '../train/collected';

interface CollectedDb extends DBSchema {
  sets: { key: string; value: CollectedSet };
}

export class CollectedCache {
  private readonly memory = new Map<string, CollectedSet>();
  private db: Promise<IDBPDatabase<CollectedDb> | null> | null = null;

  constructor(private readonly dbName = 'patch-lab-collected') {}

  /** IndexedDB, or null where there is none (then the cache lives in memory only). */
  private open(): Promise<IDBPDatabase<CollectedDb> | null> {
    this.db ??= globalThis.indexedDB
      ? openVersioned<CollectedDb>(this.dbName, [
          // v1
          (d) => {
            d.createObjectStore('sets', { keyPath: 'id' });
          },
        ])
      : Promise.resolve(null);
    return this.db;
  }

  async get(id: string): Promise<CollectedSet | null> {
    const hit = this.memory.get(id);
    if (hit) return hit;
    const db = await this.open();
    const stored = (await db?.get('sets', id)) ?? null;
    if (stored) this.memory.set(id, stored);
    return stored;
  }

  /** Whether set `id` is stored, without keeping a copy in memory. */
  async has(id: string): Promise<boolean> {
    if (this.memory.has(id)) return true;
    const db = await this.open();
    return ((await db?.count('sets', id)) ?? 0) > 0;
  }

  async put(set: CollectedSet): Promise<void> {
    this.memory.set(set.id, set);
    const db = await this.open();
    await db?.put('sets', set);
  }

  /** Forgets the in-memory copies (tests use it to prove a read comes from IndexedDB). */
  clearMemory(): void {
    this.memory.clear();
  }
}

/**
 * The worker's one collected-pairs cache: training and joint retraining share
 * its memory layer, so pairs collected a moment ago are found without IndexedDB.
 */
export const collectedCache = new CollectedCache();
