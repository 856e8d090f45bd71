// The composition report in the worker: each patch of the stack alone and
// every order (or the chosen orders of a 4-stack), evaluated with the UI's
// eval config exactly as an M+P evaluation is (runEvaluation), then the
// interference table. The request is validated before anything is loaded.
// Two caches: each evaluation per (patch hashes in order, eval config key),
// and M, M′ per (model fingerprint, config key) as the eval handler caches
// them (eval-cache.ts), so an overlapping stack only evaluates what is new;
// and each finished report per (models, config, patches, orders) in
// composition-store.ts, so the same report again is instant and a reload
// gets it back (`composition-restore`). Progress counts the rows of the
// evaluations that really run (composition-progress.ts).

import { tf } from '../../engine/tf';
import { runComposition, type StackMember } from '../../eval/composition-report';
import type { EvalReport } from '../../eval/report';
import { composePatches } from '../../patch/compose';
import { tensorSha256 } from '../../patch/hash';
import { requestedOrders } from '../../protocol/composition';
import type {
  CompositionCommand,
  CompositionResult,
  EvalConfig,
  EvalResult,
  RunId,
} from '../../protocol/messages';
import { isCancelled } from '../cancellation';
import { compositionStore, latestCompositionResult } from '../composition-latest';
import { JobProgress } from '../composition-progress';
import { compositionReportKey } from '../composition-store';
import { EvalCache, evalCacheKey, stackEvalCacheKey } from '../eval-cache';
import { evalConfigKey } from '../eval-config-key';
import { type EvalProgress, evaluationUnits, resolveTarget, runEvaluation } from '../eval-run';
import { patchLibrary } from '../patch-library-worker';
import { requireModel } from '../session';
import type { HandlersOf, Post } from './handler';

const cache = new EvalCache();

class Cancelled extends Error {}

/** One evaluation of the report: its cache key, a label, and how to run it. */
interface PlannedEvaluation {
  key: string;
  label: string;
  run: (onProgress: (p: EvalProgress) => void) => Promise<EvalResult>;
}

