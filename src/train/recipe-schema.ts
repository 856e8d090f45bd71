// The one schema of a training recipe: for every field its type, range or
// allowed values. A recipe arrives from places nobody checked (a share link,
// what localStorage held from an older build, the form), and every one of
// them goes through `readRecipe`: the link decoder and the saved draft take
// its repaired recipe and show its issues; the form and the trainer take
// `resolveRecipe` (train/recipe.ts), which refuses on the first issue.
// Field names are looked up in a Map, so "__proto__", "constructor" or
// "toString" are unknown fields like any other, never inherited ones.
import { DOMAINS } from '../data/domains';
import type { Domain } from '../data/types';
import type { PatchInit } from '../patch/init-text';
import type { AdamHyper } from './optimizer';
import type { DecayKind } from './schedule';

export const DECAY_KINDS = ['cosine', 'linear', 'constant'] as const satisfies readonly DecayKind[];
export const DPO_REFERENCES = ['reference-model', 'sft-patch'] as const;
export const DPO_POLICY_NEGATIVES = ['off', 'look-alikes', 'answered'] as const;
export const INIT_KINDS = [
  'text',
  'random',
  'vocab',
] as const satisfies readonly PatchInit['kind'][];

/** The largest seed: the PRNG keeps one unsigned 32-bit word (engine/rng.ts). */
export const MAX_SEED = 2 ** 32 - 1;
/**
 * The largest dpoPolicyNegativeShare: at 0.95 the copies already outnumber
 * every other DPO pair 19 to 1; past it the collected pairs hardly count.
 */
export const MAX_NEGATIVE_SHARE = 0.95;
/** An init text longer than this is no instruction; it would only make a link or a patch huge. */
export const MAX_INIT_TEXT = 10_000;

