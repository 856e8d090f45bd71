// What the UI does with data, over the LabClient: import files (parsed in
// the worker), re-import one with another format/column/option, split a set,
// select and remove sets, and keep imported sets across reloads.

import type { DataImportChoice } from '../protocol/messages';
import type { LabStore } from '../state/lab-store';
import {
  type DataSliceState,
  dismissJob,
  hydrateData,
  removeSet,
  type StoredPairSet,
  type StoredPromptSet,
  setSelected,
  startJobRun,
} from '../state/slices/data';
import { ImportedSetsDb, type SavedImport } from './imported-sets-db';
import type { LabClient } from './lab-client';
import { dataSelectionSetting } from './settings';

/** The File behind each import card, so the user can re-import it with other choices. */
const filesByClient = new WeakMap<LabClient, Map<string, File>>();
const filesOf = (client: LabClient) => {
  let m = filesByClient.get(client);
  if (!m) {
    m = new Map();
    filesByClient.set(client, m);
  }
  return m;
};

let nextFileId = 1;

/**
 * Imports several files at once (each detected on its own). Resolves when
 * all have finished; a broken file's error is on its card, and the others
 * still import.
 */
export async function importDataFiles(client: LabClient, files: File[]): Promise<void> {
  await Promise.all(
    files.map((file) => {
      const fileId = `file-${Date.now().toString(36)}-${nextFileId++}`;
      filesOf(client).set(fileId, file);
      return client
        .run({ type: 'import-data', runId: client.newRunId(), fileId, file, choice: {} })
        .catch(() => {});
    }),
  );
}

/** Runs the import of a dropped file again with the user's choices. */
export async function reimportDataFile(
  client: LabClient,
  fileId: string,
  choice: DataImportChoice,
): Promise<void> {
  const file = filesOf(client).get(fileId);
  if (!file) throw new Error('That file is no longer available; drop it again.');
  const runId = client.newRunId();
  client.store.setState((s) => startJobRun(s, fileId, runId, choice));
  await client.run({ type: 'import-data', runId, fileId, file, choice });
}

export function splitPromptSet(
  client: LabClient,
  setId: string,
  evalFraction: number,
  seed: number,
): Promise<void> {
  const stored = client.store.getState().data.imported.find((x) => x.id === setId);
  if (!stored) return Promise.reject(new Error('That prompt set no longer exists.'));
  return client.run({
    type: 'split-data',
    runId: client.newRunId(),
    setId,
    set: stored.set,
    evalFraction,
    seed,
  });
}

export function selectDataSet(client: LabClient, id: string, on: boolean): void {
  client.store.setState((s) => setSelected(s, id, on));
}

export function removeDataSet(client: LabClient, id: string): void {
  client.store.setState((s) => removeSet(s, id));
}

export function dismissImportJob(client: LabClient, fileId: string): void {
  filesOf(client).delete(fileId);
  client.store.setState((s) => dismissJob(s, fileId));
}

// ─── Persistence ────────────────────────────────────────────────────────────

type Grouped = Map<string, { sets: StoredPromptSet[]; pairSets: StoredPairSet[] }>;

function groupByFile(d: DataSliceState): Grouped {
  const out: Grouped = new Map();
  const get = (id: string) => {
    let g = out.get(id);
    if (!g) {
      g = { sets: [], pairSets: [] };
      out.set(id, g);
    }
    return g;
  };
  for (const x of d.imported) if (x.fileId) get(x.fileId).sets.push(x);
  for (const x of d.pairSets) get(x.fileId).pairSets.push(x);
  return out;
}

const sameItems = <T>(a: T[], b: T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Restores saved imports into the store, then writes every later change
 * (import, split, removal) back, one record per file, and the selection to
 * localStorage. Returns a function that stops syncing. `onError` hears
 * storage failures (e.g. quota) so the UI can say the sets will not persist.
 */
export async function syncImportedSets(
  store: LabStore,
  db: ImportedSetsDb,
  onError: (message: string) => void = () => {},
): Promise<() => void> {
  const saved = await db.all();
  store.setState((s) =>
    hydrateData(s, {
      imported: saved.flatMap((r) => r.sets),
      pairSets: saved.flatMap((r) => r.pairSets),
      selected: dataSelectionSetting.load(),
    }),
  );
  let last = groupByFile(store.getState().data);
  let lastSelected = store.getState().data.selected;
  // The first write after hydration covers anything imported before storage answered.
  const savedIds = new Set(saved.map((r) => r.fileId));
  const write = (fileId: string, g: { sets: StoredPromptSet[]; pairSets: StoredPairSet[] }) => {
    const record: SavedImport = { fileId, sets: g.sets, pairSets: g.pairSets, savedAt: Date.now() };
    return db.put(record).catch((e) => onError(`Could not save imported sets: ${String(e)}`));
  };
  await Promise.all([...last].filter(([id]) => !savedIds.has(id)).map(([id, g]) => write(id, g)));

  return store.subscribe((s, prev) => {
    if (s.data.selected !== lastSelected) {
      lastSelected = s.data.selected;
      dataSelectionSetting.save(lastSelected);
    }
    if (s.data.imported === prev.data.imported && s.data.pairSets === prev.data.pairSets) return;
    const next = groupByFile(s.data);
    for (const [fileId, g] of next) {
      const old = last.get(fileId);
      if (!old || !sameItems(old.sets, g.sets) || !sameItems(old.pairSets, g.pairSets)) {
        write(fileId, g);
      }
    }
    for (const fileId of last.keys()) {
      if (!next.has(fileId)) {
        db.delete(fileId).catch((e) => onError(`Could not remove saved sets: ${String(e)}`));
      }
    }
    last = next;
  });
}

const persisting = new WeakSet<LabClient>();

/** Starts persistence once per client (the Data panel calls it on mount). */
export function persistImportedSetsOnce(
  client: LabClient,
  onError: (message: string) => void,
): void {
  if (persisting.has(client) || typeof indexedDB === 'undefined') return;
  persisting.add(client);
  ImportedSetsDb.open()
    .then((db) => syncImportedSets(client.store, db, onError))
    .catch((e) => onError(`Imported sets cannot be saved in this browser: ${String(e)}`));
}
