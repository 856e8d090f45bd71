import type { SamplingOptions } from '../../protocol/messages';
import { SAMPLING_FIELDS, SamplingFields } from '../SamplingFields';

const TEST_IDS = Object.fromEntries(SAMPLING_FIELDS.map((f) => [f.key, `sampling-${f.key}`]));

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
      <SamplingFields
        value={value}
        onChange={onChange}
        testIds={TEST_IDS}
        help={{ seed: 'same for all three' }}
      />
    </fieldset>
  );
}
