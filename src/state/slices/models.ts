// M and M′ as the UI sees them: what is loaded (summaries), what is loading
// (per-file bytes, tensors uploaded, warm-up), the hub model cache, and the
// hub settings the user chose. A load's outcome (done / error / cancelled)
// is the core run record s.runs[runId]; this slice keeps the runId.
import type {
  CachedModelInfo,
  LabEvent,
  ModelLoadPhase,
  ModelRole,
  ModelSummary,
  RunId,
} from '../../protocol/messages';
import type { CoreState } from './core';
import { sliceReducer } from './slice';

export interface FileBytes {
  loaded: number;
  total: number | null;
}

export interface ModelLoad {
  runId: RunId;
  role: ModelRole;
  label: string;
  phase: ModelLoadPhase | 'starting';
  /** Bytes per file read so far, in the order files started. */
  files: Record<string, FileBytes>;
  /** Tensors uploaded to the device / expected. */
  upload: { loaded: number; total: number | null };
  warnings: string[];
}

export interface HubSettings {
  host: string;
  /** false = hub downloads switched off (offline talks): only cached files are used. */
  enabled: boolean;
}

export const DEFAULT_HUB_SETTINGS: HubSettings = { host: 'https://huggingface.co', enabled: true };

export interface ModelsSliceState {
  loaded: Partial<Record<ModelRole, ModelSummary>>;
  /** The latest load per role; cleared when it succeeds, kept on error/cancel to show why. */
  loads: Partial<Record<ModelRole, ModelLoad>>;
  /** null until the cache has been listed. */
  cache: CachedModelInfo[] | null;
  /** false where the browser has no Cache API (e.g. an insecure origin). */
  cacheAvailable: boolean;
  hub: HubSettings;
}

export interface ModelsState {
  models: ModelsSliceState;
}

export const initialModelsState: ModelsState = {
  models: {
    loaded: {},
    loads: {},
    cache: null,
    cacheAvailable: true,
    hub: DEFAULT_HUB_SETTINGS,
  },
};

function withLoad(
  s: ModelsState,
  role: ModelRole,
  runId: RunId,
  f: (l: ModelLoad) => ModelLoad,
): Partial<ModelsState> {
  const load = s.models.loads[role];
  // Events of a load that a newer load of the role has replaced are stale.
  if (!load || load.runId !== runId) return {};
  return { models: { ...s.models, loads: { ...s.models.loads, [role]: f(load) } } };
}

function patchModelsEvent(s: ModelsState, e: LabEvent): Partial<ModelsState> | null {
  switch (e.type) {
    case 'model-load-started':
      return {
        models: {
          ...s.models,
          loads: {
            ...s.models.loads,
            [e.role]: {
              runId: e.runId,
              role: e.role,
              label: e.label,
              phase: 'starting',
              files: {},
              upload: { loaded: 0, total: null },
              warnings: [],
            },
          },
        },
      };
    case 'model-progress':
      return withLoad(s, e.role, e.runId, (l) => {
        const next: ModelLoad = { ...l, phase: e.phase };
        if (e.phase === 'download' && e.file !== null) {
          next.files = { ...l.files, [e.file]: { loaded: e.loaded, total: e.total } };
        } else if (e.phase === 'upload') {
          next.upload = { loaded: e.loaded, total: e.total };
        }
        return next;
      });
    case 'model-warning':
      return withLoad(s, e.role, e.runId, (l) => ({ ...l, warnings: [...l.warnings, e.message] }));
    case 'model-loaded': {
      const role = e.summary.role;
      const loads = { ...s.models.loads };
      if (loads[role]?.runId === e.runId) delete loads[role];
      return { models: { ...s.models, loaded: { ...s.models.loaded, [role]: e.summary }, loads } };
    }
    case 'model-cache':
      return { models: { ...s.models, cache: e.models, cacheAvailable: e.available } };
    default:
      return null;
  }
}

/** True while either role is loading. */
export function selectAnyModelLoading(s: ModelsState & Pick<CoreState, 'runs'>): boolean {
  return (['base', 'reference'] as const).some((role) => {
    const load = s.models.loads[role];
    return load !== undefined && s.runs[load.runId]?.status === 'running';
  });
}

/** The models slice's reducer: every event goes through it; events of other features leave it as it was. */
export const reduceModelsEvent = sliceReducer(patchModelsEvent);
