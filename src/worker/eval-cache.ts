// Baseline results (M, M′ and the control M+R) cached by model fingerprint +
// target + config key (M+R adds its seed and row norms, eval-control.ts): in memory for this worker, and in IndexedDB so a reload (or the next
// talk on the same laptop) shows them without generating again. M+P is never
// cached here: its patch changes every few training steps.
import type { DBSchema, IDBPDatabase } from 'idb';
import type { EvalResult, EvalTargetKind } from '../protocol/messages';
import { openVersioned } from '../storage/idb';

interface CachedResult {
  key: string;
  result: EvalResult;
  savedAt: number;
}

interface EvalDb extends DBSchema {
  results: { key: string; value: CachedResult };
}

export function evalCacheKey(
  target: EvalTargetKind,
  modelFingerprint: string,
  configKey: string,
): string {
  return `${target}|${modelFingerprint}|${configKey}`;
}

/**
 * A stack's evaluation: the base model, the patches' tensor hashes in stack
 * order, the config. The composition report and the joint retrain both use it,
 * so a report just run makes the retrain's "before" free.
 */
export function stackEvalCacheKey(
  baseFingerprint: string,
  orderedHashes: string[],
  configKey: string,
): string {
  return `stack|${baseFingerprint}|${orderedHashes.join('+')}|${configKey}`;
}

export class EvalCache {
  private readonly memory = new Map<string, EvalResult>();
  private db: Promise<IDBPDatabase<EvalDb> | null> | null = null;

  constructor(private readonly dbName = 'patch-lab-eval-cache') {}

  /** null where IndexedDB is missing or refuses (private windows): the memory cache still works. */
  private open(): Promise<IDBPDatabase<EvalDb> | null> {
    this.db ??= (async () => {
      if (typeof indexedDB === 'undefined') return null;
      try {
        return await openVersioned<EvalDb>(this.dbName, [
          // v1
          (d) => {
            d.createObjectStore('results', { keyPath: 'key' });
          },
        ]);
      } catch {
        return null;
      }
    })();
    return this.db;
  }

  async get(key: string): Promise<EvalResult | null> {
    const hit = this.memory.get(key);
    if (hit) return hit;
    const db = await this.open();
    const stored = db ? await db.get('results', key) : undefined;
    if (!stored) return null;
    this.memory.set(key, stored.result);
    return stored.result;
  }

  /** Stores in memory always; a failed IndexedDB write only costs a recompute after reload. */
  async put(key: string, result: EvalResult): Promise<{ persisted: boolean }> {
    this.memory.set(key, result);
    const db = await this.open();
    if (!db) return { persisted: false };
    try {
      await db.put('results', { key, result, savedAt: Date.now() });
      return { persisted: true };
    } catch {
      return { persisted: false };
    }
  }

  close(): void {
    void this.db?.then((d) => d?.close());
  }
}
