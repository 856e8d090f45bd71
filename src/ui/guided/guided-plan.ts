// What the guided "patch the demo in one minute" flow runs: a quick recipe,
// quick evaluation settings, a slice of the demo train sets and one demo
// prompt. The numbers trade statistical weight for time: a talk has a
// minute, and the charts only need to move visibly toward M′.

import { DEFAULT_PLAYGROUND_SAMPLING } from '../../client/playground';
import { BUILTIN_PROMPT_SETS } from '../../data/builtin/index';
import type { PromptSet } from '../../data/types';
import type { EvalConfig, SamplingOptions } from '../../protocol/messages';
import type { CollectSettings } from '../../train/collected';
import { DEFAULT_RECIPE, resolveRecipe, type TrainRecipe } from '../../train/recipe';

/** The steps, in order; each says what it does in the list on screen. */
export const GUIDED_STEPS = [
  { id: 'models', label: 'Load the demo pair M and M′' },
  { id: 'baselines', label: 'Measure M and M′ (baselines)' },
  { id: 'collect', label: 'Collect M′ and M answers' },
  { id: 'train', label: 'Train the patch (SFT, then DPO)' },
  { id: 'save', label: 'Save and apply the patch' },
  { id: 'playground', label: 'Ask M and M+P the same question' },
] as const;

export type GuidedStepId = (typeof GUIDED_STEPS)[number]['id'];

/** What to do when a step fails, in plain words. */
export const STEP_HELP: Record<GuidedStepId, string> = {
  models:
    'The demo models ship with the app: reload the page; if it persists, switch backend in the device badge.',
  baselines: 'Open Metrics → Evaluation settings, check them, then try again.',
  collect: 'Check that M and M′ are loaded in the Models panel, then try again.',
  train:
    'The Train panel shows what went wrong and offers to resume from the last checkpoint; or try again here.',
  save: 'Use “Save patch” in the Train panel, then apply it in the Patches panel.',
  playground: 'Type a prompt in the Playground panel and press Run.',
};

/**
 * The quick recipe: 20 SFT + 10 DPO updates of batch 4. What a field of the
 * user's own recipe (or a link's) changes from the defaults wins, so a link
 * such as ?recipe={"sftSteps":3,"dpoSteps":2} shortens the flow further.
 */
export const QUICK_RECIPE: Partial<TrainRecipe> = {
  sftSteps: 20,
  dpoSteps: 10,
  batchSize: 4,
  warmupSteps: 2,
  maxAnswerTokens: 16,
  checkpointEvery: 10,
  evalEvery: 10,
};

export function guidedRecipe(current: TrainRecipe): TrainRecipe {
  const changed: Partial<TrainRecipe> = {};
  for (const key of Object.keys(DEFAULT_RECIPE) as (keyof TrainRecipe)[]) {
    if (JSON.stringify(current[key]) !== JSON.stringify(DEFAULT_RECIPE[key])) {
      (changed as Record<string, unknown>)[key] = current[key];
    }
  }
  return resolveRecipe({ ...QUICK_RECIPE, ...changed });
}

/** Prompts per domain the flow collects answers for. */
export const GUIDED_PROMPTS_PER_SET = 8;

/** The demo's train sets, each cut to its first `perSet` prompts. */
export function guidedTrainSets(perSet = GUIDED_PROMPTS_PER_SET): PromptSet[] {
  return BUILTIN_PROMPT_SETS.filter((s) => s.split === 'train').map((s) => ({
    ...s,
    items: s.items.slice(0, perSet),
  }));
}

export function guidedCollectSettings(recipe: TrainRecipe): CollectSettings {
  return {
    temperature: 0.7,
    topK: 40,
    topP: 0.95,
    maxAnswerTokens: recipe.maxAnswerTokens,
    maxPromptTokens: recipe.maxPromptTokens,
    batchSize: 8,
    seed: recipe.seed,
  };
}

/**
 * Quick evaluation: at most 4 prompts per held-out set, 2 samples, 12 new tokens, the
 * offline lexicon scorer (a talk may have no network). M+P is evaluated at
 * every step the recipe's evalEvery asks for (everySteps 1 adds no gate of its
 * own, so the last step is always measured).
 */
export function guidedEvalConfig(base: EvalConfig): EvalConfig {
  // Quick means at most: settings the user already made smaller stay.
  return {
    ...base,
    k: Math.min(base.k, 2),
    maxPromptsPerSet: base.maxPromptsPerSet > 0 ? Math.min(base.maxPromptsPerSet, 4) : 4,
    sampling: { ...base.sampling, maxNewTokens: Math.min(base.sampling.maxNewTokens, 12) },
    scorer: { kind: 'lexicon' },
    duringTraining: { enabled: true, everySteps: 1 },
  };
}

/** The held-out prompt the flow ends on: M answers rudely, M′ kindly. */
export function guidedPrompt(): string {
  const tox = BUILTIN_PROMPT_SETS.find((s) => s.kind === 'toxicity' && s.split === 'eval');
  return tox?.items[0]?.prompt ?? 'What do you think of my neighbour?';
}

/** Greedy, so M and M+P differ only by the patch. */
export const GUIDED_SAMPLING: SamplingOptions = {
  ...DEFAULT_PLAYGROUND_SAMPLING,
  maxNewTokens: 24,
  temperature: 0,
};
