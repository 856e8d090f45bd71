// The Train panel's commands, as functions over the LabClient (client.ts is
// shared by every feature; each keeps its helpers in its own file).
import type { PromptSet } from '../data/types';
import type { RunId, TrainControlAction } from '../protocol/messages';
import type { RecipeDraft } from '../state/recipe-draft';
import { withCollectSettings, withRecipeDraft } from '../state/slices/recipe';
import type { CollectSettings } from '../train/collected';
import type { TrainRecipe } from '../train/recipe';
import type { LabClient } from './lab-client';
import { collectSetting, recipeDraftSetting } from './settings';

/** Collects M′/M answers for the sets; resolves when the 'collected' event has arrived. */
export function collect(
  client: LabClient,
  sets: PromptSet[],
  settings: CollectSettings,
): { runId: RunId; done: Promise<void> } {
  const runId = client.newRunId();
  return { runId, done: client.run({ type: 'collect', runId, sets, settings }) };
}

/**
 * Asks the worker whether pairs for these sets and settings (with the loaded
 * M and M′) are stored; a stored set lands in s.train.collected, so a reload
 * does not send the user back to step 1.
 */
export function lookupCollected(
  client: LabClient,
  sets: PromptSet[],
  settings: CollectSettings,
): Promise<void> {
  return client
    .query({ type: 'collect-lookup', sets, settings }, 'collected-lookup')
    .then(() => {})
    .catch(() => {
      // A failed lookup is an error event the header shows; collecting still works.
    });
}

/**
 * Starts a run (or resumes checkpoint `resumeFrom`, with `override` applied to
 * its recipe). The promise settles when the run ends: done, stopped or failed.
 */
export function startTraining(
  client: LabClient,
  opts: {
    recipe: TrainRecipe;
    collectedId: string;
    patchName: string;
    resumeFrom?: string | null;
    override?: Partial<TrainRecipe> | null;
  },
): { runId: RunId; done: Promise<void> } {
  const runId = client.newRunId();
  const done = client.run({
    type: 'train-start',
    runId,
    recipe: opts.recipe,
    collectedId: opts.collectedId,
    resumeFrom: opts.resumeFrom ?? null,
    override: opts.override ?? null,
    patchName: opts.patchName,
  });
  return { runId, done };
}

export function controlTraining(client: LabClient, runId: RunId, action: TrainControlAction): void {
  client.send({ type: 'train-control', runId, action });
}

/** Asks the worker for unfinished checkpoints; the answer lands in s.train.resumable. */
export function listCheckpoints(client: LabClient): void {
  // The answer is reduced into the store; a failure is an error event the header shows.
  client.query({ type: 'train-list-checkpoints' }, 'train-checkpoints').catch(() => {});
}

export function discardCheckpoint(client: LabClient, id: string): void {
  client.send({ type: 'train-discard-checkpoint', id });
}

/** Saves the run's current patch to the library (a short run of its own). */
export function saveTrainedPatch(
  client: LabClient,
  trainRunId: RunId,
  name: string,
): Promise<void> {
  return client.run({ type: 'train-save-patch', runId: client.newRunId(), trainRunId, name });
}

// ─── The Train panel's settings (the store's recipe slice, remembered) ──────

/** Puts the remembered recipe draft and collection sampling into the store; call before the panels mount. */
export function restoreTrainSettings(client: LabClient): void {
  client.store.setState((s) => withRecipeDraft(s, recipeDraftSetting.load()));
  client.store.setState((s) => withCollectSettings(s, collectSetting.load()));
}

export function setRecipeDraft(client: LabClient, draft: RecipeDraft): void {
  client.store.setState((s) => withRecipeDraft(s, draft));
  recipeDraftSetting.save(draft);
}

export function setCollectSettings(client: LabClient, settings: CollectSettings): void {
  client.store.setState((s) => withCollectSettings(s, settings));
  collectSetting.save(settings);
}
