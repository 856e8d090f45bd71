import { DEFAULT_REFUSAL_DETECTOR, REFUSAL_DETECTORS } from '../../eval/refusal-judge';
import {
  DEFAULT_CONTROL_SEED,
  DEFAULT_REFUSAL_CLASSIFIER,
  DEFAULT_TOXICITY_CLASSIFIER,
} from '../../protocol/eval-defaults';
import type { EvalConfig, EvalSetChoice, EvalSetKind } from '../../protocol/messages';
import { selectEvalSets, selectPairSets } from '../../state/slices/data';
import { useLab } from '../lab-context';
import { NumberField } from '../NumberField';
import { SamplingFields } from '../SamplingFields';

const SET_NAMES: Record<EvalSetKind, string> = {
  toxicity: 'Toxicity prompts',
  bias: 'Bias prompts',
  harmful: 'Harmful prompts (refusal)',
  safe: 'Safe prompts (over-refusal)',
  general: 'General prompts (fluency)',
};

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
  const classifier = config.scorer.kind === 'classifier' ? config.scorer : null;
  const refusal = config.refusal ?? { kind: 'rule', id: DEFAULT_REFUSAL_DETECTOR.id };
  const refusalValue = refusal.kind === 'classifier' ? 'classifier' : refusal.id;
  return (
    <fieldset className="eval-settings" disabled={disabled} data-testid="eval-settings">
      <legend className="visually-hidden">Evaluation settings</legend>
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
          label="Control seed (M+R)"
          value={config.control?.seed ?? DEFAULT_CONTROL_SEED}
          min={0}
          max={2 ** 31 - 1}
          step={1}
          help="Directions of the random patch M+R; its length and row norms follow the applied patch (or the recipe's length at M's embedding norm)."
          onCommit={(seed) => set({ control: { seed: Math.round(seed) } })}
          testId="eval-control-seed"
        />
        <SamplingFields
          value={config.sampling}
          onChange={(v) => set({ sampling: v })}
          testIds={{ maxNewTokens: 'eval-max-tokens' }}
          help={{
            temperature:
              config.sampling.temperature === 0 ? 'Greedy: one sample per prompt.' : undefined,
          }}
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
        <label className="field">
          Refusal judge
          <select
            value={refusalValue}
            data-testid="eval-refusal-judge"
            onChange={(e) =>
              set({
                refusal:
                  e.target.value === 'classifier'
                    ? { kind: 'classifier', modelId: DEFAULT_REFUSAL_CLASSIFIER, allowRemote: true }
                    : { kind: 'rule', id: e.target.value },
              })
            }
          >
            {Object.values(REFUSAL_DETECTORS).map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
            <option value="classifier">
              classifier: {DEFAULT_REFUSAL_CLASSIFIER} (transformers.js)
            </option>
          </select>
          <span className="muted">
            The opening-sentences rule agrees with XSTest's human labels best offline
            (docs/METRICS.md); the published lists keep their original rules.
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
        <p className="muted">
          Evaluation sets: the embedded demo's held-out prompts, or an eval set from the Data panel
        </p>
        {(Object.keys(SET_NAMES) as EvalSetKind[]).map((kind) => (
          <SetChoice
            key={kind}
            kind={kind}
            choice={config.sets[kind]}
            onChange={(choice) => set({ sets: { ...config.sets, [kind]: choice } })}
          />
        ))}
        <PairSetChoice value={config.crowsPairs} onChange={(crowsPairs) => set({ crowsPairs })} />
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

const BUILTIN = 'builtin';
const OFF = 'off';

/** Which prompts a domain is measured on: demo held-out, an imported eval set, or none. */
function SetChoice({
  kind,
  choice,
  onChange,
}: {
  kind: EvalSetKind;
  choice: EvalSetChoice;
  onChange: (c: EvalSetChoice) => void;
}) {
  const imported = useLab(selectEvalSets)[kind].filter((x) => !x.name.startsWith('demo-'));
  const value =
    choice.source === 'custom'
      ? `custom:${choice.set.name}`
      : choice.source === 'off'
        ? OFF
        : BUILTIN;
  // A custom choice made earlier stays listed even if its set was since removed from the Data panel.
  const options =
    choice.source === 'custom' && !imported.some((x) => x.name === choice.set.name)
      ? [choice.set, ...imported]
      : imported;
  return (
    <label className="field">
      {SET_NAMES[kind]}
      <select
        value={value}
        data-testid={`eval-set-${kind}`}
        onChange={(e) => {
          const v = e.target.value;
          if (v === BUILTIN) onChange({ source: 'builtin' });
          else if (v === OFF) onChange({ source: 'off' });
          else {
            const picked = options.find((x) => `custom:${x.name}` === v);
            if (picked) onChange({ source: 'custom', set: picked });
          }
        }}
      >
        <option value={BUILTIN}>demo held-out set</option>
        {options.map((x) => (
          <option key={x.name} value={`custom:${x.name}`}>
            {x.name} ({x.items.length} prompts)
          </option>
        ))}
        <option value={OFF}>off (skip this domain)</option>
      </select>
    </label>
  );
}

/** CrowS-Pairs-style sentence pairs for the likelihood bias metric (imported in the Data panel). */
function PairSetChoice({
  value,
  onChange,
}: {
  value: EvalConfig['crowsPairs'];
  onChange: (v: EvalConfig['crowsPairs']) => void;
}) {
  const pairSets = useLab(selectPairSets);
  const options =
    value && !pairSets.some((x) => x.name === value.name) ? [value, ...pairSets] : pairSets;
  return (
    <label className="field">
      Sentence pairs (CrowS-Pairs preference)
      <select
        value={value?.name ?? OFF}
        data-testid="eval-set-pairs"
        onChange={(e) => onChange(options.find((x) => x.name === e.target.value) ?? null)}
      >
        <option value={OFF}>
          {pairSets.length ? 'off' : 'off — import a CrowS-Pairs CSV in the Data panel'}
        </option>
        {options.map((x) => (
          <option key={x.name} value={x.name}>
            {x.name} ({x.pairs.length} pairs)
          </option>
        ))}
      </select>
    </label>
  );
}
