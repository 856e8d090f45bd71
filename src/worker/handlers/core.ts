import { type BackendName, useBackend } from '../../engine/backends';
import { tf } from '../../engine/tf';
import type { SelftestResult, SelftestValues } from '../../protocol/device';
import type { CoreCommand, RunId } from '../../protocol/messages';
import { startBackend } from '../backend-manager';
import { cancelRun, isCancelled } from '../cancellation';
import { currentDevice } from '../device-info';
import { errorText } from '../error-text';
import { maxAbsDifference, runGradientSelftest } from '../gradient-selftest';
import { session } from '../session';
import type { HandlersOf, Post } from './handler';
import { currentLimits, loadIntoSession } from './models';

async function init(override: BackendName | null, post: Post): Promise<void> {
  const report = await currentDevice();
  post({ type: 'device', report });
  const before = tf.getBackend();
  const state = await startBackend(report, override);
  post({ type: 'backend', state });
  if (state.active !== before) await reloadModels(post);
}

/**
 * Tensors stay on the backend that made them, so after a switch the loaded
 * models are loaded again from their sources (a hub model comes from the
 * browser cache, not the network).
 */
async function reloadModels(post: Post): Promise<void> {
  for (const role of ['base', 'reference'] as const) {
    const m = session.models[role];
    if (!m) continue;
    await loadIntoSession(
      {
        runId: `reload-${role}-${Date.now().toString(36)}`,
        role,
        source: m.source,
        sourceKind: m.summary.sourceKind,
        limits: await currentLimits(),
      },
      post,
    );
  }
}

async function selftestOne(
  backend: BackendName,
  reference: SelftestValues | null,
): Promise<SelftestResult> {
  const t0 = performance.now();
  const started = await useBackend(backend);
  if (!started.ok) {
    return {
      backend,
      ok: false,
      maxAbsDiff: null,
      values: null,
      error: started.error ?? 'failed',
      ms: 0,
    };
  }
  try {
    const values = await runGradientSelftest();
    const diff = maxAbsDifference(values, reference ?? values);
    return {
      backend,
      ok: diff <= 1e-5,
      maxAbsDiff: diff,
      values,
      error: diff > 1e-5 ? `differs from cpu by ${diff.toExponential(2)}` : null,
      ms: performance.now() - t0,
    };
  } catch (e) {
    return {
      backend,
      ok: false,
      maxAbsDiff: null,
      values: null,
      error: errorText(e),
      ms: performance.now() - t0,
    };
  }
}

async function selftest(runId: RunId, backends: BackendName[], post: Post): Promise<void> {
  post({ type: 'run-started', runId, kind: 'selftest', label: 'Gradient self-test' });
  const active = tf.getBackend() as BackendName;
  // cpu first: it is the reference every other backend is compared with.
  const order: BackendName[] = ['cpu', ...backends.filter((b) => b !== 'cpu')];
  let reference: SelftestValues | null = null;
  try {
    for (const [i, backend] of order.entries()) {
      if (isCancelled(runId)) {
        post({ type: 'run-cancelled', runId });
        return;
      }
      post({ type: 'run-progress', runId, done: i, total: order.length, message: backend });
      const result = await selftestOne(backend, reference);
      if (backend === 'cpu') reference = result.values;
      post({ type: 'selftest-result', runId, result });
    }
    post({ type: 'run-progress', runId, done: order.length, total: order.length, message: 'done' });
    post({ type: 'run-done', runId });
  } finally {
    // Leave the lab on the backend it was using before the test.
    await useBackend(active);
  }
}

export const coreHandlers: HandlersOf<CoreCommand> = {
  init: (cmd, post) => init(cmd.override, post),
  'set-backend': (cmd, post) => init(cmd.override, post),
  selftest: (cmd, post) => selftest(cmd.runId, cmd.backends, post),
  cancel: async (cmd) => {
    cancelRun(cmd.runId);
  },
};
