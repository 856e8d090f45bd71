import { useId } from 'react';
import { DOMAINS } from '../../data/domains';
import type { Domain } from '../../data/types';
import type { RecipeDraft } from '../../state/recipe-draft';
import { RECIPE_FIELD_HELP, type TrainRecipe } from '../../train/recipe';

/** Numeric recipe fields, in the order the form shows them, with their labels. */
const NUMBER_FIELDS: { key: keyof RecipeDraft['numbers']; label: string; step?: string }[] = [
  { key: 'nVirtualTokens', label: 'Virtual tokens' },
  { key: 'sftSteps', label: 'SFT steps' },
  { key: 'dpoSteps', label: 'DPO steps' },
  { key: 'batchSize', label: 'Batch size' },
  { key: 'gradAccumulation', label: 'Gradient accumulation' },
  { key: 'maxPromptTokens', label: 'Max prompt tokens' },
  { key: 'maxAnswerTokens', label: 'Max answer tokens' },
  { key: 'sftLr', label: 'SFT learning rate', step: 'any' },
  { key: 'dpoLr', label: 'DPO learning rate', step: 'any' },
  { key: 'warmupSteps', label: 'Warmup steps' },
  { key: 'minLrRatio', label: 'Final LR ratio', step: 'any' },
  { key: 'beta', label: 'DPO β', step: 'any' },
  { key: 'dpoNllWeight', label: 'DPO NLL weight α', step: 'any' },
  { key: 'dpoPolicyNegativeCopies', label: 'Copies of each on-policy pair' },
  { key: 'dpoPolicyNegativeShare', label: 'On-policy share of the DPO pool', step: 'any' },
  { key: 'marginThreshold', label: 'Margin threshold (nats/token)', step: 'any' },
  { key: 'maxGradNorm', label: 'Max gradient norm', step: 'any' },
  { key: 'seed', label: 'Seed' },
  { key: 'checkpointEvery', label: 'Checkpoint every' },
  { key: 'evalEvery', label: 'Evaluate every' },
];

const DOMAIN_LABEL: Record<Domain, string> = {
  toxicity: 'Toxicity',
  bias: 'Bias',
  harmful: 'Harmful requests',
};

/**
 * Every knob of the training recipe with its one-line explanation. Values are
 * kept as typed text (a half-typed "0." is not lost); the panel validates the
 * whole draft and says what is wrong.
 */
