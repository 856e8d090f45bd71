// Training in the worker: collect the pairs, run SFT then DPO as a TrainLoop,
// steer it (pause / resume / stop / step once), keep resumable checkpoints,
// and save finished patches to the library.

import type { PromptSet } from '../../data/types';
import { checkModelFits } from '../../engine/memory';
import type {
  CollectedPairView,
  CollectedSummary,
  LabCommandOf,
  ModelSummary,
  RequestId,
  RunId,
  TrainCommand,
  TrainStepPoint,
} from '../../protocol/messages';
import { collectPairs } from '../../train/collect';
import { type CollectedSet, type CollectSettings, collectedSetId } from '../../train/collected';
import { trainingWorkload } from '../../train/memory-workload';
import { etaFromPace, formatEta } from '../../train/pace';
import { resolveRecipe, type TrainRecipe } from '../../train/recipe';
import { Trainer } from '../../train/trainer';
import { isCancelled, runSignal } from '../cancellation';
import { replayRunHistory, reportCardFor } from '../eval-latest';
import { savePatch } from '../patch-library-worker';
import { type LoadedModel, requireModel, session } from '../session';
import { TrainCheckpointStore } from '../train-checkpoints';
import { collectedCache } from '../train-collected-cache';
import { getTrainingEvalHook } from '../train-eval-hook';
import { TrainLoop } from '../train-loop';
import { buildTrainedPatch } from '../train-patch';
import type { HandlersOf, Post } from './handler';
import { currentLimits } from './models';

/** How many collected pairs the viewer gets. */
const SAMPLE_SIZE = 24;

interface TrainRunRecord {
  loop: TrainLoop;
  data: CollectedSet;
  patchName: string;
}

let checkpointStore: Promise<TrainCheckpointStore> | null = null;
const runs = new Map<RunId, TrainRunRecord>();

function checkpoints(): Promise<TrainCheckpointStore> {
  checkpointStore ??= TrainCheckpointStore.open();
  return checkpointStore;
}

/** A model's identity for caches: id, revision and the embedding fingerprint (local folders can share a name). */
export function modelKey(s: ModelSummary): string {
  return `${s.modelId}@${s.revision}#${s.embeddingFingerprint}`;
}

function summarise(set: CollectedSet, cached: boolean): CollectedSummary {
  const byDomain: Partial<Record<string, number>> = {};
  for (const it of set.items) byDomain[it.domain] = (byDomain[it.domain] ?? 0) + 1;
  const sample: CollectedPairView[] = set.items.slice(0, SAMPLE_SIZE).map((it) => ({
    domain: it.domain,
    prompt: it.promptText,
    chosen: it.chosenText,
    rejected: it.rejectedText,
    refChosen: it.refChosen,
    refRejected: it.refRejected,
    chosenTokens: it.chosenIds.length,
    rejectedTokens: it.rejectedIds.length,
  }));
  return {
    id: set.id,
    count: set.items.length,
    byDomain,
    baseModelId: set.baseModelId,
    referenceModelId: set.referenceModelId,
    cached,
    createdAt: set.createdAt,
    sample,
  };
}

/** "12 of 48 prompts · about 30 s left": the pace so far, once there is one. */
export function collectProgressText(done: number, total: number, elapsedMs: number): string {
  const eta = etaFromPace(elapsedMs, done, total);
  const left = eta === null || done >= total ? '' : ` · about ${formatEta(eta)} left`;
  return `${done} of ${total} prompts${left}`;
}

/** The cache key of collecting `sets` with `settings` on the loaded M and M′. */
function collectKey(
  base: LoadedModel,
  reference: LoadedModel,
  sets: PromptSet[],
  settings: CollectSettings,
): { id: string; prompts: number } {
  const prompts = sets.flatMap((s) => s.items.map((it) => ({ kind: s.kind, text: it.prompt })));
  const id = collectedSetId({
    baseModelId: modelKey(base.summary),
    referenceModelId: modelKey(reference.summary),
    prompts,
    settings,
  });
  return { id, prompts: prompts.length };
}

