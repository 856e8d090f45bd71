import 'fake-indexeddb/auto';
import type { DBSchema } from 'idb';
import { describe, expect, it } from 'vitest';
import { type IdbMigration, openVersioned } from './idb';

interface NotesDb extends DBSchema {
  notes: { key: string; value: { id: string; text: string; words?: number } };
}

const v1: IdbMigration<NotesDb> = (db) => {
  db.createObjectStore('notes', { keyPath: 'id' });
};
const ran: string[] = [];
/** v2 adds a word count to every stored note. */
const v2: IdbMigration<NotesDb> = (_db, tx) => {
  ran.push('v2');
  const store = tx.objectStore('notes');
  void store.openCursor().then(async function step(cursor): Promise<void> {
    if (!cursor) return;
    await cursor.update({ ...cursor.value, words: cursor.value.text.split(/\s+/).length });
    return step(await cursor.continue());
  });
};

describe('openVersioned', () => {
  it('creates a fresh database at the version of its last migration', async () => {
    const db = await openVersioned<NotesDb>('fresh', [v1]);
    expect(db.version).toBe(1);
    expect([...db.objectStoreNames]).toEqual(['notes']);
    db.close();
  });

  it('upgrades an existing database with only the migrations it has not run, keeping its data', async () => {
    const old = await openVersioned<NotesDb>('upgrade', [v1]);
    await old.put('notes', { id: 'a', text: 'three little words' });
    old.close();
    ran.length = 0;
    const db = await openVersioned<NotesDb>('upgrade', [v1, v2]);
    expect(db.version).toBe(2);
    expect(ran).toEqual(['v2']);
    expect(await db.get('notes', 'a')).toEqual({ id: 'a', text: 'three little words', words: 3 });
    db.close();
    // Opening again at the same version runs nothing.
    ran.length = 0;
    (await openVersioned<NotesDb>('upgrade', [v1, v2])).close();
    expect(ran).toEqual([]);
  });

  it('refuses an empty migration list', () => {
    expect(() => openVersioned<NotesDb>('none', [])).toThrow('at least one migration');
  });
});
