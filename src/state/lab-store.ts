// The lab's UI state, framework-free (zustand/vanilla) so the worker client
// can write into it; React components subscribe through useLabStore.
import { createStore } from 'zustand/vanilla';
import type { DeviceReport, SelftestResult } from '../protocol/device';
import type { BackendState, CoreEvent, LabEvent, RunId, RunKind } from '../protocol/messages';
import { type DataState, initialDataState, reduceDataEvent } from './slices/data';
import { type EvalState, initialEvalState, reduceEvalEvent } from './slices/eval';
import { initialModelsState, type ModelsState, reduceModelsEvent } from './slices/models';
import { initialPatchesState, type PatchesState, reducePatchesEvent } from './slices/patches';
import {
  initialPlaygroundState,
  type PlaygroundState,
  reducePlaygroundEvent,
} from './slices/playground';
import { initialTrainState, reduceTrainEvent, type TrainState } from './slices/train';

export type RunStatus = 'running' | 'done' | 'cancelled' | 'error';

export interface RunState {
  runId: RunId;
  kind: RunKind;
  label: string;
  status: RunStatus;
  done: number;
  total: number;
  message: string;
  error: string | null;
}

export interface CoreState {
  workerReady: boolean;
  device: DeviceReport | null;
  backend: BackendState | null;
  /** True while the worker is (re)starting a backend. */
  backendPending: boolean;
  runs: Record<RunId, RunState>;
  selftest: SelftestResult[];
  /** Failures outside any run, newest last. */
  errors: string[];
}

/** The whole lab state: the core plus one slice per feature (src/state/slices/). */
export type LabState = CoreState &
  ModelsState &
  DataState &
  TrainState &
  EvalState &
  PlaygroundState &
  PatchesState;

export const initialLabState: LabState = {
  workerReady: false,
  device: null,
  backend: null,
  backendPending: true,
  runs: {},
  selftest: [],
  errors: [],
  ...initialModelsState,
  ...initialDataState,
  ...initialTrainState,
  ...initialEvalState,
  ...initialPlaygroundState,
  ...initialPatchesState,
};

function updateRun(s: LabState, runId: RunId, patch: Partial<RunState>): Partial<LabState> {
  const run = s.runs[runId];
  if (!run) return {};
  return { runs: { ...s.runs, [runId]: { ...run, ...patch } } };
}

const SLICE_REDUCERS = [
  reduceModelsEvent,
  reduceDataEvent,
  reduceTrainEvent,
  reduceEvalEvent,
  reducePlaygroundEvent,
  reducePatchesEvent,
];

const CORE_EVENT_TYPES = new Set<string>([
  'ready',
  'device',
  'backend',
  'run-started',
  'run-progress',
  'selftest-result',
  'run-done',
  'run-cancelled',
  'run-error',
  'error',
]);

/** Pure: how one worker event changes the state. Core events first, then each feature slice. */
export function reduceLabEvent(s: LabState, e: LabEvent): Partial<LabState> {
  if (CORE_EVENT_TYPES.has(e.type)) return reduceCoreEvent(s, e as CoreEvent);
  for (const reduce of SLICE_REDUCERS) {
    const patch = reduce(s, e);
    if (patch) return patch;
  }
  return {};
}

function reduceCoreEvent(s: LabState, e: CoreEvent): Partial<LabState> {
  switch (e.type) {
    case 'ready':
      return { workerReady: true };
    case 'device':
      return { device: e.report };
    case 'backend':
      return { backend: e.state, backendPending: false };
    case 'run-started':
      return {
        runs: {
          ...s.runs,
          [e.runId]: {
            runId: e.runId,
            kind: e.kind,
            label: e.label,
            status: 'running',
            done: 0,
            total: 0,
            message: '',
            error: null,
          },
        },
        ...(e.kind === 'selftest' ? { selftest: [] } : {}),
      };
    case 'run-progress':
      return updateRun(s, e.runId, { done: e.done, total: e.total, message: e.message });
    case 'selftest-result':
      return { selftest: [...s.selftest, e.result] };
    case 'run-done':
      return updateRun(s, e.runId, { status: 'done' });
    case 'run-cancelled':
      return updateRun(s, e.runId, { status: 'cancelled' });
    case 'run-error':
      return updateRun(s, e.runId, { status: 'error', error: e.message });
    case 'error':
      return { errors: [...s.errors, e.message], backendPending: false };
  }
}

export function createLabStore() {
  return createStore<LabState>()(() => ({ ...initialLabState }));
}

export type LabStore = ReturnType<typeof createLabStore>;
