import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYGROUND_SAMPLING } from '../client/playground';
import { DEFAULT_EVAL_CONFIG } from '../protocol/eval-defaults';
import { SAMPLING_FIELDS } from './SamplingFields';

/** What the browser's constraint validation asks of a number input before a form submits. */
function validInput(v: number, f: { min: number; max: number; step: number }): boolean {
  const steps = (v - f.min) / f.step;
  return v >= f.min && v <= f.max && Math.abs(steps - Math.round(steps)) < 1e-9;
}

describe('the sampling form', () => {
  it.each([
    ['playground', DEFAULT_PLAYGROUND_SAMPLING],
    ['evaluation', DEFAULT_EVAL_CONFIG.sampling],
  ])(
    'accepts the %s defaults (a value off the step grid would block the playground form)',
    (_name, sampling) => {
      for (const f of SAMPLING_FIELDS)
        expect([f.key, validInput(sampling[f.key], f)]).toEqual([f.key, true]);
    },
  );

  it('the check itself refuses a value off the grid', () => {
    expect(validInput(0.95, { min: 0.01, max: 1, step: 0.05 })).toBe(false);
  });
});
