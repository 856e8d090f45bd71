/// <reference lib="webworker" />
// The lab worker owns every long-running computation (tfjs lives here), so
// the UI thread never freezes. It answers commands from protocol.ts with
// events; each handler's failure becomes an event.
import type { BackendName } from '../engine/backends';
import { tf } from '../engine/tf';
import { startBackend } from './backend-manager';
import { type DeviceReport, detectDevice } from './device-info';
import {
  maxAbsDifference,
  runGradientSelftest,
  type SelftestResult,
  type SelftestValues,
} from './gradient-selftest';
import type { LabCommand, LabEvent, RunId } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (e: LabEvent) => self.postMessage(e);
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

let device: DeviceReport | null = null;
let override: BackendName | null = null;
const cancelled = new Set<RunId>();

async function init(newOverride: BackendName | null): Promise<void> {
  override = newOverride;
  device ??= await detectDevice();
  post({ type: 'device', report: device });
  const state = await startBackend(device, override);
  post({ type: 'backend', state });
}

async function selftest(runId: RunId, backends: BackendName[]): Promise<void> {
  post({ type: 'run-started', runId, kind: 'selftest', label: 'Gradient self-test' });
  const active = tf.getBackend() as BackendName;
  const { useBackend } = await import('../engine/backends');
  let reference: SelftestValues | null = null;
  // cpu first: it is the reference every other backend is compared with.
  const order: BackendName[] = ['cpu', ...backends.filter((b) => b !== 'cpu')];
  try {
    for (const [i, backend] of order.entries()) {
      if (cancelled.has(runId)) {
        post({ type: 'run-cancelled', runId });
        return;
      }
      post({ type: 'run-progress', runId, done: i, total: order.length, message: backend });
      const t0 = performance.now();
      const started = await useBackend(backend);
      let result: SelftestResult;
      if (!started.ok) {
        result = {
          backend,
          ok: false,
          maxAbsDiff: null,
          values: null,
          error: started.error ?? 'failed',
          ms: 0,
        };
      } else {
        try {
          const values = await runGradientSelftest();
          if (backend === 'cpu') reference = values;
          const diff = reference ? maxAbsDifference(values, reference) : null;
          result = {
            backend,
            ok: diff !== null && diff <= 1e-5,
            maxAbsDiff: diff,
            values,
            error:
              diff !== null && diff > 1e-5 ? `differs from cpu by ${diff.toExponential(2)}` : null,
            ms: performance.now() - t0,
          };
        } catch (e) {
          result = {
            backend,
            ok: false,
            maxAbsDiff: null,
            values: null,
            error: errorText(e),
            ms: performance.now() - t0,
          };
        }
      }
      post({ type: 'selftest-result', runId, result });
    }
    post({ type: 'run-progress', runId, done: order.length, total: order.length, message: 'done' });
    post({ type: 'run-done', runId });
  } finally {
    // Leave the lab on the backend it was using before the test.
    await useBackend(active);
  }
}

async function handle(cmd: LabCommand): Promise<void> {
  switch (cmd.type) {
    case 'init':
    case 'set-backend':
      return init(cmd.override);
    case 'selftest':
      return selftest(cmd.runId, cmd.backends);
    case 'cancel':
      cancelled.add(cmd.runId);
      return;
  }
}

self.onmessage = (ev: MessageEvent<LabCommand>) => {
  const cmd = ev.data;
  handle(cmd).catch((e) => {
    if ('runId' in cmd && cmd.type !== 'cancel') {
      post({ type: 'run-error', runId: cmd.runId, message: errorText(e) });
    } else {
      post({ type: 'error', message: errorText(e) });
    }
  });
};

post({ type: 'ready' });
