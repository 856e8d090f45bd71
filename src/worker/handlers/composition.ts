// The composition report in the worker: each patch of the stack alone and
// every order, evaluated with the UI's eval config exactly as an M+P
// evaluation is (runEvaluation), then the interference table. Every
// evaluation is cached per (patch hashes in order, eval config key), and M, M′
// per (model fingerprint, config key) as the eval handler caches them, so a
// second report on an overlapping stack only evaluates what is new.

import { tf } from '../../engine/tf';
import { runComposition, type StackMember } from '../../eval/composition-report';
import type { EvalReport } from '../../eval/report';
import { composePatches } from '../../patch/compose';
import { tensorSha256 } from '../../patch/hash';
import type { CompositionCommand, EvalResult } from '../../protocol/messages';
import { isCancelled } from '../cancellation';
import { noteCompositionReport } from '../composition-latest';
import { EvalCache, evalCacheKey } from '../eval-cache';
import { evalConfigKey } from '../eval-config-key';
import { resolveTarget, runEvaluation } from '../eval-run';
import { patchLibrary } from '../patch-library-worker';
import { requireModel } from '../session';
import type { HandlersOf, Post } from './handler';

const cache = new EvalCache();

class Cancelled extends Error {}

async function compositionCommand(
  cmd: Extract<CompositionCommand, { type: 'composition-report' }>,
  post: Post,
): Promise<void> {
  const { runId, config } = cmd;
  post({ type: 'run-started', runId, kind: 'evaluate', label: 'Composition report' });
  const lib = await patchLibrary();
  const patches = await Promise.all(cmd.patchIds.map((id) => lib.patch(id)));
  const hashes = await Promise.all(patches.map((p) => tensorSha256(p.embeddings)));
  const members: StackMember[] = patches.map((p, i) => ({
    id: cmd.patchIds[i],
    name: p.manifest.name,
    domains: p.manifest.domains,
  }));
  const configKey = evalConfigKey(config);
  let cachedEvaluations = 0;
  const cachedRun = async (key: string, run: () => Promise<EvalResult>): Promise<EvalReport> => {
    const hit = await cache.get(key);
    if (hit) {
      cachedEvaluations++;
      return hit.report;
    }
    const result = await run();
    await cache.put(key, result);
    return result.report;
  };
  const baseline = (kind: 'base' | 'reference') => {
    const fp = requireModel(kind).summary.embeddingFingerprint;
    return cachedRun(evalCacheKey(kind, fp, configKey), async () =>
      runEvaluation({
        runId,
        target: await resolveTarget(kind, null, null),
        config,
        step: null,
        trainRunId: null,
        post,
      }),
    );
  };
  try {
    const base = await baseline('base');
    const reference = await baseline('reference');
    const byId = new Map(cmd.patchIds.map((id, i) => [id, i]));
    const fp = requireModel('base').summary.embeddingFingerprint;
    const { report } = await runComposition({
      members,
      subset: cmd.orders,
      base,
      reference,
      checkCancelled: () => {
        if (isCancelled(runId)) throw new Cancelled();
      },
      onProgress: (p) =>
        post({
          type: 'run-progress',
          runId,
          done: p.done,
          total: p.total,
          message: `Evaluating ${p.label} (${p.done + 1} of ${p.total})`,
        }),
      evaluateStack: async (order) => {
        const idx = order.map((id) => byId.get(id) as number);
        const key = `stack|${fp}|${idx.map((i) => hashes[i]).join('+')}|${configKey}`;
        return cachedRun(key, async () => {
          const stacked = await composePatches(
            idx.map((i) => patches[i]),
            { name: order.join('+') },
          );
          const prefix = tf.tensor2d(stacked.embeddings, [stacked.nVirtual, stacked.hidden]);
          try {
            const label = idx.map((i) => patches[i].manifest.name).join(' → ');
            return await runEvaluation({
              runId,
              target: await resolveTarget('patched', prefix, label),
              config,
              step: null,
              trainRunId: null,
              post,
            });
          } finally {
            prefix.dispose();
          }
        });
      },
    });
    noteCompositionReport(report);
    post({
      type: 'composition-result',
      runId,
      result: { patchIds: cmd.patchIds, report, configKey, cachedEvaluations },
    });
    post({ type: 'run-done', runId });
  } catch (e) {
    if (e instanceof Cancelled || isCancelled(runId)) {
      post({ type: 'run-cancelled', runId });
      return;
    }
    throw e;
  }
}

export const compositionHandlers: HandlersOf<CompositionCommand> = {
  'composition-report': (cmd, post) => compositionCommand(cmd, post),
};
