// The recipe form's state: numbers as the text the user typed, so editing
// "0.01" through "0." never snaps back, turned into a TrainRecipe (or a
// plain-words reason why not) only when a run starts.
import type { Domain } from '../data/types';
import { resolveRecipe, type TrainRecipe } from '../train/recipe';
import {
  DECAY_KINDS,
  DPO_POLICY_NEGATIVES,
  DPO_REFERENCES,
  INIT_KINDS,
  isDomain,
  MAX_INIT_TEXT,
} from '../train/recipe-schema';

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
  | 'dpoNllWeight'
  | 'dpoPolicyNegativeCopies'
  | 'dpoPolicyNegativeShare'
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
  'dpoNllWeight',
  'dpoPolicyNegativeCopies',
  'dpoPolicyNegativeShare',
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
  dpoPolicyNegatives: TrainRecipe['dpoPolicyNegatives'];
  decay: TrainRecipe['decay'];
  checkpointLayers: boolean;
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
    dpoPolicyNegatives: r.dpoPolicyNegatives,
    decay: r.decay,
    checkpointLayers: r.checkpointLayers,
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
      dpoPolicyNegatives: d.dpoPolicyNegatives,
      decay: d.decay,
      checkpointLayers: d.checkpointLayers,
    });
    return { recipe, error: null };
  } catch (e) {
    return { recipe: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** A typed number is short; anything longer is not something a user typed. */
const MAX_NUMBER_TEXT = 64;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A draft from storage (or any untrusted place) over `fallback`, field by
 * field: each field of the wrong type or outside the recipe schema's choices
 * takes the fallback's value, so what an older build or a hand-edited entry
 * left behind can never reach the form as a number where text belongs. The
 * numbers stay text (the form validates them through resolveRecipe).
 */
export function readDraft(value: unknown, fallback: RecipeDraft): RecipeDraft {
  if (!isObject(value)) return fallback;
  const text = (v: unknown, fb: string, max: number): string => {
    if (typeof v === 'string' && v.length <= max) return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return fb;
  };
  const oneOf = <T extends string>(v: unknown, values: readonly T[], fb: T): T =>
    typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fb;
  const numbersIn = isObject(value.numbers) ? value.numbers : {};
  const adamIn = isObject(value.adam) ? value.adam : {};
  const numbers = Object.fromEntries(
    NUMBER_KEYS.map((k) => [
      k,
      text(
        Object.hasOwn(numbersIn, k) ? numbersIn[k] : undefined,
        fallback.numbers[k],
        MAX_NUMBER_TEXT,
      ),
    ]),
  ) as Record<NumberKey, string>;
  const adam = {
    beta1: text(adamIn.beta1, fallback.adam.beta1, MAX_NUMBER_TEXT),
    beta2: text(adamIn.beta2, fallback.adam.beta2, MAX_NUMBER_TEXT),
    epsilon: text(adamIn.epsilon, fallback.adam.epsilon, MAX_NUMBER_TEXT),
  };
  return {
    numbers,
    adam,
    domainMode: oneOf(value.domainMode, ['joint', 'single'] as const, fallback.domainMode),
    singleDomain: isDomain(value.singleDomain) ? value.singleDomain : fallback.singleDomain,
    initKind: oneOf(value.initKind, INIT_KINDS, fallback.initKind),
    initText:
      typeof value.initText === 'string' && value.initText.length <= MAX_INIT_TEXT
        ? value.initText
        : fallback.initText,
    dpoReference: oneOf(value.dpoReference, DPO_REFERENCES, fallback.dpoReference),
    dpoPolicyNegatives: oneOf(
      value.dpoPolicyNegatives,
      DPO_POLICY_NEGATIVES,
      fallback.dpoPolicyNegatives,
    ),
    decay: oneOf(value.decay, DECAY_KINDS, fallback.decay),
    checkpointLayers:
      typeof value.checkpointLayers === 'boolean'
        ? value.checkpointLayers
        : fallback.checkpointLayers,
  };
}
