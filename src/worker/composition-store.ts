// Finished composition reports, kept in IndexedDB so re-running the same
// report is instant and a reload shows the last one again with its settings.
// A report is keyed by everything its numbers depend on (compositionReportKey):
// the models M and M′, the eval config key, each patch's library id and
// tensor hash in the listed order, and the orders evaluated. A patch whose
// rows change gets a new hash, a changed setting a new config key: either
// is a different key, so a stale report is never returned. Without
// IndexedDB (private windows) the store lasts as long as the worker.
import type { DBSchema, IDBPDatabase } from 'idb';
import type { CompositionResult } from '../protocol/messages';
import { openVersioned } from '../storage/idb';

/** Reports kept; the oldest are pruned (their evaluations stay in the eval cache). */
export const MAX_COMPOSITION_RECORDS = 30;

export interface CompositionRecord {
  key: string;
  result: CompositionResult;
  /** Tensor hash of each patch, same index as result.patchIds. */
  hashes: string[];
  /** ms since epoch: the newest record is what a reload shows. */
  savedAt: number;
}

interface CompositionDb extends DBSchema {
  reports: { key: string; value: CompositionRecord; indexes: { savedAt: number } };
}

export interface CompositionKeyParts {
  baseFingerprint: string;
  referenceFingerprint: string;
  configKey: string;
  patchIds: readonly string[];
  hashes: readonly string[];
  orders: readonly (readonly string[])[];
}

export function compositionReportKey(p: CompositionKeyParts): string {
  const patches = p.patchIds.map((id, i) => `${id}:${p.hashes[i]}`).join(',');
  const orders = p.orders.map((o) => o.join('>')).join(';');
  return [p.baseFingerprint, p.referenceFingerprint, p.configKey, patches, orders].join('|');
}

export class CompositionStore {
  private readonly memory = new Map<string, CompositionRecord>();
  private db: Promise<IDBPDatabase<CompositionDb> | null> | null = null;

  constructor(private readonly dbName = 'patch-lab-composition') {}

  private open(): Promise<IDBPDatabase<CompositionDb> | null> {
    this.db ??= (async () => {
      if (typeof indexedDB === 'undefined') return null;
      try {
        return await openVersioned<CompositionDb>(this.dbName, [
          // v1
          (d) => {
            const reports = d.createObjectStore('reports', { keyPath: 'key' });
            reports.createIndex('savedAt', 'savedAt');
          },
        ]);
      } catch {
        return null;
      }
    })();
    return this.db;
  }

  async get(key: string): Promise<CompositionRecord | null> {
    const hit = this.memory.get(key);
    if (hit) return hit;
    const db = await this.open();
    const stored = db ? await db.get('reports', key) : undefined;
    if (!stored) return null;
    this.memory.set(key, stored);
    return stored;
  }

  /** Stores (or refreshes) a record; a failed IndexedDB write only costs a recompute after reload. */
  async put(record: CompositionRecord): Promise<void> {
    this.memory.set(record.key, record);
    const db = await this.open();
    if (!db) return;
    try {
      await db.put('reports', record);
      // Oldest first by savedAt: drop all but the newest MAX_COMPOSITION_RECORDS.
      const keys = await db.getAllKeysFromIndex('reports', 'savedAt');
      const drop = keys.slice(0, Math.max(0, keys.length - MAX_COMPOSITION_RECORDS));
      for (const k of drop) {
        this.memory.delete(k);
        await db.delete('reports', k);
      }
    } catch {
      // Kept in memory for this worker.
    }
  }

  /** Every record, newest first. */
  async all(): Promise<CompositionRecord[]> {
    const db = await this.open();
    const stored = db ? await db.getAll('reports').catch(() => []) : [];
    const byKey = new Map(stored.map((r) => [r.key, r]));
    for (const r of this.memory.values()) byKey.set(r.key, r);
    return [...byKey.values()].sort((a, b) => b.savedAt - a.savedAt);
  }

  async newest(): Promise<CompositionRecord | null> {
    return (await this.all())[0] ?? null;
  }

  close(): void {
    void this.db?.then((d) => d?.close());
  }
}
