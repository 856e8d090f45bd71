/// <reference lib="webworker" />
// The lab worker owns every long-running computation (tfjs lives here), so
// the UI thread never freezes. Each command goes to its feature's handler;
// a handler's failure becomes an event, never a silent rejection.
import { coreHandlers } from './handlers/core';
import { dataHandlers } from './handlers/data';
import { evalHandlers } from './handlers/eval';
import type { Handler, HandlerMap } from './handlers/handler';
import { modelsHandlers } from './handlers/models';
import { patchesHandlers } from './handlers/patches';
import { playgroundHandlers } from './handlers/playground';
import { trainHandlers } from './handlers/train';
import type { LabCommand, LabEvent } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (e: LabEvent) => self.postMessage(e);
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

const handlers: HandlerMap = {
  ...coreHandlers,
  ...modelsHandlers,
  ...dataHandlers,
  ...trainHandlers,
  ...evalHandlers,
  ...playgroundHandlers,
  ...patchesHandlers,
};

async function dispatch(cmd: LabCommand): Promise<void> {
  const handler = handlers[cmd.type] as Handler<typeof cmd.type> | undefined;
  if (!handler) throw new Error(`The lab worker has no handler for "${cmd.type}"`);
  await handler(cmd as never, post);
}

self.onmessage = (ev: MessageEvent<LabCommand>) => {
  const cmd = ev.data;
  dispatch(cmd).catch((e) => {
    if ('runId' in cmd && cmd.type !== 'cancel') {
      post({ type: 'run-error', runId: cmd.runId, message: errorText(e) });
    } else {
      post({ type: 'error', message: errorText(e) });
    }
  });
};

post({ type: 'ready' });
