// Prompt sets as the lab uses them: the built-in demo sets, imported
// benchmark files (with their detection, preview and warnings), splits, and
// which sets are selected. Training reads selectTrainSets, evaluation
// selectEvalSets and selectPairSets; all three return stable references
// while the data slice is unchanged, so React subscribers do not re-render
// (or loop) on every store update.

import { BUILTIN_PROMPT_SETS } from '../../data/builtin/index';
import { PROMPT_SET_KINDS } from '../../data/domains';
import type {
  BenchmarkFormat,
  DetectedFormat,
  Skipped,
  TablePreview,
} from '../../data/importers/index';
import type { PromptSet, PromptSetKind, SentencePairSet } from '../../data/types';
import type { DataImportChoice, LabEvent, RunId } from '../../protocol/messages';
import { sliceReducer } from './slice';

export type SetOrigin = 'builtin' | 'imported' | 'split';

export interface StoredPromptSet {
  id: string;
  set: PromptSet;
  origin: SetOrigin;
  /** The import a set came from (also for the halves of a split import); null for built-ins. */
  fileId: string | null;
  fileName: string | null;
  format: BenchmarkFormat | null;
}

export interface StoredPairSet {
  id: string;
  set: SentencePairSet;
  fileId: string;
  fileName: string;
}

/** One file the user dropped, while and after it is imported (not persisted: it holds no data). */
export interface ImportJob {
  fileId: string;
  fileName: string;
  size: number;
  /** The latest run for this file: its status and error are in s.runs[runId]. */
  runId: RunId;
  detected: DetectedFormat | null;
  preview: TablePreview | null;
  /** What the latest run was asked to do. */
  choice: DataImportChoice;
  warnings: string[];
  /**
   * What the latest run imported from this file, prompts and (CrowS-Pairs
   * style) sentence pairs counted apart, as the set list shows them; null
   * until it imports.
   */
  imported: { prompts: number; pairs: number } | null;
  /** Bad lines the latest import left out (the rest was imported). */
  skipped: Skipped | null;
}

export interface SplitReport {
  setName: string;
  train: number;
  eval: number;
  duplicatesDropped: number;
  overlaps: string[];
  /** Statements shared by few-shot lines on both sides (empty when they were kept apart). */
  statementOverlaps: string[];
  /** Why the split could not keep few-shot statements apart. */
  statementWarning: string | null;
}

export interface DataSliceState {
  /** Imported (and split) prompt sets, oldest first. */
  imported: StoredPromptSet[];
  pairSets: StoredPairSet[];
  jobs: Record<string, ImportJob>;
  /** Job ids, newest first. */
  jobOrder: string[];
  /** Ids of the selected prompt sets and pair sets. */
  selected: string[];
  lastSplit: SplitReport | null;
}

export interface DataState {
  data: DataSliceState;
}

export const builtinSetId = (set: PromptSet) => `builtin:${set.name}`;

export const BUILTIN_SETS: readonly StoredPromptSet[] = BUILTIN_PROMPT_SETS.map((set) => ({
  id: builtinSetId(set),
  set,
  origin: 'builtin' as const,
  fileId: null,
  fileName: null,
  format: null,
}));

export const initialDataState: DataState = {
  data: {
    imported: [],
    pairSets: [],
    jobs: {},
    jobOrder: [],
    // The demo works with zero clicks: every built-in set starts selected.
    selected: BUILTIN_SETS.map((s) => s.id),
    lastSplit: null,
  },
};

const patchData = (s: DataState, patch: Partial<DataSliceState>): Partial<DataState> => ({
  data: { ...s.data, ...patch },
});

