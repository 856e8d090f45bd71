// The lab's core: the worker and its backend, the device, and one record
// per run (status, progress, error) that every feature's run shares.
import type { DeviceReport, SelftestResult } from '../../protocol/device';
import type { BackendState, LabEvent, RunId, RunKind } from '../../protocol/messages';
import { sliceReducer } from './slice';

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

export const initialCoreState: CoreState = {
  workerReady: false,
  device: null,
  backend: null,
  backendPending: true,
  runs: {},
  selftest: [],
  errors: [],
};

function updateRun(s: CoreState, runId: RunId, patch: Partial<RunState>): Partial<CoreState> {
  const run = s.runs[runId];
  if (!run) return {};
  return { runs: { ...s.runs, [runId]: { ...run, ...patch } } };
}

function patchCore(s: CoreState, e: LabEvent): Partial<CoreState> | null {
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
    default:
      return null;
  }
}

/** The core slice's reducer (its fields sit at the top of the lab state). */
export const reduceCoreEvent = sliceReducer(patchCore);
