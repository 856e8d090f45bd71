// "Retrain this stack jointly" in the worker: find each parent's collected
// pairs (the set its manifest names, or one the user collected for it now),
// then run train/joint-run.ts: each parent alone and the stack evaluated as
// the composition report evaluates them (same cache keys, so a report just
// run makes "before" free), the concatenated rows trained with the ordinary
// Trainer (SFT then DPO) on the union of the pairs, the result evaluated
// alone. The new patch goes to the library with its parents, order and the
// composition before and after in its manifest. One progress bar spans the
// whole run; Cancel stops between updates and inside evaluations.
import type { Domain } from '../../data/types';
import { tf } from '../../engine/tf';
import type { StackMember } from '../../eval/composition-report';
import type { EvalReport } from '../../eval/report';
import { reportCard } from '../../eval/report-card';
import { composePatches } from '../../patch/compose';
import type { Patch } from '../../patch/types';
import type {
  EvalResult,
  JointPairsChoice,
  JointParentPairsInfo,
  JointRetrainCommand,
  LabCommandOf,
  RunId,
} from '../../protocol/messages';
import type { CollectedSet } from '../../train/collected';
import {
  concatenatedRows,
  type JointParent,
  JointRetrainError,
  jointRecipe,
  parentItems,
  unionOfPairs,
} from '../../train/joint-retrain';
import { type JointEvalTarget, runJointRetrain } from '../../train/joint-run';
import { isCancelled } from '../cancellation';
import { compositionFor } from '../composition-latest';
import { EvalCache, evalCacheKey, stackEvalCacheKey } from '../eval-cache';
import { evalConfigKey } from '../eval-config-key';
import { resolveTarget, runEvaluation } from '../eval-run';
import { buildJointPatch, jointComposition } from '../joint-patch';
import { patchLibrary, savePatch } from '../patch-library-worker';
import { requireModel, session } from '../session';
import { collectedCache } from '../train-collected-cache';
import type { HandlersOf, Post } from './handler';
import { modelKey } from './train';

const cache = new EvalCache();

class Cancelled extends Error {}

interface ResolvedParents {
  patches: Patch[];
  infos: JointParentPairsInfo[];
  sets: (CollectedSet | null)[];
}

/** Each parent's pairs: the set picked for it, else the one its manifest names; and what stands in the way. */
async function resolveParents(
  patchIds: string[],
  choice: JointPairsChoice,
): Promise<ResolvedParents> {
  const lib = await patchLibrary();
  const patches = await Promise.all(patchIds.map((id) => lib.patch(id)));
  const base = session.models.base?.summary;
  const reference = session.models.reference?.summary;
  const sets: (CollectedSet | null)[] = [];
  const infos: JointParentPairsInfo[] = [];
  for (const [i, p] of patches.entries()) {
    const name = p.manifest.name;
    const domains: Domain[] = p.manifest.domains;
    const collectedId =
      (Object.hasOwn(choice, patchIds[i]) ? choice[patchIds[i]] : null) ??
      p.manifest.recipe?.collectedSetId ??
      null;
    const info = (
      status: JointParentPairsInfo['status'],
      message: string,
      pairs: number | null = null,
    ): JointParentPairsInfo => ({
      patchId: patchIds[i],
      name,
      domains,
      collectedId,
      pairs,
      status,
      message,
    });
    const set = collectedId ? await collectedCache.get(collectedId) : null;
    let row: JointParentPairsInfo;
    if (!collectedId) {
      row = info(
        'unknown',
        `"${name}" does not say which pairs trained it (imported, stacked or older patches do not): collect pairs for ${domains.join(', ')}.`,
      );
    } else if (!set) {
      row = info(
        'not-stored',
        `The pairs "${name}" was trained on are not in this browser: collect pairs for ${domains.join(', ')} again.`,
      );
    } else if (
      (base && set.baseModelId !== modelKey(base)) ||
      (reference && set.referenceModelId !== modelKey(reference))
    ) {
      row = info(
        'other-model',
        `The pairs of "${name}" were collected with other models (${set.baseModelId.split('#')[0]} / ${set.referenceModelId.split('#')[0]}): collect pairs with the loaded M and M′.`,
      );
    } else {
      const n = parentItems({ parent: { name, domains }, set }).length;
      row =
        n === 0
          ? info('empty', `The pairs of "${name}" hold none in ${domains.join(', ')}.`, 0)
          : info('stored', `${n} pairs in ${domains.join(', ')}.`, n);
    }
    infos.push(row);
    sets.push(row.status === 'stored' ? set : null);
  }
  return { patches, infos, sets };
}

