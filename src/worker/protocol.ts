// The one typed contract between the UI thread and the lab worker. Commands
// go in, events come out; every event of a run carries its run id, and
// failures travel as events (never swallowed, never thrown across threads).
import type { BackendName } from '../engine/backends';
import type { DeviceReport } from './device-info';
import type { SelftestResult } from './gradient-selftest';

export type RunId = string;

// ─── Core: device, backend, self-test, cancellation ─────────────────────────

export type CoreCommand =
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

export type CoreEvent =
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

export type RunKind =
  | 'selftest'
  | 'load-model'
  | 'import-data'
  | 'collect'
  | 'train'
  | 'evaluate'
  | 'generate'
  | 'patch';

// ─── Models: loading M and M′ from the demo, the hub or a folder ────────────

export type ModelRole = 'base' | 'reference';

export interface ModelSummary {
  role: ModelRole;
  sourceId: string;
  label: string;
  modelId: string;
  revision: string;
  modelType: string;
  params: number;
  hiddenSize: number;
  numLayers: number;
  vocabSize: number;
  /** Fingerprint of the embedding matrix (src/patch/fingerprint.ts): patches are bound to it. */
  embeddingFingerprint: string;
}

export type ModelCommand = {
  type: 'load-model';
  runId: RunId;
  role: ModelRole;
  source: ModelSourceSpec;
};

/** Where to load a model from; plain data (File objects clone across postMessage). */
export type ModelSourceSpec =
  | { kind: 'embedded'; name: string }
  | { kind: 'hub'; repo: string; revision: string; host: string }
  | { kind: 'local'; files: File[]; label: string };

export type ModelEvent =
  | {
      type: 'model-progress';
      runId: RunId;
      role: ModelRole;
      phase: 'download' | 'upload' | 'warmup' | 'ready';
      file: string | null;
      loaded: number;
      total: number | null;
    }
  | { type: 'model-loaded'; runId: RunId; summary: ModelSummary };

// ─── Data: built-in prompt sets and imported benchmark files ────────────────

export type DataCommand = never;
export type DataEvent = never;

// ─── Training: collect, SFT, DPO, checkpoints ───────────────────────────────

export type TrainCommand = never;
export type TrainEvent = never;

// ─── Evaluation: metrics of M, M+P and M′ ───────────────────────────────────

export type EvalCommand = never;
export type EvalEvent = never;

// ─── Playground: one prompt through M, M+P and M′ ───────────────────────────

export type PlaygroundCommand = never;
export type PlaygroundEvent = never;

// ─── Patches: files, signing, composition, PEFT ─────────────────────────────

export type PatchCommand = never;
export type PatchEvent = never;

// ─── The unions ─────────────────────────────────────────────────────────────

export type LabCommand =
  | CoreCommand
  | ModelCommand
  | DataCommand
  | TrainCommand
  | EvalCommand
  | PlaygroundCommand
  | PatchCommand;
export type LabEvent =
  | CoreEvent
  | ModelEvent
  | DataEvent
  | TrainEvent
  | EvalEvent
  | PlaygroundEvent
  | PatchEvent;

export type LabEventOf<T extends LabEvent['type']> = Extract<LabEvent, { type: T }>;
export type LabCommandOf<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;

/** Events that belong to a run carry a runId; this narrows to them. */
export function isRunEvent(e: LabEvent): e is Extract<LabEvent, { runId: RunId }> {
  return 'runId' in e;
}
