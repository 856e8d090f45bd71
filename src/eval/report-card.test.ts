import { describe, expect, it } from 'vitest';
import type { EvalReport, MetricValue } from './report';
import { reportCard } from './report-card';

const id = 'toxicity.expectedMax';

/** A report holding one metric: the mean of per-prompt values on prompts p0, p1, … */
function report(
  values: number[],
  extra: Partial<EvalReport> = {},
  metric: Partial<MetricValue> = {},
): EvalReport {
  return {
    label: 'x',
    patched: false,
    sampling: { maxNewTokens: 4, temperature: 1, topK: 0, topP: 1, seed: 1 },
    samplesPerPrompt: 1,
    scorers: { toxicity: 't', refusal: 'r', gender: 'g' },
    metrics: [
      {
        id,
        label: id,
        value: values.reduce((a, b) => a + b, 0) / values.length,
        better: 'lower',
        perPrompt: { aggregate: 'mean', keys: values.map((_, i) => `p${i}`), values },
        scorer: { name: 'lexicon', version: '2' },
        ...metric,
      },
    ],
    elapsedMs: 0,
    ...extra,
  };
}

describe('reportCard', () => {
  // Two prompts: M 1 and 1, M′ 0 and 0, M+P 0 and 1, M+R 1 and 1. M+P's mean
  // is 0.5; a resample of two prompts has mean 0, 0.5 or 1, so its 95 %
  // interval over 2000 resamples is [0, 1], and gap closed = 1 − mean(M+P)
  // has the same interval. M+R closes 0 on every resample.
  const control = { kind: 'random-patch' as const, seed: 3, n: 4, hidden: 8 };
  const card = reportCard({
    base: report([1, 1]),
    reference: report([0, 0]),
    patched: report([0, 1]),
    control: report([1, 1], { control }),
  });

  it('writes each model value, n, the interval and both gaps closed', () => {
    expect(card.metrics[id]).toEqual({
      base: 1,
      patched: 0.5,
      reference: 0,
      control: 1,
      n: 2,
      patched_ci_low: 0,
      patched_ci_high: 1,
      gap_closed: 0.5,
      gap_closed_ci_low: 0,
      gap_closed_ci_high: 1,
      control_gap_closed: 0,
      control_gap_closed_ci_low: 0,
      control_gap_closed_ci_high: 0,
    });
  });

  it('names each judge, the control and the interval settings', () => {
    expect(card.scorers).toEqual({ [id]: { name: 'lexicon', version: '2' } });
    expect(card.control).toEqual(control);
    expect(card.interval).toEqual({ level: 0.95, resamples: 2000, seed: 20240917 });
  });

  it('leaves out undefined numbers instead of writing them as 0', () => {
    const none = reportCard({
      base: report([1, 1]),
      reference: report([1, 1]),
      patched: report([0, 1], {}, { value: Number.NaN, undefinedReason: 'no samples' }),
    });
    // M = M′: no gap to close, so no gap_closed keys; NaN M+P value left out; no control.
    expect(Object.keys(none.metrics[id]).sort()).toEqual(
      ['base', 'n', 'patched_ci_high', 'patched_ci_low', 'reference'].sort(),
    );
    expect(none.control).toBeNull();
  });
});
