import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../protocol/messages';
import { DEFAULT_RECIPE, resolveRecipe } from '../train/recipe';
import { initialLabState, type LabState } from './lab-store';
import {
  draftOfRecipe,
  modelsToLoad,
  recipeOfDraft,
  selectionFor,
  setupOf,
  sharedModelOf,
} from './setup-state';
import { decodeSetup, encodeSetup } from './share-link';
import { BUILTIN_SETS } from './slices/data';

const summary = (role: 'base' | 'reference', sourceId: string) =>
  ({ role, sourceId }) as unknown as ModelSummary;

const withModels = (base: string, ref: string): LabState => ({
  ...initialLabState,
  models: {
    ...initialLabState.models,
    loaded: { base: summary('base', base), reference: summary('reference', ref) },
  },
});

describe('setup of the lab state', () => {
  it('names the loaded models as the link writes them; a local folder cannot travel', () => {
    expect(sharedModelOf('embedded:demo-base')).toEqual({ kind: 'embedded', name: 'demo-base' });
    expect(sharedModelOf('hub:Qwen/Qwen2.5-0.5B@main')).toEqual({
      kind: 'hub',
      repo: 'Qwen/Qwen2.5-0.5B',
      revision: 'main',
    });
    expect(sharedModelOf('local:my-folder')).toBeNull();
    expect(sharedModelOf(undefined)).toBeNull();
  });

  it('round-trips through the URL: models, selected sets by split, and the recipe', () => {
    const s = withModels('embedded:demo-base', 'hub:org/safe@v2');
    const tox = BUILTIN_SETS.filter((x) => x.set.kind === 'toxicity');
    const state: LabState = { ...s, data: { ...s.data, selected: tox.map((x) => x.id) } };
    const recipe = resolveRecipe({ sftSteps: 3, dpoSteps: 2, seed: 7 });
    const setup = setupOf(state, recipe);
    expect(setup.trainSets).toEqual(['demo-toxicity-train']);
    expect(setup.evalSets).toEqual(['demo-toxicity-eval']);
    const back = decodeSetup(encodeSetup(setup))?.setup;
    expect(back).toEqual(setup);
    expect(back?.reference).toEqual({ kind: 'hub', repo: 'org/safe', revision: 'v2' });
  });

  it('selects exactly the named sets and reports names it does not have', () => {
    const setup = decodeSetup('train=demo-bias-train,my-import&eval=demo-bias-eval')?.setup;
    if (!setup) throw new Error('expected a setup');
    const { selected, missing } = selectionFor(initialLabState, setup);
    expect(selected.sort()).toEqual(['builtin:demo-bias-eval', 'builtin:demo-bias-train']);
    expect(missing).toEqual(['my-import']);
  });

  it('keeps the current selection when the link names no sets', () => {
    const setup = decodeSetup('m=embedded:demo-base')?.setup;
    if (!setup) throw new Error('expected a setup');
    expect(selectionFor(initialLabState, setup).selected).toBe(initialLabState.data.selected);
  });

  it('loads only the roles whose model differs from what is loaded', () => {
    const setup = decodeSetup('m=embedded:demo-base&ref=hub:org/safe@main')?.setup;
    if (!setup) throw new Error('expected a setup');
    expect(
      modelsToLoad(setup, { base: 'embedded:demo-base', reference: 'embedded:demo-safe' }),
    ).toEqual([{ role: 'reference', model: { kind: 'hub', repo: 'org/safe', revision: 'main' } }]);
    expect(modelsToLoad(setup, {}).map((x) => x.role)).toEqual(['base', 'reference']);
  });

  it("turns a link's recipe into the Train panel's draft and back unchanged", () => {
    const recipe = resolveRecipe({ sftSteps: 3, dpoSteps: 2, sftLr: 0.02, domains: ['bias'] });
    expect(recipeOfDraft(draftOfRecipe(recipe))).toEqual(recipe);
    expect(recipeOfDraft(draftOfRecipe(DEFAULT_RECIPE))).toEqual(DEFAULT_RECIPE);
    expect(recipeOfDraft(null)).toEqual(DEFAULT_RECIPE);
  });
});
