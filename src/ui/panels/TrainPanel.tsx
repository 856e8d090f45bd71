import { useEffect, useMemo, useState } from 'react';
import { DOMAINS } from '../../data/domains';
import { DEFAULT_INIT_TEXT } from '../../patch/init-text';
import { selectTrainSets } from '../../state/slices/data';
import { isRunLive } from '../../state/slices/train';
import type { CollectSettings } from '../../train/collected';
import { DEFAULT_RECIPE } from '../../train/recipe';
import { useLab } from '../lab-context';
import { Panel } from '../Panel';
import { CollectSection } from '../train/CollectSection';
import { RecipeForm } from '../train/RecipeForm';
import { RunSection } from '../train/RunSection';
import { draftFromRecipe, type RecipeDraft, recipeFromDraft } from '../train/recipe-draft';
import '../train/train.css';

const DRAFT_KEY = 'patch-lab.train.recipe-draft';
const SAMPLING_KEY = 'patch-lab.train.sampling';

/** The user's last recipe survives a reload; a stored draft that no longer parses falls back to the defaults. */
function loadStored<T>(key: string, fallback: T): T {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    return raw ? { ...fallback, ...JSON.parse(raw) } : fallback;
  } catch {
    return fallback;
  }
}

export function TrainPanel() {
  const sets = useLab(selectTrainSets);
  const collected = useLab((s) => s.train.collected);
  const status = useLab((s) => s.train.status);
  const collectRunning = useLab((s) =>
    s.train.collectRunId ? s.runs[s.train.collectRunId]?.status === 'running' : false,
  );
  const [draft, setDraft] = useState<RecipeDraft>(() =>
    loadStored(DRAFT_KEY, draftFromRecipe(DEFAULT_RECIPE, DEFAULT_INIT_TEXT)),
  );
  const [sampling, setSampling] = useState<CollectSettings>(() =>
    loadStored(SAMPLING_KEY, {
      temperature: 0.7,
      topK: 40,
      topP: 0.95,
      maxAnswerTokens: DEFAULT_RECIPE.maxAnswerTokens,
      maxPromptTokens: DEFAULT_RECIPE.maxPromptTokens,
      batchSize: 8,
      seed: DEFAULT_RECIPE.seed,
    }),
  );
  useEffect(() => localStorage.setItem(DRAFT_KEY, JSON.stringify(draft)), [draft]);
  useEffect(() => localStorage.setItem(SAMPLING_KEY, JSON.stringify(sampling)), [sampling]);

  // Collecting uses the recipe's answer and prompt lengths: training on
  // answers longer than were generated would be impossible.
  const collectSettings = useMemo<CollectSettings>(
    () => ({
      ...sampling,
      maxAnswerTokens: Number(draft.numbers.maxAnswerTokens) || DEFAULT_RECIPE.maxAnswerTokens,
      maxPromptTokens: Number(draft.numbers.maxPromptTokens) || DEFAULT_RECIPE.maxPromptTokens,
    }),
    [sampling, draft.numbers.maxAnswerTokens, draft.numbers.maxPromptTokens],
  );

  const availableDomains = useMemo(() => {
    const present = collected ? Object.keys(collected.byDomain) : sets.map((s) => s.kind as string);
    return DOMAINS.filter((d) => present.includes(d));
  }, [collected, sets]);
  const parsed = useMemo(() => recipeFromDraft(draft, availableDomains), [draft, availableDomains]);
  const live = isRunLive(status);

  return (
    <Panel title="Train" area="train">
      <CollectSection sets={sets} settings={collectSettings} onSettings={setSampling} busy={live} />
      <section className="train-section" aria-labelledby="train-recipe-h">
        <h3 id="train-recipe-h">2 · Recipe</h3>
        <details className="train-details">
          <summary>
            {parsed.recipe
              ? `${parsed.recipe.sftSteps} SFT + ${parsed.recipe.dpoSteps} DPO steps · ${parsed.recipe.nVirtualTokens} virtual tokens · ${parsed.recipe.domains.join(' + ')}`
              : 'Recipe needs a fix'}
          </summary>
          <RecipeForm
            draft={draft}
            onChange={setDraft}
            availableDomains={availableDomains}
            disabled={live}
          />
          <button
            type="button"
            className="ghost"
            onClick={() => setDraft(draftFromRecipe(DEFAULT_RECIPE, DEFAULT_INIT_TEXT))}
            disabled={live}
          >
            Reset to defaults
          </button>
        </details>
        {parsed.error && (
          <p className="train-error" role="alert" data-testid="recipe-error">
            {parsed.error}
          </p>
        )}
      </section>
      <RunSection
        recipe={parsed.recipe}
        recipeError={parsed.error}
        collectedId={collected?.id ?? null}
        busy={collectRunning}
      />
    </Panel>
  );
}
