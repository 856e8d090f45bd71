import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE, RECIPE_FIELD_HELP, resolveRecipe } from './recipe';

describe('recipe', () => {
  it('fills a partial recipe from the defaults, merging Adam hyper-parameters field by field', () => {
    const r = resolveRecipe({ sftSteps: 7, adam: { beta1: 0.8 } as never });
    expect(r.sftSteps).toBe(7);
    expect(r.dpoSteps).toBe(DEFAULT_RECIPE.dpoSteps);
    expect(r.adam).toEqual({ ...DEFAULT_RECIPE.adam, beta1: 0.8 });
  });

  it('rejects recipes no run can use', () => {
    expect(() => resolveRecipe({ nVirtualTokens: 0 })).toThrow(/nVirtualTokens/);
    expect(() => resolveRecipe({ batchSize: 2.5 })).toThrow(/batchSize/);
    expect(() => resolveRecipe({ sftSteps: 0, dpoSteps: 0 })).toThrow(/no training steps/);
    expect(() => resolveRecipe({ domains: [] })).toThrow(/domain/);
    expect(() => resolveRecipe({ dpoLr: 0 })).toThrow(/dpoLr/);
    expect(() => resolveRecipe({ beta: Number.NaN })).toThrow(/beta/);
    expect(() => resolveRecipe({ minLrRatio: 2 })).toThrow(/minLrRatio/);
  });

  it('the defaults are valid: the paper’s 50 virtual tokens, SFT then standard DPO against the SFT patch', () => {
    expect(resolveRecipe()).toEqual(DEFAULT_RECIPE);
    expect(DEFAULT_RECIPE.nVirtualTokens).toBe(50);
    expect(DEFAULT_RECIPE.dpoReference).toBe('sft-patch');
    expect(DEFAULT_RECIPE.sftSteps).toBeGreaterThan(0);
    expect(DEFAULT_RECIPE.dpoSteps).toBeGreaterThan(0);
  });

  it('has help text for every field', () => {
    for (const k of Object.keys(DEFAULT_RECIPE)) {
      expect(RECIPE_FIELD_HELP[k as keyof typeof RECIPE_FIELD_HELP]?.length ?? 0).toBeGreaterThan(
        20,
      );
    }
  });
});
