// The Train panel's settings as the user is typing them: the recipe draft
// (numbers as typed text, src/state/recipe-draft.ts) and the collection
// sampling. In the store, not in the panel, so a share link can fill them
// before the panel mounts, the URL can follow them, and the client
// (src/client/settings.ts) is the one place that remembers them.
import { DEFAULT_INIT_TEXT } from '../../patch/init-text';
import type { CollectSettings } from '../../train/collected';
import { DEFAULT_RECIPE } from '../../train/recipe';
import { draftFromRecipe, type RecipeDraft } from '../recipe-draft';
import { sliceReducer } from './slice';

export interface RecipeSliceState {
  draft: RecipeDraft;
  /** Sampling for collecting M′'s and M's answers (the lengths come from the draft). */
  collect: CollectSettings;
}

export interface RecipeState {
  recipe: RecipeSliceState;
}

export const DEFAULT_COLLECT_SETTINGS: CollectSettings = {
  temperature: 0.7,
  topK: 40,
  topP: 0.95,
  maxAnswerTokens: DEFAULT_RECIPE.maxAnswerTokens,
  maxPromptTokens: DEFAULT_RECIPE.maxPromptTokens,
  batchSize: 8,
  seed: DEFAULT_RECIPE.seed,
};

export const DEFAULT_RECIPE_DRAFT: RecipeDraft = draftFromRecipe(DEFAULT_RECIPE, DEFAULT_INIT_TEXT);

export const initialRecipeState: RecipeState = {
  recipe: { draft: DEFAULT_RECIPE_DRAFT, collect: DEFAULT_COLLECT_SETTINGS },
};

/** No worker event changes what the user is typing. */
export const reduceRecipeEvent = sliceReducer<RecipeState>(() => null);

// ─── UI actions (pure; the client applies them) ─────────────────────────────

export function withRecipeDraft(s: RecipeState, draft: RecipeDraft): Partial<RecipeState> {
  return { recipe: { ...s.recipe, draft } };
}

export function withCollectSettings(
  s: RecipeState,
  collect: CollectSettings,
): Partial<RecipeState> {
  return { recipe: { ...s.recipe, collect } };
}
