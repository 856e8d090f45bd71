import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../protocol/messages';
import { createLabStore, reduceLabEvent } from '../state/lab-store';
import { removeSet, selectEvalSets } from '../state/slices/data';
import { syncImportedSets } from './data';
import { ImportedSetsDb } from './imported-sets-db';

const imported: LabEvent = {
  type: 'data-imported',
  runId: 'r1',
  fileId: 'f1',
  fileName: 'harmful_behaviors.csv',
  format: 'advbench',
  sets: [
    {
      name: 'harmful_behaviors',
      kind: 'harmful',
      source: 'harmful_behaviors.csv',
      split: 'eval',
      items: [{ prompt: 'a' }, { prompt: 'b' }],
    },
  ],
  pairSets: [],
  warnings: [],
  skipped: { count: 0, lines: [] },
};

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('imported sets persist across reloads (IndexedDB)', () => {
  it('an import survives a new store; a removal is forgotten too', async () => {
    const name = `test-${Math.random()}`;
    const db1 = await ImportedSetsDb.open(name);
    const store1 = createLabStore();
    const stop = await syncImportedSets(store1, db1);
    store1.setState((s) => reduceLabEvent(s, imported));
    await settle();
    stop();
    db1.close();

    // "Reload": a fresh store over the same database.
    const db2 = await ImportedSetsDb.open(name);
    const store2 = createLabStore();
    const stop2 = await syncImportedSets(store2, db2);
    const restored = store2.getState().data.imported;
    expect(restored.map((x) => x.set.items.length)).toEqual([2]);
    expect(selectEvalSets(store2.getState()).harmful.map((x) => x.name)).toContain(
      'harmful_behaviors',
    );

    store2.setState((s) => removeSet(s, restored[0].id));
    await settle();
    expect(await db2.all()).toEqual([]);
    stop2();
    db2.close();
  });
});
