import type { BackendName } from '../engine/backend-names';
import type {
  LabCommand,
  LabEvent,
  LabEventOf,
  QueryCommand,
  RequestId,
  RunCommand,
  RunId,
} from '../protocol/messages';
import { type LabStore, reduceLabEvent } from '../state/lab-store';
import { LabError } from './lab-error';

/** The part of a Worker the client uses; a MessagePort-like fake works in tests. */
export interface WorkerLike {
  postMessage(message: LabCommand): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent<LabEvent>) => void): void;
  addEventListener(type: 'error', listener: (ev: ErrorEvent) => void): void;
}

/**
 * The UI's only way to talk to the lab worker: sends typed commands and
 * writes every event into the store. `run()` also gives a promise per run,
 * for flows that chain steps; `query()` a promise of a query's answer.
 */
export class LabClient {
  private nextId = 1;
  private waiters = new Map<RunId, { resolve: () => void; reject: (e: Error) => void }>();
  private queries = new Map<
    RequestId,
    { answer: LabEvent['type']; resolve: (e: LabEvent) => void; reject: (e: Error) => void }
  >();
  private listeners = new Set<(e: LabEvent) => void>();

  constructor(
    private readonly worker: WorkerLike,
    readonly store: LabStore,
  ) {
    worker.addEventListener('message', (ev: MessageEvent<LabEvent>) => this.receive(ev.data));
    worker.addEventListener('error', (ev: ErrorEvent) => {
      this.receive({
        type: 'error',
        requestId: null,
        name: 'WorkerCrash',
        code: null,
        message: `The lab worker crashed: ${ev.message || 'unknown error'}`,
      });
    });
  }

  private receive(e: LabEvent): void {
    this.store.setState((s) => reduceLabEvent(s, e));
    for (const l of this.listeners) l(e);
    if ('requestId' in e && e.requestId !== null) this.settleQuery(e.requestId, e);
    if ('runId' in e) {
      const w = this.waiters.get(e.runId);
      if (!w) return;
      if (e.type === 'run-done' || e.type === 'run-cancelled') {
        this.waiters.delete(e.runId);
        w.resolve();
      } else if (e.type === 'run-error') {
        this.waiters.delete(e.runId);
        w.reject(new LabError(e));
      }
    }
  }

  private settleQuery(requestId: RequestId, e: LabEvent): void {
    const q = this.queries.get(requestId);
    if (!q) return;
    if (e.type === 'error') {
      this.queries.delete(requestId);
      q.reject(new LabError(e));
    } else if (e.type === q.answer) {
      this.queries.delete(requestId);
      q.resolve(e);
    }
  }

  /** Every event, for tests and for components that need raw streams. */
  subscribe(listener: (e: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  newRunId(): RunId {
    return `run-${Date.now().toString(36)}-${this.nextId++}`;
  }

  newRequestId(): RequestId {
    return `req-${Date.now().toString(36)}-${this.nextId++}`;
  }

  send(cmd: LabCommand): void {
    this.worker.postMessage(cmd);
  }

  /** Sends a run command and resolves when the run ends (rejects on run-error). */
  run(cmd: RunCommand): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.waiters.set(cmd.runId, { resolve, reject });
    });
    this.send(cmd);
    return done;
  }

  /**
   * Sends a query (a new requestId is added) and resolves with its answer
   * event of type `answer`; rejects with the worker's error for it.
   */
  query<A extends LabEvent['type']>(
    cmd: QueryCommand extends infer C ? (C extends unknown ? Omit<C, 'requestId'> : never) : never,
    answer: A,
  ): Promise<LabEventOf<A>> {
    const requestId = this.newRequestId();
    const done = new Promise<LabEventOf<A>>((resolve, reject) => {
      this.queries.set(requestId, {
        answer,
        resolve: (e) => resolve(e as LabEventOf<A>),
        reject,
      });
    });
    this.send({ ...cmd, requestId } as QueryCommand);
    return done;
  }

  init(override: BackendName | null): void {
    this.store.setState({ backendPending: true });
    this.send({ type: 'init', override });
  }

  setBackend(override: BackendName | null): void {
    this.store.setState({ backendPending: true });
    this.send({ type: 'set-backend', override });
  }

  selftest(backends: BackendName[]): Promise<void> {
    return this.run({ type: 'selftest', runId: this.newRunId(), backends });
  }

  cancel(runId: RunId): void {
    this.send({ type: 'cancel', runId });
  }
}