export function RecipeForm({
  draft,
  onChange,
  availableDomains,
  disabled,
}: {
  draft: RecipeDraft;
  onChange: (d: RecipeDraft) => void;
  availableDomains: Domain[];
  disabled: boolean;
}) {
  const id = useId();
  const setNumber = (key: keyof RecipeDraft['numbers'], value: string) =>
    onChange({ ...draft, numbers: { ...draft.numbers, [key]: value } });
  const help = (key: keyof TrainRecipe) => (
    <span className="train-help" id={`${id}-${key}-help`}>
      {RECIPE_FIELD_HELP[key]}
    </span>
  );
  return (
    <fieldset className="train-recipe" disabled={disabled} data-testid="recipe-form">
      <legend className="visually-hidden">Training recipe</legend>
      <div className="train-field train-wide">
        <span className="train-label">Domains</span>
        <div className="train-radios">
          <label>
            <input
              type="radio"
              name={`${id}-domains`}
              checked={draft.domainMode === 'joint'}
              onChange={() => onChange({ ...draft, domainMode: 'joint' })}
            />{' '}
            Joint: one patch for{' '}
            {availableDomains.map((d) => DOMAIN_LABEL[d]).join(' + ') || 'every domain'}
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-domains`}
              checked={draft.domainMode === 'single'}
              onChange={() => onChange({ ...draft, domainMode: 'single' })}
            />{' '}
            Single domain:
          </label>
          <select
            aria-label="Single domain"
            value={draft.singleDomain}
            disabled={draft.domainMode !== 'single'}
            onChange={(e) => onChange({ ...draft, singleDomain: e.target.value as Domain })}
            data-testid="recipe-single-domain"
          >
            {DOMAINS.map((d) => (
              <option key={d} value={d} disabled={!availableDomains.includes(d)}>
                {DOMAIN_LABEL[d]}
              </option>
            ))}
          </select>
        </div>
        {help('domains')}
      </div>

      <div className="train-field train-wide">
        <span className="train-label">Initialisation</span>
        <div className="train-radios">
          {(
            [
              ['text', 'From text'],
              ['random', 'Random'],
              ['vocab', 'Vocabulary rows'],
            ] as const
          ).map(([kind, label]) => (
            <label key={kind}>
              <input
                type="radio"
                name={`${id}-init`}
                checked={draft.initKind === kind}
                onChange={() => onChange({ ...draft, initKind: kind })}
                data-testid={`recipe-init-${kind}`}
              />{' '}
              {label}
            </label>
          ))}
        </div>
        {draft.initKind === 'text' && (
          <textarea
            aria-label="Instruction the patch starts from"
            rows={2}
            value={draft.initText}
            onChange={(e) => onChange({ ...draft, initText: e.target.value })}
            data-testid="recipe-init-text"
          />
        )}
        {help('init')}
      </div>

      <label className="train-field train-wide">
        <span className="train-label">DPO reference</span>
        <select
          value={draft.dpoReference}
          onChange={(e) =>
            onChange({ ...draft, dpoReference: e.target.value as TrainRecipe['dpoReference'] })
          }
          aria-describedby={`${id}-dpoReference-help`}
          data-testid="recipe-dpo-reference"
        >
          <option value="reference-model">M′ log-probs (paper)</option>
          <option value="sft-patch">Frozen SFT patch (standard DPO)</option>
        </select>
        {help('dpoReference')}
      </label>

      <label className="train-field train-wide">
        <span className="train-label">On-policy negatives</span>
        <select
          value={draft.dpoPolicyNegatives}
          onChange={(e) =>
            onChange({
              ...draft,
              dpoPolicyNegatives: e.target.value as TrainRecipe['dpoPolicyNegatives'],
            })
          }
          aria-describedby={`${id}-dpoPolicyNegatives-help`}
          data-testid="recipe-dpo-policy-negatives"
        >
          <option value="off">Off (collected pairs only)</option>
          <option value="look-alikes">Look-alikes the patch refuses</option>
          <option value="answered">Every answered prompt the patch refuses</option>
        </select>
        {help('dpoPolicyNegatives')}
      </label>

      <div className="train-field train-wide">
        <span className="train-label">Gradient checkpointing</span>
        <div className="train-radios">
          <label>
            <input
              type="checkbox"
              checked={draft.checkpointLayers}
              onChange={(e) => onChange({ ...draft, checkpointLayers: e.target.checked })}
              aria-describedby={`${id}-checkpointLayers-help`}
              data-testid="recipe-checkpoint-layers"
            />{' '}
            Recompute each layer in the backward pass (less memory, slower steps)
          </label>
        </div>
        {help('checkpointLayers')}
      </div>

      <label className="train-field">
        <span className="train-label">LR decay</span>
        <select
          value={draft.decay}
          onChange={(e) => onChange({ ...draft, decay: e.target.value as TrainRecipe['decay'] })}
          aria-describedby={`${id}-decay-help`}
        >
          <option value="cosine">cosine</option>
          <option value="linear">linear</option>
          <option value="constant">constant</option>
        </select>
        {help('decay')}
      </label>

      {NUMBER_FIELDS.map(({ key, label, step }) => {
        const helpKey: keyof TrainRecipe = key;
        return (
          <label className="train-field" key={key}>
            <span className="train-label">{label}</span>
            <input
              type="number"
              inputMode="decimal"
              step={step ?? '1'}
              value={draft.numbers[key]}
              onChange={(e) => setNumber(key, e.target.value)}
              aria-describedby={`${id}-${helpKey}-help`}
              data-testid={`recipe-${key}`}
            />
            {help(helpKey)}
          </label>
        );
      })}

      <div className="train-field train-wide">
        <span className="train-label">Adam β1 · β2 · ε</span>
        <div className="train-inline">
          {(['beta1', 'beta2', 'epsilon'] as const).map((k) => (
            <input
              key={k}
              type="number"
              step="any"
              aria-label={`Adam ${k}`}
              value={draft.adam[k]}
              onChange={(e) => onChange({ ...draft, adam: { ...draft.adam, [k]: e.target.value } })}
              aria-describedby={`${id}-adam-help`}
            />
          ))}
        </div>
        {help('adam')}
      </div>
    </fieldset>
  );
}
