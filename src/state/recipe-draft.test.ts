import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE } from '../train/recipe';
import { draftFromRecipe, readDraft, recipeFromDraft } from './recipe-draft';

describe('recipe draft', () => {
  it('round-trips the default recipe exactly', () => {
    const d = draftFromRecipe(DEFAULT_RECIPE, 'x');
    expect(recipeFromDraft(d, ['toxicity', 'bias', 'harmful'])).toEqual({
      recipe: DEFAULT_RECIPE,
      error: null,
    });
  });

  it('takes joint domains from the data and a single domain from the choice', () => {
    const d = draftFromRecipe(DEFAULT_RECIPE, 'x');
    expect(recipeFromDraft(d, ['bias']).recipe?.domains).toEqual(['bias']);
    const single = { ...d, domainMode: 'single' as const, singleDomain: 'harmful' as const };
    expect(recipeFromDraft(single, ['toxicity', 'harmful']).recipe?.domains).toEqual(['harmful']);
    expect(recipeFromDraft(single, ['toxicity']).error).toMatch(/no harmful prompts/);
  });

  it('names the field that is wrong instead of starting a broken run', () => {
    const d = draftFromRecipe(DEFAULT_RECIPE, 'x');
    expect(
      recipeFromDraft({ ...d, numbers: { ...d.numbers, sftLr: '' } }, ['toxicity']).error,
    ).toMatch(/sftLr/);
    expect(
      recipeFromDraft({ ...d, numbers: { ...d.numbers, batchSize: '0' } }, ['toxicity']).error,
    ).toMatch(/batchSize must be a positive integer/);
    expect(recipeFromDraft({ ...d, initText: '  ' }, ['toxicity']).error).toMatch(/Initialisation/);
    const random = recipeFromDraft({ ...d, initKind: 'random' }, ['toxicity']);
    expect(random.recipe?.init).toEqual({ kind: 'random' });
  });

  it('Adam goes through the recipe schema like every other field', () => {
    const d = draftFromRecipe(DEFAULT_RECIPE, 'x');
    expect(recipeFromDraft({ ...d, adam: { ...d.adam, beta1: '1' } }, ['toxicity']).error).toBe(
      'recipe.adam.beta1 must be in [0, 1) (got 1)',
    );
  });
});

describe('readDraft: a stored draft, field by field', () => {
  const fallback = draftFromRecipe(DEFAULT_RECIPE, 'default text');

  it('keeps a good draft as it is', () => {
    const good = {
      ...fallback,
      initText: 'mine',
      checkpointLayers: !fallback.checkpointLayers,
      numbers: { ...fallback.numbers, seed: '0.' },
    };
    expect(readDraft(JSON.parse(JSON.stringify(good)), fallback)).toEqual(good);
  });

  it('replaces each field of the wrong type or outside the schema, and nothing else', () => {
    const stored = {
      ...fallback,
      initText: 5,
      initKind: 'evil',
      decay: 'bogus',
      dpoReference: null,
      checkpointLayers: 'yes',
      domainMode: 'both',
      singleDomain: 'evil',
      numbers: { ...fallback.numbers, sftSteps: 12, batchSize: null, beta: 'x'.repeat(65) },
      adam: 'nope',
    };
    expect(readDraft(stored, fallback)).toEqual({
      ...fallback,
      numbers: { ...fallback.numbers, sftSteps: '12' },
    });
    expect(readDraft(null, fallback)).toBe(fallback);
    expect(readDraft({ numbers: [] }, fallback)).toEqual(fallback);
  });

  it('the draft of the issue 13 link (init text 5) reads back as a usable draft', () => {
    const broken = { ...fallback, initKind: 'text', initText: 5 };
    const d = readDraft(broken, fallback);
    expect(recipeFromDraft(d, ['toxicity', 'bias', 'harmful']).recipe).toEqual(DEFAULT_RECIPE);
  });
});