function patchDataEvent(s: DataState, e: LabEvent): Partial<DataState> | null {
  switch (e.type) {
    case 'data-inspected': {
      const old = s.data.jobs[e.fileId];
      const job: ImportJob = {
        fileId: e.fileId,
        fileName: e.fileName,
        size: e.size,
        runId: e.runId,
        detected: e.detected,
        preview: e.preview,
        choice: old?.runId === e.runId ? old.choice : {},
        warnings: e.preview?.warnings ?? [],
        imported: null,
        skipped: null,
      };
      return patchData(s, {
        jobs: { ...s.data.jobs, [e.fileId]: job },
        jobOrder: old ? s.data.jobOrder : [e.fileId, ...s.data.jobOrder],
      });
    }
    case 'data-imported': {
      // A re-import of the same file (another format, column or option) replaces its sets.
      const kept = s.data.imported.filter((x) => x.fileId !== e.fileId);
      const keptPairs = s.data.pairSets.filter((x) => x.fileId !== e.fileId);
      const stamp = e.runId;
      const sets: StoredPromptSet[] = e.sets.map((set, i) => ({
        id: `${e.fileId}:${stamp}:${i}`,
        set,
        origin: 'imported',
        fileId: e.fileId,
        fileName: e.fileName,
        format: e.format,
      }));
      const pairs: StoredPairSet[] = e.pairSets.map((set, i) => ({
        id: `${e.fileId}:${stamp}:pairs${i}`,
        set,
        fileId: e.fileId,
        fileName: e.fileName,
      }));
      const gone = new Set(
        [...s.data.imported, ...s.data.pairSets]
          .filter((x) => x.fileId === e.fileId)
          .map((x) => x.id),
      );
      const job = s.data.jobs[e.fileId];
      return patchData(s, {
        imported: [...kept, ...sets],
        pairSets: [...keptPairs, ...pairs],
        // What the user imported is what they want to use: select it.
        selected: [
          ...s.data.selected.filter((id) => !gone.has(id)),
          ...sets.map((x) => x.id),
          ...pairs.map((x) => x.id),
        ],
        jobs: job
          ? {
              ...s.data.jobs,
              [e.fileId]: {
                ...job,
                warnings: e.warnings,
                skipped: e.skipped,
                imported: {
                  prompts: sets.reduce((n, x) => n + x.set.items.length, 0),
                  pairs: pairs.reduce((n, x) => n + x.set.pairs.length, 0),
                },
              },
            }
          : s.data.jobs,
      });
    }
    case 'data-split': {
      const i = s.data.imported.findIndex((x) => x.id === e.setId);
      if (i < 0) return {};
      const src = s.data.imported[i];
      const halves: StoredPromptSet[] = [
        { ...src, id: `${src.id}/train`, set: e.train, origin: 'split' },
        { ...src, id: `${src.id}/eval`, set: e.eval, origin: 'split' },
      ];
      const imported = [...s.data.imported];
      imported.splice(i, 1, ...halves);
      const wasSelected = s.data.selected.includes(src.id);
      return patchData(s, {
        imported,
        selected: [
          ...s.data.selected.filter((id) => id !== src.id),
          ...(wasSelected ? halves.map((h) => h.id) : []),
        ],
        lastSplit: {
          setName: src.set.name,
          train: e.train.items.length,
          eval: e.eval.items.length,
          duplicatesDropped: e.duplicatesDropped,
          overlaps: e.overlaps,
          statementOverlaps: e.statements?.overlaps ?? [],
          statementWarning: e.statements?.warning ?? null,
        },
      });
    }
    default:
      return null;
  }
}

// ─── UI actions (pure; the client applies them with store.setState) ─────────

/** Records the choice a new run for a file was asked to make (before its events arrive). */
export function startJobRun(
  s: DataState,
  fileId: string,
  runId: RunId,
  choice: DataImportChoice,
): Partial<DataState> {
  const job = s.data.jobs[fileId];
  if (!job) return {};
  return patchData(s, { jobs: { ...s.data.jobs, [fileId]: { ...job, runId, choice } } });
}

export function setSelected(s: DataState, id: string, on: boolean): Partial<DataState> {
  const has = s.data.selected.includes(id);
  if (on === has) return {};
  return patchData(s, {
    selected: on ? [...s.data.selected, id] : s.data.selected.filter((x) => x !== id),
  });
}