/** The stored set for the current models, sets and settings, if one was collected before. */
async function lookupCollected(cmd: LabCommandOf<'collect-lookup'>, post: Post): Promise<void> {
  const base = session.models.base;
  const reference = session.models.reference;
  let summary: CollectedSummary | null = null;
  if (base && reference) {
    const { id, prompts } = collectKey(base, reference, cmd.sets, cmd.settings);
    const hit = prompts > 0 ? await collectedCache.get(id) : null;
    if (hit) summary = summarise(hit, true);
  }
  post({ type: 'collected-lookup', requestId: cmd.requestId, summary });
}

async function collect(cmd: LabCommandOf<'collect'>, post: Post): Promise<void> {
  const { runId, sets, settings } = cmd;
  post({ type: 'run-started', runId, kind: 'collect', label: 'Collecting answers of M′ and M' });
  const base = requireModel('base');
  const reference = requireModel('reference');
  const { id, prompts } = collectKey(base, reference, sets, settings);
  if (prompts === 0)
    throw new Error(
      'The chosen training sets have no prompts: pick at least one set with prompts (Data panel).',
    );
  const hit = await collectedCache.get(id);
  if (hit) {
    post({
      type: 'run-progress',
      runId,
      done: hit.items.length,
      total: hit.items.length,
      message: 'from cache',
    });
    post({ type: 'collected', runId, summary: summarise(hit, true) });
    post({ type: 'run-done', runId });
    return;
  }
  const signal = runSignal(runId);
  const startedAt = performance.now();
  let set: CollectedSet;
  try {
    set = await collectPairs({
      base: { model: base.model, id: modelKey(base.summary) },
      reference: { model: reference.model, id: modelKey(reference.summary) },
      tokenizer: base.tokenizer,
      promptSets: sets,
      settings,
      signal,
      onProgress: (p) =>
        post({
          type: 'run-progress',
          runId,
          done: p.done,
          total: p.total,
          message: collectProgressText(p.done, p.total, performance.now() - startedAt),
        }),
    });
  } catch (e) {
    if (signal.aborted) {
      post({ type: 'run-cancelled', runId });
      return;
    }
    throw e;
  }
  await collectedCache.put(set);
  post({ type: 'collected', runId, summary: summarise(set, false) });
  post({ type: 'run-done', runId });
}

/** Posts the unfinished checkpoints: a query's answer (with its id) or a push after a change (null). */
async function postCheckpoints(post: Post, requestId: RequestId | null = null): Promise<void> {
  const list = await (await checkpoints()).listUnfinished(async (dataId) =>
    collectedCache.has(dataId),
  );
  post({ type: 'train-checkpoints', requestId, checkpoints: list });
}

function liveRun(): TrainLoop | null {
  for (const r of runs.values()) {
    const s = r.loop.currentStatus;
    if (s === 'starting' || s === 'running' || s === 'paused') return r.loop;
  }
  return null;
}

