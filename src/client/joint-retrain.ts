// "Retrain this stack jointly" from the page: where each parent's pairs
// stand (a query), collecting pairs for a parent that has none here, and the
// joint-retrain run with the current eval settings. Progress arrives as the
// run's ordinary run-progress events (the store's runs slice); `runId` lets
// the caller cancel.
import type { PromptSet } from '../data/types';
import type {
  JointPairsChoice,
  JointParentPairsInfo,
  JointRetrainResult,
  RunId,
} from '../protocol/messages';
import type { CollectSettings } from '../train/collected';
import type { TrainRecipe } from '../train/recipe';
import type { LabClient } from './lab-client';

export async function jointPairs(
  client: LabClient,
  patchIds: string[],
  pairs: JointPairsChoice,
): Promise<JointParentPairsInfo[]> {
  const answer = await client.query({ type: 'joint-pairs', patchIds, pairs }, 'joint-pairs-info');
  return answer.parents;
}

/** Collects M′/M answers for `sets` and resolves with the collected set's id (to pick for a parent). */
export function collectForParent(
  client: LabClient,
  sets: PromptSet[],
  settings: CollectSettings,
): { runId: RunId; id: Promise<string | null> } {
  const runId = client.newRunId();
  let id: string | null = null;
  const stop = client.subscribe((e) => {
    if (e.type === 'collected' && e.runId === runId) id = e.summary.id;
  });
  const done = client
    .run({ type: 'collect', runId, sets, settings })
    .then(() => id)
    .finally(stop);
  return { runId, id: done };
}

export function jointRetrain(
  client: LabClient,
  opts: {
    patchIds: string[];
    pairs: JointPairsChoice;
    recipe: Partial<TrainRecipe>;
    name: string;
  },
): { runId: RunId; result: Promise<JointRetrainResult | null> } {
  const runId = client.newRunId();
  let result: JointRetrainResult | null = null;
  const stop = client.subscribe((e) => {
    if (e.type === 'joint-retrain-result' && e.runId === runId) result = e.result;
  });
  const config = client.store.getState().evaluation.config;
  const done = client
    .run({ type: 'joint-retrain', runId, config, ...opts })
    .then(() => result)
    .finally(stop);
  return { runId, result: done };
}
