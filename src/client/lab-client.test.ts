import { describe, expect, it } from 'vitest';
import type { LabCommand, LabEvent } from '../protocol/messages';
import { createLabStore } from '../state/lab-store';
import { LabClient, type WorkerLike } from './lab-client';
import { LabError } from './lab-error';

/** A worker stand-in that records commands and lets the test emit events. */
function fakeWorker() {
  const sent: LabCommand[] = [];
  let onMessage: ((ev: MessageEvent<LabEvent>) => void) | null = null;
  const worker: WorkerLike = {
    postMessage: (m) => sent.push(m),
    addEventListener: ((type: string, l: (ev: MessageEvent<LabEvent>) => void) => {
      if (type === 'message') onMessage = l;
    }) as WorkerLike['addEventListener'],
  };
  const emit = (e: LabEvent) => onMessage?.({ data: e } as MessageEvent<LabEvent>);
  return { worker, sent, emit };
}

describe('LabClient', () => {
  it('sends typed commands and writes events into the store', async () => {
    const { worker, sent, emit } = fakeWorker();
    const client = new LabClient(worker, createLabStore());
    const finished = client.selftest(['wasm']);
    const cmd = sent[0];
    expect(cmd.type).toBe('selftest');
    const runId = cmd.type === 'selftest' ? cmd.runId : '';
    emit({ type: 'run-started', runId, kind: 'selftest', label: 'Gradient self-test' });
    emit({ type: 'run-progress', runId, done: 1, total: 2, message: 'wasm' });
    expect(client.store.getState().runs[runId]).toMatchObject({
      status: 'running',
      done: 1,
      total: 2,
    });
    emit({ type: 'run-done', runId });
    await finished;
    expect(client.store.getState().runs[runId].status).toBe('done');
  });

  it('rejects a run with the worker-reported error and records it', async () => {
    const { worker, sent, emit } = fakeWorker();
    const client = new LabClient(worker, createLabStore());
    const finished = client.selftest([]);
    const runId = (sent[0] as Extract<LabCommand, { type: 'selftest' }>).runId;
    emit({ type: 'run-started', runId, kind: 'selftest', label: 'x' });
    emit({ type: 'run-error', runId, message: 'device lost', name: 'Error', code: null });
    await expect(finished).rejects.toThrow('device lost');
    expect(client.store.getState().runs[runId]).toMatchObject({
      status: 'error',
      error: 'device lost',
    });
  });

  it('keeps the name and code of a coded worker error across the thread', async () => {
    const { worker, sent, emit } = fakeWorker();
    const client = new LabClient(worker, createLabStore());
    const finished = client.run({
      type: 'patch-import',
      runId: 'r',
      files: [],
      acceptModified: false,
    });
    expect(sent[0]).toMatchObject({ type: 'patch-import', runId: 'r' });
    emit({
      type: 'run-error',
      runId: 'r',
      message: 'The file was modified after signing.',
      name: 'PatchFileError',
      code: 'CONTENT_MODIFIED',
    });
    const err = await finished.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect(err).toMatchObject({ name: 'PatchFileError', code: 'CONTENT_MODIFIED' });
  });

  it('answers a query with the event carrying its requestId, ignoring pushes and other queries', async () => {
    const { worker, sent, emit } = fakeWorker();
    const client = new LabClient(worker, createLabStore());
    const answer = client.query({ type: 'train-list-checkpoints' }, 'train-checkpoints');
    const cmd = sent[0] as Extract<LabCommand, { type: 'train-list-checkpoints' }>;
    expect(cmd.requestId).toMatch(/^req-/);
    let settled = false;
    answer.then(() => {
      settled = true;
    });
    emit({ type: 'train-checkpoints', requestId: null, checkpoints: [] });
    emit({ type: 'train-checkpoints', requestId: 'someone-else', checkpoints: [] });
    await Promise.resolve();
    expect(settled).toBe(false);
    emit({ type: 'train-checkpoints', requestId: cmd.requestId, checkpoints: [] });
    await expect(answer).resolves.toMatchObject({ requestId: cmd.requestId });
  });

  it('rejects a query with the error event of its requestId', async () => {
    const { worker, sent, emit } = fakeWorker();
    const client = new LabClient(worker, createLabStore());
    const answer = client.query({ type: 'list-model-cache' }, 'model-cache');
    const { requestId } = sent[0] as Extract<LabCommand, { type: 'list-model-cache' }>;
    emit({ type: 'error', requestId, message: 'no cache', name: 'Error', code: null });
    await expect(answer).rejects.toThrow('no cache');
    expect(client.store.getState().errors).toEqual(['no cache']);
  });
});
