// The one typed contract between the UI thread and the lab worker. Commands
// go in, events come out; every event of a run carries its run id, and
// failures travel as events (never swallowed, never thrown across threads).
import type { BackendName } from '../engine/backends';
import type { DeviceReport } from './device-info';
import type { SelftestResult } from './gradient-selftest';

export type RunId = string;

export type LabCommand =
  /** Detect the device and start the best backend (or the override). */
  | { type: 'init'; override: BackendName | null }
  /** Switch backend; null returns to automatic choice. */
  | { type: 'set-backend'; override: BackendName | null }
  /** Run the gradient self-test on each backend and compare with cpu. */
  | { type: 'selftest'; runId: RunId; backends: BackendName[] }
  | { type: 'cancel'; runId: RunId };

export interface BackendAttempt {
  backend: BackendName;
  error: string;
}

export interface BackendState {
  active: BackendName;
  reason: string;
  /** Backends that were tried first and failed, with why (shown as a note). */
  failed: BackendAttempt[];
  override: BackendName | null;
}

export type RunKind = 'selftest';

export type LabEvent =
  | { type: 'ready' }
  | { type: 'device'; report: DeviceReport }
  | { type: 'backend'; state: BackendState }
  | { type: 'run-started'; runId: RunId; kind: RunKind; label: string }
  | { type: 'run-progress'; runId: RunId; done: number; total: number; message: string }
  | { type: 'selftest-result'; runId: RunId; result: SelftestResult }
  | { type: 'run-done'; runId: RunId }
  | { type: 'run-cancelled'; runId: RunId }
  | { type: 'run-error'; runId: RunId; message: string }
  /** A failure outside any run (e.g. backend initialisation gave up entirely). */
  | { type: 'error'; message: string };

export type LabEventOf<T extends LabEvent['type']> = Extract<LabEvent, { type: T }>;

/** Events that belong to a run carry a runId; this narrows to them. */
export function isRunEvent(e: LabEvent): e is Extract<LabEvent, { runId: RunId }> {
  return 'runId' in e;
}
