// The shared setup as the lab holds it: which models are loaded, which sets
// are selected, and the Train panel's recipe draft. Pure functions over the
// store's state and the draft, so the URL sync and the "open a link" path
// are unit-tested without a browser.
import { DOMAINS } from '../data/domains';
import { DEFAULT_INIT_TEXT } from '../patch/init-text';
import type { ModelRole } from '../protocol/messages';
import { DEFAULT_RECIPE, type TrainRecipe } from '../train/recipe';
import type { LabState } from './lab-store';
import { draftFromRecipe, type RecipeDraft, recipeFromDraft } from './recipe-draft';
import type { SharedModel, SharedSetup } from './share-link';
import { BUILTIN_SETS } from './slices/data';

/** A loaded model's source as a link can carry it; local folders cannot travel. */
export function sharedModelOf(sourceId: string | undefined): SharedModel | null {
  if (!sourceId) return null;
  const embedded = /^embedded:(.+)$/.exec(sourceId);
  if (embedded) return { kind: 'embedded', name: embedded[1] };
  const hub = /^hub:(.+)@(.+)$/.exec(sourceId);
  if (hub) return { kind: 'hub', repo: hub[1], revision: hub[2] };
  return null;
}

/** The recipe a draft describes (joint = every domain), or the defaults while it does not parse. */
export function recipeOfDraft(draft: RecipeDraft | null): TrainRecipe {
  if (!draft) return DEFAULT_RECIPE;
  // The URL sync and the guided demo run outside any panel's error boundary:
  // a draft that cannot even be judged must cost the link its recipe, not
  // stop the page (the Train panel shows the failure in its own boundary).
  try {
    return recipeFromDraft(draft, [...DOMAINS]).recipe ?? DEFAULT_RECIPE;
  } catch {
    return DEFAULT_RECIPE;
  }
}

/** The draft the Train panel should open with for a shared recipe. */
export function draftOfRecipe(recipe: TrainRecipe): RecipeDraft {
  return draftFromRecipe(recipe, DEFAULT_INIT_TEXT);
}

/** What the lab holds now, as a shareable setup. */
export function setupOf(s: LabState, recipe: TrainRecipe): SharedSetup {
  const on = new Set(s.data.selected);
  const sets = [...BUILTIN_SETS, ...s.data.imported].filter((x) => on.has(x.id));
  const pairs = s.data.pairSets.filter((x) => on.has(x.id));
  return {
    base: sharedModelOf(s.models.loaded.base?.sourceId),
    reference: sharedModelOf(s.models.loaded.reference?.sourceId),
    trainSets: sets.filter((x) => x.set.split === 'train').map((x) => x.set.name),
    evalSets: [
      ...sets.filter((x) => x.set.split === 'eval').map((x) => x.set.name),
      ...pairs.map((x) => x.set.name),
    ],
    recipe,
  };
}

/**
 * The selection a setup asks for, as ids of the sets present in `s`, and the
 * names it asks for that are not (yet) there. A setup without any set names
 * keeps the current selection.
 */
export function selectionFor(
  s: LabState,
  setup: SharedSetup,
): { selected: string[]; missing: string[] } {
  const wanted = [...setup.trainSets, ...setup.evalSets];
  if (wanted.length === 0) return { selected: s.data.selected, missing: [] };
  const all = [
    ...BUILTIN_SETS.map((x) => ({ id: x.id, name: x.set.name })),
    ...s.data.imported.map((x) => ({ id: x.id, name: x.set.name })),
    ...s.data.pairSets.map((x) => ({ id: x.id, name: x.set.name })),
  ];
  const selected = all.filter((x) => wanted.includes(x.name)).map((x) => x.id);
  const found = new Set(all.map((x) => x.name));
  return { selected, missing: wanted.filter((n) => !found.has(n)) };
}

/** The models a setup asks for that are not the ones loaded (or loading) now. */
export function modelsToLoad(
  setup: SharedSetup,
  loadedSourceIds: Partial<Record<ModelRole, string>>,
): { role: ModelRole; model: SharedModel }[] {
  const out: { role: ModelRole; model: SharedModel }[] = [];
  for (const role of ['base', 'reference'] as const) {
    const model = role === 'base' ? setup.base : setup.reference;
    if (!model) continue;
    const id =
      model.kind === 'embedded' ? `embedded:${model.name}` : `hub:${model.repo}@${model.revision}`;
    if (loadedSourceIds[role] !== id) out.push({ role, model });
  }
  return out;
}