async function compositionCommand(
  cmd: Extract<CompositionCommand, { type: 'composition-report' }>,
  post: Post,
): Promise<void> {
  const { runId, config } = cmd;
  // Before anything is loaded or evaluated: 2–4 patches, orders that are permutations.
  const orders = requestedOrders(cmd);
  post({ type: 'run-started', runId, kind: 'evaluate', label: 'Composition report' });
  const base = requireModel('base').summary.embeddingFingerprint;
  const referenceFp = requireModel('reference').summary.embeddingFingerprint;
  const lib = await patchLibrary();
  const patches = await Promise.all(cmd.patchIds.map((id) => lib.patch(id)));
  const hashes = await Promise.all(patches.map((p) => tensorSha256(p.embeddings)));
  const members: StackMember[] = patches.map((p, i) => ({
    id: cmd.patchIds[i],
    name: p.manifest.name,
    domains: p.manifest.domains,
  }));
  const configKey = evalConfigKey(config);
  const reportKey = compositionReportKey({
    baseFingerprint: base,
    referenceFingerprint: referenceFp,
    configKey,
    patchIds: cmd.patchIds,
    hashes,
    orders,
  });
  const store = compositionStore();
  const finish = async (result: CompositionResult, total: number) => {
    await store.put({ key: reportKey, result, hashes, savedAt: Date.now() });
    const message = 'Composition report ready';
    post({ type: 'run-progress', runId, done: total, total, message });
    post({ type: 'composition-result', runId, result });
    post({ type: 'run-done', runId });
  };
  const stored = await store.get(reportKey);
  if (stored) {
    await finish({ ...stored.result, cachedReport: true }, 1);
    return;
  }

  const byId = new Map(cmd.patchIds.map((id, i) => [id, i]));
  const nameOf = (id: string) => patches[byId.get(id) as number].manifest.name;
  const evaluation = (
    kind: 'base' | 'reference' | 'patched',
    order: string[],
  ): PlannedEvaluation => {
    if (kind !== 'patched') {
      const fp = kind === 'base' ? base : referenceFp;
      return {
        key: evalCacheKey(kind, fp, configKey),
        label: kind === 'base' ? 'M' : 'M′',
        run: async (onProgress) =>
          runEvaluation({
            ...runArgs(runId, config, post, onProgress),
            target: await resolveTarget(kind, null, null),
          }),
      };
    }
    const idx = order.map((id) => byId.get(id) as number);
    const label = order.map(nameOf).join(' → ');
    return {
      key: stackEvalCacheKey(
        base,
        idx.map((i) => hashes[i]),
        configKey,
      ),
      label,
      run: async (onProgress) => {
        const stacked = await composePatches(
          idx.map((i) => patches[i]),
          { name: order.join('+') },
        );
        const prefix = tf.tensor2d(stacked.embeddings, [stacked.nVirtual, stacked.hidden]);
        try {
          return await runEvaluation({
            ...runArgs(runId, config, post, onProgress),
            target: await resolveTarget('patched', prefix, label),
          });
        } finally {
          prefix.dispose();
        }
      },
    };
  };
  const plan = [
    evaluation('base', []),
    evaluation('reference', []),
    ...cmd.patchIds.map((id) => evaluation('patched', [id])),
    ...orders.map((o) => evaluation('patched', o)),
  ];
  // Which evaluations the cache already holds decides how much work there is.
  const hits = new Map<string, EvalReport>();
  for (const p of plan) {
    const hit = await cache.get(p.key);
    if (hit) hits.set(p.key, hit.report);
  }
  const misses = new Set(plan.filter((p) => !hits.has(p.key)).map((p) => p.key)).size;
  const progress = new JobProgress(evaluationUnits(config), misses);
  post({
    type: 'run-progress',
    runId,
    done: 0,
    total: progress.total,
    message: `${misses} of ${plan.length} evaluations to run, ${plan.length - misses} cached`,
  });
  let cachedEvaluations = 0;
  const checkCancelled = () => {
    if (isCancelled(runId)) throw new Cancelled();
  };
  const evaluate = async (p: PlannedEvaluation): Promise<EvalReport> => {
    checkCancelled();
    const hit = hits.get(p.key) ?? (await cache.get(p.key))?.report;
    if (hit) {
      cachedEvaluations++;
      return hit;
    }
    const n = progress.begin();
    const result = await p.run((e) =>
      post({
        type: 'run-progress',
        runId,
        done: e.loading ? progress.done : progress.rows(e.done),
        total: progress.total,
        message: `${p.label} (evaluation ${n} of ${misses}): ${e.message}`,
      }),
    );
    await cache.put(p.key, result);
    return result.report;
  };
  try {
    const [baseReport, referenceReport] = [await evaluate(plan[0]), await evaluate(plan[1])];
    const byOrder = new Map(plan.slice(2).map((p, i) => [planOrder(cmd.patchIds, orders, i), p]));
    const { report } = await runComposition({
      members,
      subset: cmd.orders,
      base: baseReport,
      reference: referenceReport,
      checkCancelled,
      evaluateStack: (order) => evaluate(byOrder.get(order.join('\n')) as PlannedEvaluation),
    });
    await finish(
      {
        patchIds: cmd.patchIds,
        report,
        config,
        configKey,
        cachedEvaluations,
        cachedReport: false,
        computedAt: new Date().toISOString(),
      },
      progress.finish(),
    );
  } catch (e) {
    if (e instanceof Cancelled || isCancelled(runId)) {
      post({ type: 'run-cancelled', runId });
      return;
    }
    throw e;
  }
}

/** The order (joined ids) of plan entry i after M and M′: first each patch alone, then each order. */
function planOrder(patchIds: string[], orders: string[][], i: number): string {
  return i < patchIds.length ? patchIds[i] : orders[i - patchIds.length].join('\n');
}

function runArgs(
  runId: RunId,
  config: EvalConfig,
  post: Post,
  onProgress: (p: EvalProgress) => void,
) {
  return { runId, config, step: null, trainRunId: null, post, onProgress };
}

export const compositionHandlers: HandlersOf<CompositionCommand> = {
  'composition-report': (cmd, post) => compositionCommand(cmd, post),
  'composition-restore': async (cmd, post) => {
    post({
      type: 'composition-latest',
      requestId: cmd.requestId,
      result: await latestCompositionResult(),
    });
  },
};
