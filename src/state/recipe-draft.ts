// The recipe form's state: numbers as the text the user typed, so editing
// "0.01" through "0." never snaps back, turned into a TrainRecipe (or a
// plain-words reason why not) only when a run starts.
import type { Domain } from '../data/types';
import { resolveRecipe, type TrainRecipe } from '../train/recipe';

type NumberKey =
  | 'nVirtualTokens'
  | 'sftSteps'
  | 'dpoSteps'
  | 'batchSize'
  | 'gradAccumulation'
  | 'maxPromptTokens'
  | 'maxAnswerTokens'
  | 'sftLr'
  | 'dpoLr'
  | 'warmupSteps'
  | 'minLrRatio'
  | 'beta'
  | 'marginThreshold'
  | 'maxGradNorm'
  | 'seed'
  | 'checkpointEvery'
  | 'evalEvery';

const NUMBER_KEYS: NumberKey[] = [
  'nVirtualTokens',
  'sftSteps',
  'dpoSteps',
  'batchSize',
  'gradAccumulation',
  'maxPromptTokens',
  'maxAnswerTokens',
  'sftLr',
  'dpoLr',
  'warmupSteps',
  'minLrRatio',
  'beta',
  'marginThreshold',
  'maxGradNorm',
  'seed',
  'checkpointEvery',
  'evalEvery',
];

export interface RecipeDraft {
  numbers: Record<NumberKey, string>;
  adam: { beta1: string; beta2: string; epsilon: string };
  domainMode: 'joint' | 'single';
  singleDomain: Domain;
  initKind: 'text' | 'random' | 'vocab';
  initText: string;
  dpoReference: TrainRecipe['dpoReference'];
  decay: TrainRecipe['decay'];
}

export function draftFromRecipe(r: TrainRecipe, defaultInitText: string): RecipeDraft {
  const numbers = Object.fromEntries(NUMBER_KEYS.map((k) => [k, String(r[k])])) as Record<
    NumberKey,
    string
  >;
  return {
    numbers,
    adam: {
      beta1: String(r.adam.beta1),
      beta2: String(r.adam.beta2),
      epsilon: String(r.adam.epsilon),
    },
    domainMode: r.domains.length === 1 ? 'single' : 'joint',
    singleDomain: r.domains[0] ?? 'toxicity',
    initKind: r.init.kind,
    initText: r.init.kind === 'text' ? r.init.text : defaultInitText,
    dpoReference: r.dpoReference,
    decay: r.decay,
  };
}

/**
 * The recipe the draft describes, with the joint domains taken from the
 * collected data, or a sentence saying which field to fix.
 */
export function recipeFromDraft(
  d: RecipeDraft,
  availableDomains: Domain[],
): { recipe: TrainRecipe; error: null } | { recipe: null; error: string } {
  const parsed: Partial<Record<NumberKey, number>> = {};
  for (const k of NUMBER_KEYS) {
    const text = d.numbers[k].trim();
    const v = Number(text);
    if (text === '' || !Number.isFinite(v)) return { recipe: null, error: `${k}: enter a number.` };
    parsed[k] = v;
  }
  const adam = {
    beta1: Number(d.adam.beta1),
    beta2: Number(d.adam.beta2),
    epsilon: Number(d.adam.epsilon),
  };
  if (
    !(adam.beta1 >= 0 && adam.beta1 < 1 && adam.beta2 >= 0 && adam.beta2 < 1 && adam.epsilon > 0)
  ) {
    return { recipe: null, error: 'Adam: β1 and β2 must be in [0, 1) and ε positive.' };
  }
  if (d.initKind === 'text' && d.initText.trim() === '') {
    return {
      recipe: null,
      error: 'Initialisation: write the instruction the patch starts from, or pick another init.',
    };
  }
  const domains = d.domainMode === 'joint' ? availableDomains : [d.singleDomain];
  if (domains.length === 0) {
    return {
      recipe: null,
      error: 'Domains: the training pairs cover none of toxicity, bias or harmful.',
    };
  }
  if (d.domainMode === 'single' && !availableDomains.includes(d.singleDomain)) {
    return {
      recipe: null,
      error: `Domains: the training pairs have no ${d.singleDomain} prompts.`,
    };
  }
  try {
    const recipe = resolveRecipe({
      ...parsed,
      adam,
      domains,
      init: d.initKind === 'text' ? { kind: 'text', text: d.initText } : { kind: d.initKind },
      dpoReference: d.dpoReference,
      decay: d.decay,
    });
    return { recipe, error: null };
  } catch (e) {
    return { recipe: null, error: e instanceof Error ? e.message : String(e) };
  }
}
