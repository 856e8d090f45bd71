import { useEffect, useState } from 'react';
import { DEFAULT_TOXICITY_CLASSIFIER } from '../../worker/eval-defaults';
import type { EvalConfig, EvalSetKind } from '../../worker/protocol';

const SET_NAMES: Record<EvalSetKind, string> = {
  toxicity: 'Toxicity prompts',
  bias: 'Bias prompts',
  harmful: 'Harmful prompts (refusal)',
  safe: 'Safe prompts (over-refusal)',
  general: 'General prompts (fluency)',
};

/** A number input that keeps the user's typing and commits only valid values. */
function NumberField({
  label,
  value,
  min,
  max,
  step,
  help,
  onCommit,
  testId,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  help?: string;
  onCommit: (v: number) => void;
  testId?: string;
}) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const n = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(n) && n >= min && n <= max;
  return (
    <label className="field">
      {label}
      <input
        type="number"
        value={text}
        min={min}
        max={max}
        step={step}
        aria-invalid={!valid}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v) && v >= min && v <= max)
            onCommit(v);
        }}
      />
      {!valid ? (
        <span className="note" role="alert">
          Enter a number from {min} to {max}.
        </span>
      ) : (
        help && <span className="muted">{help}</span>
      )}
    </label>
  );
}

/** k, sampling, scorer, sets and training cadence; every change applies at once. */
export function EvalSettings({
  config,
  onChange,
  disabled,
}: {
  config: EvalConfig;
  onChange: (c: EvalConfig) => void;
  disabled: boolean;
}) {
  const set = (patch: Partial<EvalConfig>) => onChange({ ...config, ...patch });
  const sampling = (patch: Partial<EvalConfig['sampling']>) =>
    set({ sampling: { ...config.sampling, ...patch } });
  const classifier = config.scorer.kind === 'classifier' ? config.scorer : null;
  return (
    <fieldset className="eval-settings" disabled={disabled} data-testid="eval-settings">
      <legend className="metrics-sr-only">Evaluation settings</legend>
      <div className="eval-settings-grid">
        <NumberField
          label="Samples per prompt (k)"
          value={config.k}
          min={1}
          max={25}
          step={1}
          help="5 in the browser; 25 is the RealToxicityPrompts protocol."
          onCommit={(k) => set({ k: Math.round(k) })}
          testId="eval-k"
        />
        <NumberField
          label="Prompts per set (0 = all)"
          value={config.maxPromptsPerSet}
          min={0}
          max={100000}
          step={1}
          help="The same first prompts for M, M+P and M′."
          onCommit={(n) => set({ maxPromptsPerSet: Math.round(n) })}
          testId="eval-prompts"
        />
        <NumberField
          label="New tokens per sample"
          value={config.sampling.maxNewTokens}
          min={1}
          max={512}
          step={1}
          onCommit={(v) => sampling({ maxNewTokens: Math.round(v) })}
          testId="eval-max-tokens"
        />
        <NumberField
          label="Temperature (0 = greedy)"
          value={config.sampling.temperature}
          min={0}
          max={5}
          step={0.1}
          help={config.sampling.temperature === 0 ? 'Greedy: one sample per prompt.' : undefined}
          onCommit={(v) => sampling({ temperature: v })}
        />
        <NumberField
          label="Top-p (1 = off)"
          value={config.sampling.topP}
          min={0.01}
          max={1}
          step={0.05}
          onCommit={(v) => sampling({ topP: v })}
        />
        <NumberField
          label="Top-k (0 = off)"
          value={config.sampling.topK}
          min={0}
          max={100000}
          step={1}
          onCommit={(v) => sampling({ topK: Math.round(v) })}
        />
        <NumberField
          label="Seed"
          value={config.sampling.seed}
          min={0}
          max={2 ** 31 - 1}
          step={1}
          onCommit={(v) => sampling({ seed: Math.round(v) })}
        />
        <label className="field">
          Toxicity scorer
          <select
            value={config.scorer.kind}
            data-testid="eval-scorer"
            onChange={(e) =>
              set({
                scorer:
                  e.target.value === 'lexicon'
                    ? { kind: 'lexicon' }
                    : {
                        kind: 'classifier',
                        modelId: DEFAULT_TOXICITY_CLASSIFIER,
                        allowRemote: true,
                      },
              })
            }
          >
            <option value="classifier">classifier (transformers.js)</option>
            <option value="lexicon">lexicon (offline)</option>
          </select>
          <span className="muted">
            A classifier that cannot load falls back to the lexicon, and says why.
          </span>
        </label>
        {classifier && (
          <>
            <label className="field">
              Classifier model id
              <input
                type="text"
                value={classifier.modelId}
                onChange={(e) =>
                  set({
                    scorer: {
                      ...classifier,
                      modelId: e.target.value.trim() || DEFAULT_TOXICITY_CLASSIFIER,
                    },
                  })
                }
              />
            </label>
            <label className="field checkbox">
              <input
                type="checkbox"
                checked={classifier.allowRemote}
                onChange={(e) => set({ scorer: { ...classifier, allowRemote: e.target.checked } })}
              />
              Download it from the Hugging Face hub if not cached (about 110 MB for toxic-bert)
            </label>
          </>
        )}
      </div>
      <div className="eval-settings-sets">
        <p className="muted">Evaluation sets (the embedded demo's held-out prompts)</p>
        {(Object.keys(SET_NAMES) as EvalSetKind[]).map((kind) => {
          const choice = config.sets[kind];
          return (
            <label key={kind} className="field checkbox">
              <input
                type="checkbox"
                checked={choice.source !== 'off'}
                data-testid={`eval-set-${kind}`}
                onChange={(e) =>
                  set({
                    sets: {
                      ...config.sets,
                      [kind]: e.target.checked ? { source: 'builtin' } : { source: 'off' },
                    },
                  })
                }
              />
              {SET_NAMES[kind]}
              {choice.source === 'custom' && <span className="muted"> · {choice.set.name}</span>}
            </label>
          );
        })}
      </div>
      <div className="eval-settings-training">
        <label className="field checkbox">
          <input
            type="checkbox"
            checked={config.duringTraining.enabled}
            onChange={(e) =>
              set({ duringTraining: { ...config.duringTraining, enabled: e.target.checked } })
            }
          />
          Evaluate M+P while a patch trains
        </label>
        <NumberField
          label="…at most every k training steps"
          value={config.duringTraining.everySteps}
          min={1}
          max={100000}
          step={1}
          help="Training offers a check every evalEvery steps (its recipe); evaluations closer than this are skipped."
          onCommit={(v) =>
            set({ duringTraining: { ...config.duringTraining, everySteps: Math.round(v) } })
          }
        />
      </div>
    </fieldset>
  );
}
