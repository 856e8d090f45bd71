// Caches collected sets in IndexedDB: collection runs both models over every
// training prompt (minutes on a real model), training then reuses it, and a
// second run with the same models, prompts and settings finds it by id.
import type { IDBPDatabase } from 'idb';
import type { CollectedSet } from './collected';
import { openTrainDb, type TrainDb } from './db';

/** What a list of cached sets shows, without the items themselves. */
export interface CollectedSetSummary {
  id: string;
  baseModelId: string;
  referenceModelId: string;
  promptSets: CollectedSet['promptSets'];
  items: number;
  createdAt: string;
}

export class CollectedStore {
  private constructor(private readonly db: IDBPDatabase<TrainDb>) {}

  static async open(name?: string): Promise<CollectedStore> {
    return new CollectedStore(await openTrainDb(name));
  }

  /** Stores (or replaces) a set under its id. */
  async save(set: CollectedSet): Promise<void> {
    await this.db.put('collected', set);
  }

  async load(id: string): Promise<CollectedSet | null> {
    return (await this.db.get('collected', id)) ?? null;
  }

  /** Newest first. Reads each set once; fine for the handful a browser keeps. */
  async list(): Promise<CollectedSetSummary[]> {
    const all = await this.db.getAll('collected');
    return all
      .map((s) => ({
        id: s.id,
        baseModelId: s.baseModelId,
        referenceModelId: s.referenceModelId,
        promptSets: s.promptSets,
        items: s.items.length,
        createdAt: s.createdAt,
      }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async delete(id: string): Promise<void> {
    await this.db.delete('collected', id);
  }

  close(): void {
    this.db.close();
  }
}
