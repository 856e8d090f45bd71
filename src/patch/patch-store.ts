// The user's patches, in IndexedDB so they survive reloads. Deleting is soft
// (the record gets deletedAt and leaves the list) so the UI can offer undo;
// purge() removes for good. Renaming changes the store's label, not the
// manifest: the manifest may be signed, and a rename must not break that.

import type { DBSchema, IDBPDatabase } from 'idb';
import { openVersioned } from '../storage/idb';
import type { Patch } from './types';

export interface StoredPatch {
  id: string;
  /** The user's label for it; starts as the manifest name. */
  name: string;
  patch: Patch;
  savedAt: number;
  updatedAt: number;
  deletedAt: number | null;
  /**
   * What the store's owner keeps beside the patch (the worker's library: its
   * origin, signature check and notes). In the same record, so one write
   * saves both and they can never disagree.
   */
  meta?: unknown;
}

/** What a list shows, without the embeddings. */
export type StoredPatchSummary = Omit<StoredPatch, 'patch'> & {
  manifest: Patch['manifest'];
  nVirtual: number;
  hidden: number;
};

interface PatchDb extends DBSchema {
  patches: { key: string; value: StoredPatch; indexes: { savedAt: number } };
}

export class PatchStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchStoreError';
  }
}

export class PatchStore {
  private constructor(
    private readonly db: IDBPDatabase<PatchDb>,
    private readonly now: () => number,
  ) {}

  static async open(
    name = 'patch-lab-patches',
    opts: { now?: () => number } = {},
  ): Promise<PatchStore> {
    const db = await openVersioned<PatchDb>(name, [
      // v1
      (d) => {
        d.createObjectStore('patches', { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
      },
    ]);
    return new PatchStore(db, opts.now ?? Date.now);
  }

  async put(
    patch: Patch,
    opts: { id?: string; name?: string; meta?: unknown } = {},
  ): Promise<StoredPatch> {
    const t = this.now();
    const id = opts.id ?? globalThis.crypto.randomUUID();
    const previous = opts.id ? await this.db.get('patches', id) : undefined;
    const record: StoredPatch = {
      id,
      name: opts.name ?? previous?.name ?? patch.manifest.name,
      // Copy so later edits to the caller's array cannot change what was saved.
      patch: { ...patch, embeddings: patch.embeddings.slice() },
      savedAt: previous?.savedAt ?? t,
      updatedAt: t,
      deletedAt: null,
      meta: opts.meta ?? previous?.meta,
    };
    await this.db.put('patches', record);
    return record;
  }

  async get(id: string): Promise<StoredPatch | undefined> {
    const r = await this.db.get('patches', id);
    return r && r.deletedAt === null ? r : undefined;
  }

  /** Live patches, oldest first; deleted ones only with includeDeleted. */
  async list(opts: { includeDeleted?: boolean } = {}): Promise<StoredPatchSummary[]> {
    const all = await this.db.getAllFromIndex('patches', 'savedAt');
    // The index orders ties (patches saved in the same millisecond, e.g. a batch
    // import) by their random ids; the name makes the order stable.
    return all
      .filter((r) => opts.includeDeleted || r.deletedAt === null)
      .sort((a, b) => a.savedAt - b.savedAt || a.name.localeCompare(b.name))
      .map(({ patch, ...rest }) => ({
        ...rest,
        manifest: patch.manifest,
        nVirtual: patch.nVirtual,
        hidden: patch.hidden,
      }));
  }

  async rename(id: string, name: string): Promise<StoredPatch> {
    const trimmed = name.trim();
    if (trimmed === '') throw new PatchStoreError('A patch name cannot be empty.');
    return this.update(id, (r) => ({ ...r, name: trimmed }));
  }

  /** Soft delete; returns the record so the caller can offer undo (restore). */
  async delete(id: string): Promise<StoredPatch> {
    return this.update(id, (r) => ({ ...r, deletedAt: this.now() }), { deleted: false });
  }

  async restore(id: string): Promise<StoredPatch> {
    return this.update(id, (r) => ({ ...r, deletedAt: null }), { deleted: true });
  }

  /** Removes soft-deleted patches for good; with olderThanMs, only those deleted that long ago. */
  async purge(opts: { olderThanMs?: number } = {}): Promise<number> {
    const cutoff = this.now() - (opts.olderThanMs ?? 0);
    const tx = this.db.transaction('patches', 'readwrite');
    let removed = 0;
    for await (const cursor of tx.store) {
      const d = cursor.value.deletedAt;
      if (d !== null && d <= cutoff) {
        await cursor.delete();
        removed++;
      }
    }
    await tx.done;
    return removed;
  }

  close(): void {
    this.db.close();
  }

  private async update(
    id: string,
    change: (r: StoredPatch) => StoredPatch,
    expect: { deleted: boolean } = { deleted: false },
  ): Promise<StoredPatch> {
    const tx = this.db.transaction('patches', 'readwrite');
    const r = await tx.store.get(id);
    if (!r || (r.deletedAt !== null) !== expect.deleted) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new PatchStoreError(
        r
          ? `Patch "${r.name}" is ${expect.deleted ? 'not' : 'already'} deleted.`
          : `No patch with id ${id}.`,
      );
    }
    const next = { ...change(r), updatedAt: this.now() };
    await tx.store.put(next);
    await tx.done;
    return next;
  }
}
