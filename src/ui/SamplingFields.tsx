// The one form for sampling settings (SamplingOptions): the evaluation
// settings and the playground both render it, so the two can never offer
// different ranges or meanings for the same knob.
import type { SamplingOptions } from '../engine/types';
import { NumberField } from './NumberField';

type Key = keyof SamplingOptions;

interface FieldSpec {
  key: Key;
  label: string;
  min: number;
  max: number;
  step: number;
  integer: boolean;
}

export const SAMPLING_FIELDS: readonly FieldSpec[] = [
  { key: 'maxNewTokens', label: 'Max new tokens', min: 1, max: 512, step: 1, integer: true },
  {
    key: 'temperature',
    label: 'Temperature (0 = greedy)',
    min: 0,
    max: 5,
    step: 0.05,
    integer: false,
  },
  // min is a multiple of step: the playground is a <form>, and a value off the step grid
  // (0.95 on a grid from 0.01) would make the browser refuse to submit it.
  { key: 'topP', label: 'Top-p (1 = off)', min: 0.05, max: 1, step: 0.05, integer: false },
  { key: 'topK', label: 'Top-k (0 = off)', min: 0, max: 100000, step: 1, integer: true },
  { key: 'seed', label: 'Seed', min: 0, max: 2 ** 31 - 1, step: 1, integer: true },
];

export function SamplingFields({
  value,
  onChange,
  testIds = {},
  help = {},
}: {
  value: SamplingOptions;
  onChange: (v: SamplingOptions) => void;
  /** data-testid per field, where a test drives it. */
  testIds?: Partial<Record<Key, string>>;
  /** A note under a field (e.g. what temperature 0 means for this form). */
  help?: Partial<Record<Key, string | undefined>>;
}) {
  return (
    <>
      {SAMPLING_FIELDS.map((f) => (
        <NumberField
          key={f.key}
          label={f.label}
          value={value[f.key]}
          min={f.min}
          max={f.max}
          step={f.step}
          help={help[f.key]}
          testId={testIds[f.key]}
          onCommit={(v) => onChange({ ...value, [f.key]: f.integer ? Math.round(v) : v })}
        />
      ))}
    </>
  );
}
