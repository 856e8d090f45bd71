/// <reference lib="webworker" />
// The lab worker owns every long-running computation (tfjs lives here), so
// the UI thread never freezes. Each command goes to its feature's handler;
// a handler's failure becomes an event, never a silent rejection.

import type { LabCommand, LabEvent } from '../protocol/messages';
import { forgetRun } from './cancellation';
import { errorInfo } from './error-text';
import { compositionHandlers } from './handlers/composition';
import { coreHandlers } from './handlers/core';
import { dataHandlers } from './handlers/data';
import { evalHandlers } from './handlers/eval';
import type { Handler, HandlerMap } from './handlers/handler';
import { jointRetrainHandlers } from './handlers/joint-retrain';
import { modelsHandlers } from './handlers/models';
import { patchesHandlers } from './handlers/patches';
import { playgroundHandlers } from './handlers/playground';
import { runBundleHandlers } from './handlers/run-bundle';
import { trainHandlers } from './handlers/train';
import { RunGate } from './run-gate';

declare const self: DedicatedWorkerGlobalScope;

const post = (e: LabEvent) => self.postMessage(e);

const handlers: HandlerMap = {
  ...coreHandlers,
  ...modelsHandlers,
  ...dataHandlers,
  ...trainHandlers,
  ...evalHandlers,
  ...playgroundHandlers,
  ...patchesHandlers,
  ...runBundleHandlers,
  ...compositionHandlers,
  ...jointRetrainHandlers,
};

/** Commands that switch the tfjs backend: they run alone (see run-gate.ts). */
const SWITCHES_BACKEND = new Set<LabCommand['type']>(['init', 'set-backend', 'selftest']);
/** Commands that create or read tensors, and so must not overlap a backend switch. */
const USES_TENSORS = new Set<LabCommand['type']>([
  'load-model',
  'collect',
  'train-start',
  'evaluate',
  'composition-report',
  'joint-retrain',
  'playground-run',
  'patch-apply',
]);
const gate = new RunGate();

async function dispatch(cmd: LabCommand): Promise<void> {
  const handler = handlers[cmd.type] as Handler<typeof cmd.type>;
  const run = () => handler(cmd as never, post);
  if (SWITCHES_BACKEND.has(cmd.type)) {
    await gate.exclusively(run, (busy) => {
      if (cmd.type !== 'selftest') return;
      const label = 'Gradient self-test';
      post({ type: 'run-started', runId: cmd.runId, kind: 'selftest', label });
      const message = `waiting for ${busy.join(', ')} to finish`;
      post({ type: 'run-progress', runId: cmd.runId, done: 0, total: 1, message });
    });
  } else if (USES_TENSORS.has(cmd.type)) {
    await gate.shared(cmd.type, run);
  } else {
    // Control commands (cancel, pause, rename…) never wait: they must reach a running job.
    await run();
  }
}

self.onmessage = (ev: MessageEvent<LabCommand>) => {
  const cmd = ev.data;
  dispatch(cmd)
    .catch((e) => {
      if ('runId' in cmd && cmd.type !== 'cancel') {
        post({ type: 'run-error', runId: cmd.runId, ...errorInfo(e) });
      } else {
        post({
          type: 'error',
          requestId: 'requestId' in cmd ? cmd.requestId : null,
          ...errorInfo(e),
        });
      }
    })
    .finally(() => {
      // A run's controller lives as long as its handler (training awaits its whole loop).
      if ('runId' in cmd && cmd.type !== 'cancel' && cmd.type !== 'train-control')
        forgetRun(cmd.runId);
    });
};

post({ type: 'ready' });
