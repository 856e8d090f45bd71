// The Metrics panel's history, kept in IndexedDB so a reload does not throw
// it away: the baselines (M, M′, the control M+R; newest of each) in one
// record, and per training run every M+P point (step, n and intervals live
// in each result's report). A run is keyed by its checkpoint slot, so a run
// resumed under a new run id keeps adding to the same record; the page asks
// for the newest run's record on load, and a resume replays its own.
import type { DBSchema, IDBPDatabase } from 'idb';
import type { EvalResult } from '../protocol/messages';
import { openVersioned } from '../storage/idb';

/** The record that holds the results evaluated outside any training run. */
export const BASELINES_KEY = 'baselines';

/** Run records kept; older runs are pruned (their patches keep their report cards). */
export const MAX_RUN_RECORDS = 20;

export interface EvalHistoryRecord {
  /** BASELINES_KEY, or a training run's checkpoint slot id. */
  id: string;
  /** Oldest first; at most one result per baseline target and per M+P step. */
  results: EvalResult[];
  /** ms since epoch, for "the newest run". */
  updatedAt: number;
}

interface HistoryDb extends DBSchema {
  runs: { key: string; value: EvalHistoryRecord; indexes: { updatedAt: number } };
}

/** Where a result goes in its record: a newer result of the same slot replaces the older one. */
function slotOf(r: EvalResult): string {
  return r.target === 'patched' ? `patched@${r.step ?? 'manual'}` : r.target;
}

/** The record's results with `result` added (replacing the same slot), oldest first. */
export function withResult(results: readonly EvalResult[], result: EvalResult): EvalResult[] {
  const slot = slotOf(result);
  return [...results.filter((r) => slotOf(r) !== slot), result];
}

export class EvalHistoryStore {
  private db: Promise<IDBPDatabase<HistoryDb> | null> | null = null;
  /** Writes in order: a read-modify-write per result must not interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dbName = 'patch-lab-eval-history') {}

  /** null where IndexedDB is missing or refuses: the history then lasts as long as the tab. */
  private open(): Promise<IDBPDatabase<HistoryDb> | null> {
    this.db ??= (async () => {
      if (typeof indexedDB === 'undefined') return null;
      try {
        return await openVersioned<HistoryDb>(this.dbName, [
          // v1
          (d) => {
            const runs = d.createObjectStore('runs', { keyPath: 'id' });
            runs.createIndex('updatedAt', 'updatedAt');
          },
        ]);
      } catch {
        return null;
      }
    })();
    return this.db;
  }

  /** Adds `result` to record `id` (created when missing); resolves once it is stored. */
  add(id: string, result: EvalResult): Promise<void> {
    const write = this.queue.then(async () => {
      const db = await this.open();
      if (!db) return;
      const tx = db.transaction('runs', 'readwrite');
      const old = await tx.store.get(id);
      await tx.store.put({
        id,
        results: withResult(old?.results ?? [], result),
        updatedAt: Date.now(),
      });
      await tx.done;
      if (!old && id !== BASELINES_KEY) await this.prune(db);
    });
    // A failed write costs only this point after a reload; later writes still go.
    this.queue = write.catch(() => {});
    return write;
  }

  async get(id: string): Promise<EvalHistoryRecord | null> {
    await this.queue;
    const db = await this.open();
    return (await db?.get('runs', id)) ?? null;
  }

  /** The most recently updated training run's record, if any. */
  async newestRun(): Promise<EvalHistoryRecord | null> {
    await this.queue;
    const db = await this.open();
    if (!db) return null;
    const all = await db.getAllFromIndex('runs', 'updatedAt');
    return all.filter((r) => r.id !== BASELINES_KEY).at(-1) ?? null;
  }

  private async prune(db: IDBPDatabase<HistoryDb>): Promise<void> {
    const runs = (await db.getAllFromIndex('runs', 'updatedAt')).filter(
      (r) => r.id !== BASELINES_KEY,
    );
    for (const old of runs.slice(0, Math.max(0, runs.length - MAX_RUN_RECORDS)))
      await db.delete('runs', old.id);
  }

  close(): void {
    void this.db?.then((d) => d?.close());
  }
}
