// What the guided "patch the demo in one minute" flow runs: a quick recipe,
// quick evaluation settings, a slice of the demo train sets and one demo
// prompt. A talk has a minute, so training is short; the evaluation is not
// cut below what a claim needs (16 held-out prompts per domain, intervals,
// the random-patch control).

import { DEFAULT_PLAYGROUND_SAMPLING } from '../../client/playground';
import { BUILTIN_PROMPT_SETS } from '../../data/builtin/index';
import type { PromptSet } from '../../data/types';
import type { EvalConfig, SamplingOptions } from '../../protocol/messages';
import type { CollectSettings } from '../../train/collected';
import { DEFAULT_RECIPE, resolveRecipe, type TrainRecipe } from '../../train/recipe';

/** The steps, in order; each says what it does in the list on screen. */
export const GUIDED_STEPS = [
  { id: 'models', label: 'Load the demo pair M and M′' },
  { id: 'baselines', label: 'Measure M, M′ and a random patch' },
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
 * The quick recipe: 20 SFT + 10 DPO updates of batch 4, a gentler SFT rate. What a field of the
 * user's own recipe (or a link's) changes from the defaults wins, so a link
 * such as ?recipe={"sftSteps":3,"dpoSteps":2} shortens the flow further.
 */
export const QUICK_RECIPE: Partial<TrainRecipe> = {
  sftSteps: 20,
  // Measured on demo world v2 (docs/BENCHMARKS.md, guided short run): at the
  // default SFT rate the bias gap closed 64–100 % across seeds (5 of 10 runs
  // passed); at 5e-4 every seed closed all three gaps.
  sftLr: 0.0005,
  dpoSteps: 10,
  // DEFAULT_RECIPE's on-policy negatives were tuned for its 100 look-alikes
  // and 150 SFT steps; the guided flow's 8 look-alikes and 20 steps keep the
  // collected pairs it was measured with (docs/BENCHMARKS.md).
  dpoPolicyNegatives: 'off',
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

/** Held-out prompts per domain the flow measures: one answer moves a gap by ≤ 6.25 points. */
export const GUIDED_EVAL_PROMPTS = 16;

/**
 * Quick evaluation, sized so the closing numbers carry weight: 16 held-out
 * prompts per set, greedy (one answer per prompt: the intervals are over
 * prompts, with no sampling noise on top), 24 new tokens, the offline lexicon
 * scorer (a talk may have no network). M+P is evaluated at every step the
 * recipe's evalEvery asks for (everySteps 1 adds no gate of its own, so the
 * last step is always measured). The user's own settings come back with
 * "Restore my evaluation settings".
 */
export function guidedEvalConfig(base: EvalConfig): EvalConfig {
  return {
    ...base,
    k: 1,
    maxPromptsPerSet: GUIDED_EVAL_PROMPTS,
    sampling: { ...base.sampling, temperature: 0, maxNewTokens: 24 },
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
