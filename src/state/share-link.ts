// A run's setup encoded in the page URL (TensorFlow Playground style), so a
// link reproduces it: which models, which domains and data sets, the recipe
// (only what differs from the defaults, to keep links short) and the seed.
import { DEFAULT_RECIPE, type TrainRecipe } from '../train/recipe';
import { readRecipe, shown } from '../train/recipe-schema';

/** A model as a link can name it: embedded demo folder or hub repo (local folders cannot travel). */
export type SharedModel =
  | { kind: 'embedded'; name: string }
  | { kind: 'hub'; repo: string; revision: string };

export interface SharedSetup {
  base: SharedModel | null;
  reference: SharedModel | null;
  /** Names of the prompt sets chosen for training and evaluation. */
  trainSets: string[];
  evalSets: string[];
  recipe: TrainRecipe;
}

const encodeModel = (m: SharedModel): string =>
  m.kind === 'embedded' ? `embedded:${m.name}` : `hub:${m.repo}@${m.revision}`;

/** A model named in a link, or null with the reason (the demo model is used instead). */
function decodeModel(v: string | null, role: string, issues: string[]): SharedModel | null {
  if (!v) return null;
  const embedded = /^embedded:([\w.-]{1,200})$/.exec(v);
  if (embedded) return { kind: 'embedded', name: embedded[1] };
  const hub = /^hub:([\w.-]{1,100}(?:\/[\w.-]{1,100})?)@([^\s]{1,200})$/.exec(v);
  if (hub) return { kind: 'hub', repo: hub[1], revision: hub[2] };
  issues.push(
    `${role} is given as ${shown(v)}, which is neither embedded:NAME nor hub:REPO@REVISION; the demo model is used`,
  );
  return null;
}

/** At most this many set names per list, each at most MAX_SET_NAME characters: names, not payloads. */
const MAX_SETS = 64;
const MAX_SET_NAME = 200;

function decodeSetNames(v: string | null, what: string, issues: string[]): string[] {
  const names = (v ?? '').split(',').filter(Boolean);
  const long = names.filter((n) => n.length > MAX_SET_NAME);
  if (long.length > 0)
    issues.push(
      `${long.length} ${what} set name(s) longer than ${MAX_SET_NAME} characters are ignored`,
    );
  const kept = [...new Set(names.filter((n) => n.length <= MAX_SET_NAME))];
  if (kept.length > MAX_SETS)
    issues.push(`only the first ${MAX_SETS} of ${kept.length} ${what} sets are used`);
  return kept.slice(0, MAX_SETS);
}

/** Recipe fields that differ from DEFAULT_RECIPE, as a compact JSON object. */
function recipeDiff(r: TrainRecipe): Partial<TrainRecipe> {
  const diff: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_RECIPE) as (keyof TrainRecipe)[]) {
    if (JSON.stringify(r[key]) !== JSON.stringify(DEFAULT_RECIPE[key])) diff[key] = r[key];
  }
  return diff as Partial<TrainRecipe>;
}

export function encodeSetup(s: SharedSetup): string {
  const p = new URLSearchParams();
  if (s.base) p.set('m', encodeModel(s.base));
  if (s.reference) p.set('ref', encodeModel(s.reference));
  if (s.trainSets.length) p.set('train', s.trainSets.join(','));
  if (s.evalSets.length) p.set('eval', s.evalSets.join(','));
  const diff = recipeDiff(s.recipe);
  if (Object.keys(diff).length) p.set('recipe', JSON.stringify(diff));
  return p.toString();
}

/** Every recipe field set, with the longest init text, is far below this; more is not a recipe. */
const MAX_RECIPE_CHARS = 20_000;

/** A link's setup and what had to be repaired in it (each sentence names the value). */
export interface DecodedSetup {
  setup: SharedSetup;
  issues: string[];
}

/**
 * Reads a setup from a query string. Returns null when the URL carries none.
 * Every value goes through the recipe schema (train/recipe-schema.ts): a bad
 * one is replaced by its default and named in `issues`, so a hostile or
 * mangled link can neither crash the lab nor be saved as the recipe draft.
 * Throws only when the recipe is not JSON at all (a link cut off when copied):
 * nothing in it can be trusted then.
 */
export function decodeSetup(query: string): DecodedSetup | null {
  const p = new URLSearchParams(query);
  if (!['m', 'ref', 'train', 'eval', 'recipe'].some((k) => p.has(k))) return null;
  const issues: string[] = [];
  let recipe = DEFAULT_RECIPE;
  const raw = p.get('recipe');
  if (raw && raw.length > MAX_RECIPE_CHARS) {
    issues.push(
      `the recipe is ${raw.length} characters, more than any recipe needs (${MAX_RECIPE_CHARS}); the defaults are used`,
    );
  } else if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error("The link's recipe is not valid JSON; it may have been cut off when copied.");
    }
    const read = readRecipe(parsed, DEFAULT_RECIPE);
    recipe = read.recipe;
    issues.push(...read.issues);
  }
  const setup: SharedSetup = {
    base: decodeModel(p.get('m'), 'M', issues),
    reference: decodeModel(p.get('ref'), 'M′', issues),
    trainSets: decodeSetNames(p.get('train'), 'training', issues),
    evalSets: decodeSetNames(p.get('eval'), 'evaluation', issues),
    recipe,
  };
  return { setup, issues };
}

/** A setup's canonical text: set lists sorted, so two orders of the same choice compare equal. */
function canonical(s: SharedSetup): string {
  return encodeSetup({
    ...s,
    trainSets: [...s.trainSets].sort(),
    evalSets: [...s.evalSets].sort(),
  });
}

/**
 * How many of its own latest setups the lab remembers. More than one because
 * the page that starts a reload keeps running until the new one arrives: a
 * model that finishes loading then makes it write one more setup, to storage
 * but no longer into the address the browser is reloading.
 */
export const SAVED_SETUPS_KEPT = 4;

/** What storage held for the remembered setups, in the current shape (null: nothing usable). */
export function readSavedSetups(value: unknown, fromVersion: number): string[] | null {
  if (fromVersion === 1) return typeof value === 'string' ? [value] : null;
  if (fromVersion !== 2 || !Array.isArray(value)) return null;
  return value.filter((q): q is string => typeof q === 'string').slice(0, SAVED_SETUPS_KEPT);
}

/** The remembered setups after the lab writes `query`: newest first, each once, at most SAVED_SETUPS_KEPT. */
export function rememberSetup(saved: readonly string[], query: string): string[] {
  return [query, ...saved.filter((q) => q !== query)].slice(0, SAVED_SETUPS_KEPT);
}

/**
 * True when a link carries one of the setups this browser wrote last (the
 * lab writes its own setup into the address, so a plain reload opens such a
 * "link"): there is nothing new to announce. A saved text that no longer
 * decodes counts as different.
 */
export function isSavedSetup(setup: SharedSetup, savedQueries: readonly string[]): boolean {
  return savedQueries.some((q) => isSameSetup(setup, q));
}

function isSameSetup(setup: SharedSetup, savedQuery: string): boolean {
  let saved: DecodedSetup | null;
  try {
    saved = decodeSetup(savedQuery);
  } catch {
    return false;
  }
  const empty: SharedSetup = {
    base: null,
    reference: null,
    trainSets: [],
    evalSets: [],
    recipe: DEFAULT_RECIPE,
  };
  return canonical(saved?.setup ?? empty) === canonical(setup);
}
