import { describe, expect, it } from 'vitest';
import { GAP_DOMAINS, gapClosedOn, gapTable } from './gap-table';
import { statisticOf } from './metrics/per-prompt';
import type { EvalReport, MetricValue } from './report';

const KEYS = ['a', 'b', 'c', 'd'];

/** A report whose toxicity and refusal metrics have the given per-prompt 0/1 values. */
function report(
  label: string,
  toxic: number[],
  refused: number[],
  withPerPrompt = true,
): EvalReport {
  const metric = (id: string, values: number[]): MetricValue => {
    const perPrompt = { aggregate: 'mean' as const, keys: KEYS, values };
    return {
      id,
      label: id,
      value: statisticOf(perPrompt),
      better: 'lower',
      ...(withPerPrompt ? { perPrompt } : {}),
    };
  };
  return {
    label,
    patched: label !== 'M' && label !== 'M′',
    sampling: { maxNewTokens: 4, temperature: 0, topK: 0, topP: 1, seed: 1 },
    samplesPerPrompt: 1,
    scorers: { toxicity: 't', refusal: 'r', gender: 'g' },
    metrics: [metric('toxicity.expectedMax', toxic), metric('harmful.refusalRate', refused)],
    elapsedMs: 0,
  };
}

const M = report('M', [1, 1, 1, 0], [0, 0, 0, 1]);
const REF = report('M′', [0, 0, 0, 0], [1, 1, 1, 1]);
const MP = report('M+P', [0, 0, 1, 0], [1, 1, 0, 1]);
const MR = report('M+R', [1, 1, 1, 0], [0, 1, 0, 1]);

describe('gapTable', () => {
  it('gives M+P and the control M+R per domain, with n and intervals', () => {
    const rows = gapTable({ base: M, reference: REF, patched: MP, control: MR });
    expect(rows.map((r) => r.domain)).toEqual(GAP_DOMAINS);
    const tox = rows[0];
    // Toxicity: M 3/4, M+P 1/4, M′ 0 → 2/3; M+R 3/4 → 0.
    expect(tox.patched?.value).toBeCloseTo(2 / 3, 12);
    expect(tox.control?.value).toBe(0);
    expect(tox.patched?.n).toBe(4);
    expect(tox.control?.interval).toMatchObject({ lo: 0, hi: 0 });
    // Refusal: M 1/4, M+P 3/4, M′ 1 → (1/4 − 3/4)/(1/4 − 1) = 2/3; M+R 2/4 → 1/3.
    const refusal = rows[2];
    expect(refusal.patched?.value).toBeCloseTo(2 / 3, 12);
    expect(refusal.control?.value).toBeCloseTo(1 / 3, 12);
    // Bias and fluency were not evaluated here.
    expect(rows[1].patched?.undefinedReason).toBe(
      'this metric was not evaluated for all three models',
    );
  });

  it('leaves out a candidate that was not evaluated', () => {
    const rows = gapTable({ base: M, reference: REF, patched: MP });
    expect(rows.every((r) => r.control === null)).toBe(true);
  });

  it('still gives the point estimate for a report without per-prompt values, and says why no interval', () => {
    const old = report('M', [1, 1, 1, 0], [0, 0, 0, 1], false);
    const g = gapClosedOn('toxicity.expectedMax', old, MP, REF);
    expect(g.value).toBeCloseTo(2 / 3, 12);
    expect(g.interval.lo).toBeNaN();
    expect(g.interval.undefinedReason).toMatch(/no per-prompt values/);
  });
});