/** Removes one imported (or split) prompt set or pair set. */
export function removeSet(s: DataState, id: string): Partial<DataState> {
  return patchData(s, {
    imported: s.data.imported.filter((x) => x.id !== id),
    pairSets: s.data.pairSets.filter((x) => x.id !== id),
    selected: s.data.selected.filter((x) => x !== id),
  });
}

/** Forgets a dropped file's card (its imported sets stay). */
export function dismissJob(s: DataState, fileId: string): Partial<DataState> {
  const jobs = { ...s.data.jobs };
  delete jobs[fileId];
  return patchData(s, { jobs, jobOrder: s.data.jobOrder.filter((x) => x !== fileId) });
}

/** Restores persisted imports and selection (ids that no longer exist are dropped). */
export function hydrateData(
  s: DataState,
  saved: { imported: StoredPromptSet[]; pairSets: StoredPairSet[]; selected: string[] | null },
): Partial<DataState> {
  const known = new Set([
    ...BUILTIN_SETS.map((x) => x.id),
    ...saved.imported.map((x) => x.id),
    ...saved.pairSets.map((x) => x.id),
  ]);
  const fresh = new Set([...s.data.imported, ...s.data.pairSets].map((x) => x.id));
  // Anything imported in this session before storage answered stays too.
  const imported = [...saved.imported.filter((x) => !fresh.has(x.id)), ...s.data.imported];
  const pairSets = [...saved.pairSets.filter((x) => !fresh.has(x.id)), ...s.data.pairSets];
  const selected = saved.selected
    ? [
        ...new Set([
          ...saved.selected.filter((id) => known.has(id)),
          ...s.data.selected.filter((id) => fresh.has(id)),
        ]),
      ]
    : [...s.data.selected, ...saved.imported.map((x) => x.id), ...saved.pairSets.map((x) => x.id)];
  return patchData(s, { imported, pairSets, selected });
}

// ─── Selectors (memoised on the data slice's identity) ──────────────────────

function memo<T>(f: (d: DataSliceState) => T): (s: DataState) => T {
  let lastIn: DataSliceState | null = null;
  let lastOut: T;
  return (s) => {
    if (s.data !== lastIn) {
      lastIn = s.data;
      lastOut = f(s.data);
    }
    return lastOut;
  };
}

/** Built-in sets first, then imported ones. */
export const selectAllPromptSets = memo((d): StoredPromptSet[] => [...BUILTIN_SETS, ...d.imported]);

const selectedPromptSets = (d: DataSliceState) => {
  const on = new Set(d.selected);
  return [...BUILTIN_SETS, ...d.imported].filter((x) => on.has(x.id)).map((x) => x.set);
};

/** The selected training sets (split 'train'), any domain. */
export const selectTrainSets = memo((d): PromptSet[] =>
  selectedPromptSets(d).filter((set) => set.split === 'train'),
);

const KINDS: readonly PromptSetKind[] = PROMPT_SET_KINDS;

/** The selected held-out sets (split 'eval') per kind; every kind present, maybe empty. */
export const selectEvalSets = memo((d): Record<PromptSetKind, PromptSet[]> => {
  const out = Object.fromEntries(KINDS.map((k) => [k, [] as PromptSet[]])) as Record<
    PromptSetKind,
    PromptSet[]
  >;
  for (const set of selectedPromptSets(d)) if (set.split === 'eval') out[set.kind].push(set);
  return out;
});

/** The selected sentence-pair sets (CrowS-Pairs style), for likelihood bias metrics. */
export const selectPairSets = memo((d): SentencePairSet[] => {
  const on = new Set(d.selected);
  return d.pairSets.filter((x) => on.has(x.id)).map((x) => x.set);
});

/** The data slice's reducer: every event goes through it; events of other features leave it as it was. */
export const reduceDataEvent = sliceReducer(patchDataEvent);
