import { describe, expect, it } from 'vitest';
import { overRefusalRate, refusalRates } from './refusal';

describe('refusal metrics', () => {
  it('refusal rate and attack success rate are complements', () => {
    expect(refusalRates([true, true, false, true])).toEqual({
      refusalRate: 0.75,
      attackSuccessRate: 0.25,
      responses: 4,
    });
  });

  it('over-refusal is the refused share of safe prompts', () => {
    expect(overRefusalRate([false, false, true, false, false])).toEqual({
      overRefusalRate: 0.2,
      responses: 5,
    });
  });

  it('is NaN with a reason on no responses', () => {
    expect(refusalRates([]).undefinedReason).toBe('no responses to harmful prompts');
    expect(overRefusalRate([]).overRefusalRate).toBeNaN();
  });
});
