// A run's setup encoded in the page URL (TensorFlow Playground style), so a
// link reproduces it: which models, which domains and data sets, the recipe
// (only what differs from the defaults, to keep links short) and the seed.
import { DEFAULT_RECIPE, resolveRecipe, type TrainRecipe } from '../train/recipe';

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

function decodeModel(v: string | null): SharedModel | null {
  if (!v) return null;
  const embedded = /^embedded:([\w.-]+)$/.exec(v);
  if (embedded) return { kind: 'embedded', name: embedded[1] };
  const hub = /^hub:([\w.-]+(?:\/[\w.-]+)?)@(.+)$/.exec(v);
  if (hub) return { kind: 'hub', repo: hub[1], revision: hub[2] };
  throw new Error(
    `The link names a model as "${v}", which is neither embedded:NAME nor hub:REPO@REVISION.`,
  );
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

/**
 * Reads a setup from a query string. Returns null when the URL carries none;
 * throws an Error whose message says what is wrong with a malformed link.
 */
export function decodeSetup(query: string): SharedSetup | null {
  const p = new URLSearchParams(query);
  if (!['m', 'ref', 'train', 'eval', 'recipe'].some((k) => p.has(k))) return null;
  let recipePatch: Partial<TrainRecipe> = {};
  const raw = p.get('recipe');
  if (raw) {
    try {
      recipePatch = JSON.parse(raw);
    } catch {
      throw new Error("The link's recipe is not valid JSON; it may have been cut off when copied.");
    }
    if (typeof recipePatch !== 'object' || recipePatch === null || Array.isArray(recipePatch)) {
      throw new Error("The link's recipe must be a JSON object of recipe fields.");
    }
    const unknown = Object.keys(recipePatch).filter((k) => !(k in DEFAULT_RECIPE));
    if (unknown.length)
      throw new Error(`The link's recipe has unknown fields: ${unknown.join(', ')}.`);
  }
  const list = (k: string) => (p.get(k) ? p.get(k)!.split(',').filter(Boolean) : []);
  return {
    base: decodeModel(p.get('m')),
    reference: decodeModel(p.get('ref')),
    trainSets: list('train'),
    evalSets: list('eval'),
    recipe: resolveRecipe(recipePatch),
  };
}