async function trainStart(cmd: LabCommandOf<'train-start'>, post: Post): Promise<void> {
  const { runId } = cmd;
  post({ type: 'run-started', runId, kind: 'train', label: 'Training the patch' });
  if (liveRun())
    throw new Error('A training run is already going: stop it before starting another.');
  const base = requireModel('base');
  const store = await checkpoints();

  let recipe: TrainRecipe;
  let resume: Awaited<ReturnType<TrainCheckpointStore['load']>> = null;
  if (cmd.resumeFrom) {
    resume = await store.load(cmd.resumeFrom);
    if (!resume)
      throw new Error(
        'That checkpoint is gone (discarded or cleared with the site data): start a new run.',
      );
    recipe = resolveRecipe({ ...resume.checkpoint.recipe, ...cmd.override });
  } else {
    recipe = resolveRecipe({ ...cmd.recipe, ...cmd.override });
  }
  // Before anything is allocated: the step this recipe asks for must fit.
  const fit = checkModelFits(base.model.config, await currentLimits(), {
    modelName: base.summary.modelId,
    workload: trainingWorkload(recipe),
  });
  if (!fit.ok) throw new Error(fit.message);
  const dataId = resume?.checkpoint.dataId ?? cmd.collectedId;
  const data = await collectedCache.get(dataId);
  if (!data) {
    throw new Error(
      'The training pairs of this run are not in this browser any more: collect them again with the same models, sets and settings, then resume.',
    );
  }
  if (data.baseModelId !== modelKey(base.summary)) {
    throw new Error(
      `These pairs were collected with another base model (${data.baseModelId.split('#')[0]}); load it as M, or collect again with ${base.summary.modelId}.`,
    );
  }
  const checkpointId = cmd.resumeFrom ?? `train-${runId}`;
  const history: TrainStepPoint[] = resume?.points ?? [];
  const loop = new TrainLoop({
    runId,
    checkpointId,
    createTrainer: (hooks) =>
      resume
        ? Trainer.fromCheckpoint(
            { ...resume.checkpoint, recipe },
            { model: base.model, data, tokenizer: base.tokenizer, hooks },
          )
        : Trainer.create(recipe, { model: base.model, data, tokenizer: base.tokenizer, hooks }),
    checkpoints: store,
    onStep: (point) => post({ type: 'train-step', runId, point }),
    onStatus: (info) => post({ type: 'train-status', runId, info }),
    isCancelled: () => isCancelled(runId),
    evalHook: getTrainingEvalHook,
    history,
    resumedFrom:
      resume && cmd.resumeFrom
        ? { id: cmd.resumeFrom, step: resume.checkpoint.step, savedAt: resume.checkpoint.savedAt }
        : null,
  });
  runs.set(runId, { loop, data, patchName: cmd.patchName });
  // The run's M+P points go into its checkpoint slot's history; a resumed
  // run gets the points from before the reload back, under its new id.
  const evalHistory = await replayRunHistory(checkpointId, runId);
  // Announce the run before its history, so the store starts a fresh chart
  // and then replays the resumed steps into it.
  post({ type: 'train-status', runId, info: loop.statusInfo() });
  for (const point of history) post({ type: 'train-step', runId, point });
  if (evalHistory.length > 0) post({ type: 'eval-history', requestId: null, results: evalHistory });

  const outcome = await loop.run();
  if (outcome === 'done') {
    await saveRunPatch(runId, cmd.patchName, post);
    // A finished run needs no resume offer; its patch is in the library.
    await store.delete(checkpointId);
  }
  await postCheckpoints(post);
  if (outcome === 'failed') {
    throw new Error(loop.statusInfo().problem?.message ?? 'Training failed.');
  }
  post({ type: 'run-done', runId });
}

async function saveRunPatch(trainRunId: RunId, name: string, post: Post): Promise<void> {
  const record = runs.get(trainRunId);
  const trainer = record?.loop.trainerOrNull;
  if (!record || !trainer)
    throw new Error(
      'That training run is not in this tab any more: resume it from its checkpoint first.',
    );
  if (trainer.completedSteps === 0)
    throw new Error('The patch has not been trained yet: run at least one step first.');
  const patch = await buildTrainedPatch({
    state: trainer.getState(),
    base: requireModel('base').summary,
    data: record.data,
    name: name.trim() || record.patchName,
    // The numbers the charts showed for this run's newest M+P, with n, intervals and the control.
    ...(reportCardFor(trainRunId) ?? {}),
  });
  const saved = await savePatch(patch, post);
  record.loop.markSaved({ id: saved.id, name: saved.name });
}

export const trainHandlers: HandlersOf<TrainCommand> = {
  collect,
  'collect-lookup': lookupCollected,
  'train-start': trainStart,
  'train-control': async (cmd, post) => {
    const record = runs.get(cmd.runId);
    if (!record) {
      post({
        type: 'error',
        requestId: null,
        name: 'Error',
        code: null,
        message:
          'That training run is not running in this tab any more: resume it from its checkpoint.',
      });
      return;
    }
    // A control that does not apply now (resume while running) changes
    // nothing; the UI only offers the ones that apply, so this is a race.
    record.loop.control(cmd.action);
  },
  'train-list-checkpoints': async (cmd, post) => postCheckpoints(post, cmd.requestId),
  'train-discard-checkpoint': async (cmd, post) => {
    await (await checkpoints()).delete(cmd.id);
    await postCheckpoints(post);
  },
  'train-save-patch': async (cmd, post) => {
    post({ type: 'run-started', runId: cmd.runId, kind: 'patch', label: 'Saving the patch' });
    await saveRunPatch(cmd.trainRunId, cmd.name, post);
    post({ type: 'run-done', runId: cmd.runId });
  },
};
