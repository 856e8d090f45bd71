import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE } from '../train/recipe';
import { draftFromRecipe, recipeFromDraft } from './recipe-draft';

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
});
