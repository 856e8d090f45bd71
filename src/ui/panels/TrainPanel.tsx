import { useMemo } from 'react';
import { setCollectSettings, setRecipeDraft } from '../../client/train';
import { DOMAINS } from '../../data/domains';
import { type RecipeDraft, recipeFromDraft } from '../../state/recipe-draft';
import { describeRecipe, shownRecipe } from '../../state/run-phase';
import { selectTrainSets } from '../../state/slices/data';
import { DEFAULT_RECIPE_DRAFT } from '../../state/slices/recipe';
import { isRunLive } from '../../state/slices/train';
import type { CollectSettings } from '../../train/collected';
import { DEFAULT_RECIPE } from '../../train/recipe';
import { useLab, useLabClient } from '../lab-context';
import { Panel } from '../Panel';
import { CollectSection } from '../train/CollectSection';
import { RecipeForm } from '../train/RecipeForm';
import { RunSection } from '../train/RunSection';
import '../train/train.css';

export function TrainPanel() {
  const sets = useLab(selectTrainSets);
  const collected = useLab((s) => s.train.collected);
  const status = useLab((s) => s.train.status);
  const collectRunning = useLab((s) =>
    s.train.collectRunId ? s.runs[s.train.collectRunId]?.status === 'running' : false,
  );
  const client = useLabClient();
  // The draft and the sampling live in the store (the recipe slice): a share
  // link fills them, the URL follows them, the client remembers them.
  const draft = useLab((s) => s.recipe.draft);
  const sampling = useLab((s) => s.recipe.collect);
  const setDraft = (d: RecipeDraft) => setRecipeDraft(client, d);
  const setSampling = (c: CollectSettings) => setCollectSettings(client, c);

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
  const train = useLab((s) => s.train);
  const shown = shownRecipe(train, parsed.recipe);

  return (
    <Panel title="Train" area="train">
      <CollectSection sets={sets} settings={collectSettings} onSettings={setSampling} busy={live} />
      <section className="train-section" aria-labelledby="train-recipe-h">
        <h3 id="train-recipe-h">2 · Recipe</h3>
        <details className="train-details">
          <summary data-testid="recipe-summary">
            {/* While a run is live it names that run's recipe (the guided demo's, a resumed one's), not the form's. */}
            {shown.recipe
              ? `${shown.running ? 'Running: ' : ''}${describeRecipe(shown.recipe)}`
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
            onClick={() => setDraft(DEFAULT_RECIPE_DRAFT)}
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