async function jointPairs(cmd: LabCommandOf<'joint-pairs'>, post: Post): Promise<void> {
  const { infos } = await resolveParents(cmd.patchIds, cmd.pairs);
  post({ type: 'joint-pairs-info', requestId: cmd.requestId, parents: infos });
}

/** Run-progress of the evaluations inside, folded into the one bar of the whole run. */
function foldedProgress(runId: RunId, post: Post) {
  const at = { done: 0, total: 1, label: '' };
  const wrapped: Post = (e) => {
    if (e.type !== 'run-progress' || e.runId !== runId) return post(e);
    const frac = e.total > 0 ? Math.min(1, e.done / e.total) : 0;
    post({
      ...e,
      done: Math.round(100 * (at.done + frac)),
      total: 100 * at.total,
      message: `${at.label} · ${e.message}`,
    });
  };
  return { at, post: wrapped };
}

async function jointRetrain(cmd: LabCommandOf<'joint-retrain'>, post: Post): Promise<void> {
  const { runId, config, patchIds } = cmd;
  post({ type: 'run-started', runId, kind: 'train', label: 'Retraining the stack jointly' });
  const name = cmd.name.trim();
  if (name === '') throw new JointRetrainError('Give the jointly retrained patch a name.');
  if (patchIds.length < 2 || patchIds.length > 4)
    throw new JointRetrainError(`A joint retrain takes 2 to 4 patches, got ${patchIds.length}.`);
  if (new Set(patchIds).size !== patchIds.length)
    throw new JointRetrainError('The stack holds the same patch twice.');
  const base = requireModel('base');
  requireModel('reference');
  const { patches, infos, sets } = await resolveParents(patchIds, cmd.pairs);
  const missing = infos.filter((x) => x.status !== 'stored');
  if (missing.length > 0) throw new JointRetrainError(missing.map((x) => x.message).join(' '));
  // Same base for every parent (ComposeError otherwise), and the parents' hashes in order.
  const stack = await composePatches(patches, { name });
  if (stack.hidden !== base.config.hiddenSize) {
    throw new JointRetrainError(
      `The patches have width ${stack.hidden} but M's hidden size is ${base.config.hiddenSize}: load the model they were made for.`,
    );
  }
  const hashes = stack.manifest.parents.map((p) => p.tensorSha256);
  const hashOf = new Map(patchIds.map((id, i) => [id, hashes[i]]));
  const members: StackMember[] = patches.map((p, i) => ({
    id: patchIds[i],
    name: p.manifest.name,
    domains: p.manifest.domains,
  }));
  const parents: JointParent[] = patches.map((p) => ({
    name: p.manifest.name,
    domains: p.manifest.domains,
    embeddings: p.embeddings,
    nVirtual: p.nVirtual,
    hidden: p.hidden,
  }));
  // The plan is checked before anything is evaluated: the union and the recipe.
  unionOfPairs(parents.map((parent, i) => ({ parent, set: sets[i] as CollectedSet })));
  jointRecipe(cmd.recipe, parents);
  const byId = new Map(patchIds.map((id, i) => [id, i]));
  const configKey = evalConfigKey(config);
  const fp = base.summary.embeddingFingerprint;
  const progress = foldedProgress(runId, post);

  const cachedRun = async (key: string | null, run: () => Promise<EvalResult>) => {
    const hit = key ? await cache.get(key) : null;
    if (hit) return hit.report;
    const result = await run();
    if (key) await cache.put(key, result);
    return result.report;
  };
  const evaluateRows = async (rows: Float32Array, n: number, label: string) => {
    const prefix = tf.tensor2d(rows, [n, stack.hidden]);
    try {
      return await runEvaluation({
        runId,
        target: await resolveTarget('patched', prefix, label),
        config,
        step: null,
        trainRunId: null,
        post: progress.post,
      });
    } finally {
      prefix.dispose();
    }
  };
  const baseline = (kind: 'base' | 'reference') => {
    progress.at.label = kind === 'base' ? 'Evaluating M' : 'Evaluating M′';
    const modelFp = requireModel(kind).summary.embeddingFingerprint;
    return cachedRun(evalCacheKey(kind, modelFp, configKey), async () =>
      runEvaluation({
        runId,
        target: await resolveTarget(kind, null, null),
        config,
        step: null,
        trainRunId: null,
        post: progress.post,
      }),
    );
  };
  const evaluate = async (t: JointEvalTarget): Promise<EvalReport> => {
    if (t.kind === 'joint') return cachedRun(null, () => evaluateRows(t.rows, t.nVirtual, name));
    const idx = t.order.map((id) => byId.get(id) as number);
    const key = stackEvalCacheKey(
      fp,
      idx.map((i) => hashes[i]),
      configKey,
    );
    const rows = concatenatedRows(idx.map((i) => parents[i]));
    const label = idx.map((i) => patches[i].manifest.name).join(' → ');
    return cachedRun(key, () => evaluateRows(rows.rows, rows.nVirtual, label));
  };

  try {
    const baseReport = await baseline('base');
    const referenceReport = await baseline('reference');
    const result = await runJointRetrain({
      model: base.model,
      tokenizer: base.tokenizer,
      members,
      parents,
      pairs: sets as CollectedSet[],
      recipe: cmd.recipe,
      base: baseReport,
      reference: referenceReport,
      evaluate,
      checkCancelled: () => {
        if (isCancelled(runId)) throw new Cancelled();
      },
      onProgress: (p) => {
        progress.at.done = p.done;
        progress.at.total = p.total;
        const stage =
          p.phase === 'before' ? 'Before' : p.phase === 'after' ? 'After' : 'Joint training';
        progress.at.label = `${stage}: ${p.label}`;
        const loss = p.step ? ` · loss ${p.step.loss.toFixed(3)}` : '';
        post({
          type: 'run-progress',
          runId,
          done: 100 * p.done,
          total: 100 * p.total,
          message: `${progress.at.label}${loss}`,
        });
      },
    });
    // The union is stored like any collected set, so the new patch's own pairs can be found again.
    await collectedCache.put(result.data);
    const measured = await compositionFor(patchIds.map((id) => hashOf.get(id) ?? id));
    const card = reportCard({
      base: baseReport,
      reference: referenceReport,
      patched: result.after,
    });
    const patch = await buildJointPatch({
      state: result.trainer.getState(),
      base: base.summary,
      data: result.data,
      name,
      parents: patches,
      composition: jointComposition(result.report, (id) => hashOf.get(id) ?? id, measured),
      metrics: card.metrics,
      metricsContext: {
        evaluatedAt: new Date().toISOString(),
        step: result.trainer.completedSteps,
        configKey,
        scorers: card.scorers,
        control: card.control,
        interval: card.interval,
      },
    });
    const saved = await savePatch(patch, post);
    post({
      type: 'joint-retrain-result',
      runId,
      result: {
        patchIds,
        report: result.report,
        patch: { id: saved.id, name: saved.name },
        pairs: result.data.items.length,
        configKey,
      },
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

export const jointRetrainHandlers: HandlersOf<JointRetrainCommand> = {
  'joint-pairs': jointPairs,
  'joint-retrain': jointRetrain,
};