/** A check returns null for a good value, or what the value must be. */
type Check = (v: unknown) => string | null;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// Upper bounds keep a hostile link from asking for a run that can only run
// out of memory or never end; they are far above anything the lab trains.
function int(min: number, max: number, words: string): Check {
  return (v) =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? null : words;
}
const positiveInt = (max: number) => int(1, max, `must be a positive integer (at most ${max})`);
const nonNegativeInt = (max: number) =>
  int(0, max, `must be a non-negative integer (at most ${max})`);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const positive: Check = (v) => (isNumber(v) && v > 0 ? null : 'must be a positive number');
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`;

const domainsCheck: Check = (v) =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((d) => (DOMAINS as readonly unknown[]).includes(d)) &&
  new Set(v).size === v.length
    ? null
    : `must be a non-empty list of distinct domains from ${DOMAINS.join(', ')}`;

const initCheck: Check = (v) => {
  const words = `must be {"kind":"random"}, {"kind":"vocab"} or {"kind":"text","text":"…"} with a non-empty text of at most ${MAX_INIT_TEXT} characters`;
  if (!isPlainObject(v) || !(INIT_KINDS as readonly unknown[]).includes(v.kind)) return words;
  const keys = Object.keys(v);
  if (v.kind !== 'text') return keys.length === 1 ? null : words;
  const ok =
    keys.length === 2 &&
    typeof v.text === 'string' &&
    v.text.trim() !== '' &&
    v.text.length <= MAX_INIT_TEXT;
  return ok ? null : words;
};

/** Adam's fields, checked one by one so a link may set just β1. */
export const ADAM_FIELDS = new Map<keyof AdamHyper, Check>([
  ['beta1', (v) => (isNumber(v) && v >= 0 && v < 1 ? null : 'must be in [0, 1)')],
  ['beta2', (v) => (isNumber(v) && v >= 0 && v < 1 ? null : 'must be in [0, 1)')],
  ['epsilon', positive],
]);

/** Every recipe field but `adam` (an object of its own fields, above). */
export const RECIPE_FIELDS = new Map<string, Check>([
  ['nVirtualTokens', positiveInt(4096)],
  ['init', initCheck],
  ['domains', domainsCheck],
  ['sftSteps', nonNegativeInt(1_000_000)],
  ['dpoSteps', nonNegativeInt(1_000_000)],
  ['batchSize', positiveInt(4096)],
  ['gradAccumulation', positiveInt(4096)],
  ['maxPromptTokens', positiveInt(32_768)],
  ['maxAnswerTokens', positiveInt(32_768)],
  ['sftLr', positive],
  ['dpoLr', positive],
  ['warmupSteps', nonNegativeInt(1_000_000)],
  ['decay', oneOf(DECAY_KINDS)],
  ['minLrRatio', (v) => (isNumber(v) && v >= 0 && v <= 1 ? null : 'must be in [0, 1]')],
  ['beta', positive],
  ['marginThreshold', (v) => (isNumber(v) ? null : 'must be a finite number')],
  ['dpoNllWeight', (v) => (isNumber(v) && v >= 0 ? null : 'must be 0 (plain DPO) or more')],
  ['dpoReference', oneOf(DPO_REFERENCES)],
  ['dpoPolicyNegatives', oneOf(DPO_POLICY_NEGATIVES)],
  ['dpoPolicyNegativeCopies', positiveInt(1000)],
  [
    'dpoPolicyNegativeShare',
    (v) =>
      isNumber(v) && v >= 0 && v <= MAX_NEGATIVE_SHARE
        ? null
        : `must be 0 (fixed copies) or a share of the DPO pool up to ${MAX_NEGATIVE_SHARE}`,
  ],
  ['maxGradNorm', (v) => (isNumber(v) && v >= 0 ? null : 'must be 0 (no clipping) or more')],
  ['checkpointLayers', isBoolean],
  ['seed', int(0, MAX_SEED, `must be an integer from 0 to ${MAX_SEED}`)],
  ['checkpointEvery', nonNegativeInt(1_000_000)],
  ['evalEvery', nonNegativeInt(1_000_000)],
]);

/** A value as an issue shows it: short, and whatever its type or depth. */
export function shown(v: unknown): string {
  let text: string;
  try {
    text = v === undefined ? 'undefined' : (JSON.stringify(v) ?? typeof v);
  } catch {
    // Too deep or cyclic to write out (String() would recurse just the same).
    text = Array.isArray(v) ? 'a nested array' : `a ${typeof v}`;
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export interface RecipeRead<R> {
  /** The input with every bad value replaced by the base recipe's. */
  recipe: R;
  /** One sentence per replaced value or ignored field, e.g. `recipe.seed must be … (got -1)`. */
  issues: string[];
}

/**
 * Reads an untrusted recipe (or a part of one) over `base`: own keys only,
 * unknown fields ignored, each bad value replaced by `base`'s, and every
 * such repair named in `issues`. `R` is TrainRecipe; generic only so this
 * file does not import recipe.ts (which builds on it).
 */
export function readRecipe<
  R extends {
    adam: AdamHyper;
    sftSteps: number;
    dpoSteps: number;
    dpoReference: string;
    dpoPolicyNegatives: string;
  },
>(input: unknown, base: R): RecipeRead<R> {
  const issues: string[] = [];
  if (!isPlainObject(input)) {
    return {
      recipe: base,
      issues: [
        `recipe must be an object of recipe fields (got ${shown(input)}); the defaults are used`,
      ],
    };
  }
  const out: Record<string, unknown> = { ...base, adam: { ...base.adam } };
  const adam = out.adam as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    const value = input[key];
    // An absent optional field written out by a spread; JSON cannot say undefined.
    if (value === undefined) continue;
    if (key === 'adam') {
      if (!isPlainObject(value)) {
        issues.push(`recipe.adam must be an object of beta1, beta2, epsilon (got ${shown(value)})`);
        continue;
      }
      for (const sub of Object.keys(value)) {
        const check = ADAM_FIELDS.get(sub as keyof AdamHyper);
        if (!check) issues.push(`recipe.adam has an unknown field "${sub}" (ignored)`);
        else {
          const why = check(value[sub]);
          if (why) issues.push(`recipe.adam.${sub} ${why} (got ${shown(value[sub])})`);
          else adam[sub] = value[sub];
        }
      }
      continue;
    }
    const check = RECIPE_FIELDS.get(key);
    if (!check) {
      issues.push(`recipe has an unknown field "${key}" (ignored)`);
      continue;
    }
    const why = check(value);
    if (why) issues.push(`recipe.${key} ${why} (got ${shown(value)})`);
    // Copies, so the recipe shares no array or object with the input.
    else out[key] = isPlainObject(value) || Array.isArray(value) ? structuredClone(value) : value;
  }
  if (out.sftSteps === 0 && out.dpoSteps === 0) {
    issues.push('recipe: no training steps (sftSteps and dpoSteps are both 0)');
    out.sftSteps = base.sftSteps;
    out.dpoSteps = base.dpoSteps;
  }
  // The new rejected answers are scored by the DPO reference, and M′ is not
  // loaded while training: on-policy negatives need the SFT-patch reference.
  // A recipe that names the M′ reference but not the negatives (the default
  // has them on) simply trains without them.
  if (out.dpoPolicyNegatives !== 'off' && out.dpoReference !== 'sft-patch') {
    if (!Object.hasOwn(input, 'dpoPolicyNegatives')) out.dpoPolicyNegatives = 'off';
    else
      issues.push(
        `recipe.dpoPolicyNegatives "${String(out.dpoPolicyNegatives)}" needs dpoReference "sft-patch" (got "${String(out.dpoReference)}"); it is turned off`,
      );
    out.dpoPolicyNegatives = 'off';
  }
  return { recipe: out as R, issues };
}

/** Whether `d` is one of the lab's domains (for the draft's single-domain choice). */
export const isDomain = (d: unknown): d is Domain => (DOMAINS as readonly unknown[]).includes(d);
