import { describe, expect, it } from 'vitest';
import type { LabCommand, LabEvent } from '../protocol/messages';
import { createLabStore } from '../state/lab-store';
import { LabClient, type WorkerLike } from './lab-client';

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
    emit({ type: 'run-error', runId, message: 'device lost' });
    await expect(finished).rejects.toThrow('device lost');
    expect(client.store.getState().runs[runId]).toMatchObject({
      status: 'error',
      error: 'device lost',
    });
  });
});
