import type { SamplingOptions } from '../../protocol/messages';

interface FieldSpec {
  key: keyof SamplingOptions;
  label: string;
  min: number;
  max: number;
  step: number;
  help: string;
}

const FIELDS: FieldSpec[] = [
  { key: 'temperature', label: 'Temperature', min: 0, max: 2, step: 0.05, help: '0 = greedy' },
  { key: 'topK', label: 'Top-k', min: 0, max: 1000, step: 1, help: '0 = off' },
  { key: 'topP', label: 'Top-p', min: 0.05, max: 1, step: 0.05, help: '1 = off' },
  { key: 'maxNewTokens', label: 'Max new tokens', min: 1, max: 512, step: 1, help: '' },
  { key: 'seed', label: 'Seed', min: 0, max: 2 ** 31 - 1, step: 1, help: 'same for all three' },
];

/** Clamps a typed value into the field's range; integers where the field is integral. */
export function clampField(key: keyof SamplingOptions, raw: number): number {
  const f = FIELDS.find((x) => x.key === key);
  if (!f || !Number.isFinite(raw)) return f?.min ?? 0;
  const v = Math.min(f.max, Math.max(f.min, raw));
  return f.step >= 1 ? Math.round(v) : v;
}

/** The sampling settings every column shares, always visible beside the answers. */
export function SamplingControls({
  value,
  disabled,
  onChange,
}: {
  value: SamplingOptions;
  disabled: boolean;
  onChange: (v: SamplingOptions) => void;
}) {
  return (
    <fieldset className="sampling" disabled={disabled}>
      <legend>Sampling (same for M, M+P, M′)</legend>
      {FIELDS.map((f) => (
        <label key={f.key} className="field" title={f.help}>
          <span>
            {f.label}
            {f.help && <span className="muted"> ({f.help})</span>}
          </span>
          <input
            type="number"
            min={f.min}
            max={f.max}
            step={f.step}
            value={value[f.key]}
            data-testid={`sampling-${f.key}`}
            onChange={(e) =>
              onChange({ ...value, [f.key]: clampField(f.key, e.target.valueAsNumber) })
            }
          />
        </label>
      ))}
    </fieldset>
  );
}
