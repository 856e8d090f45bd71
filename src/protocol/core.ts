// Core messages: device, backend, self-test, cancellation, run lifecycle and errors.
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { BackendName } from '../engine/backend-names';
import type { RequestId, WithRunId } from './base';
import type { DeviceReport, SelftestResult } from './device';

export type CoreCommand =
  /** Detect the device and start the best backend (or the override). */
  | { type: 'init'; override: BackendName | null }
  /** Switch backend; null returns to automatic choice. */
  | { type: 'set-backend'; override: BackendName | null }
  /** Run the gradient self-test on each backend and compare with cpu. */
  | WithRunId<{ type: 'selftest'; backends: BackendName[] }>
  | WithRunId<{ type: 'cancel' }>;

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
  /** On wasm: the threads tfjs runs and why (engine/wasm-threads.ts); null on other backends. */
  threads: { count: number; reason: string } | null;
}

export type CoreEvent =
  | { type: 'ready' }
  | { type: 'device'; report: DeviceReport }
  | { type: 'backend'; state: BackendState }
  | WithRunId<{ type: 'run-started'; kind: RunKind; label: string }>
  | WithRunId<{ type: 'run-progress'; done: number; total: number; message: string }>
  | WithRunId<{ type: 'selftest-result'; result: SelftestResult }>
  | WithRunId<{ type: 'run-done' }>
  | WithRunId<{ type: 'run-cancelled' }>
  | WithRunId<{ type: 'run-error' } & ErrorInfo>
  /**
   * A failure outside any run (e.g. backend initialisation gave up entirely),
   * or a query's failure (then with the query's requestId).
   */
  | ({ type: 'error'; requestId: RequestId | null } & ErrorInfo);

/** A thrown error as it crosses the thread: the domain layers' coded errors keep their name and code. */
export interface ErrorInfo {
  message: string;
  /** The error class's name ('PatchFileError', 'AbortError', 'Error'). */
  name: string;
  /** The domain code (e.g. 'CONTENT_MODIFIED'), or null for errors without one. */
  code: string | null;
}

export type RunKind =
  | 'selftest'
  | 'load-model'
  | 'import-data'
  | 'collect'
  | 'train'
  | 'evaluate'
  | 'generate'
  | 'patch';
