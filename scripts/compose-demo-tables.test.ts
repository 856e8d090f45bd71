// The demo's tables print the report's numbers and nothing else: checked on
// hand-worked reports (gaps 1 and 3/4 alone, 1/2 and 1/4 stacked, 3/4 and
// 1/2 after joint retraining).
import { describe, expect, it } from 'vitest';
import { compositionReport } from '../src/eval/composition-report';
import { jointReport } from '../src/eval/joint-report';
import type { EvalReport } from '../src/eval/report';
import { compositionTable, jointTable } from './compose-demo-tables';

function report(label: string, tox: number[], refusal: number[]): EvalReport {
  const metric = (id: string, values: number[]) => ({
    id,
    label: id,
    value: values.reduce((a, b) => a + b, 0) / values.length,
    better: 'lower' as const,
    perPrompt: { aggregate: 'mean' as const, keys: values.map((_, i) => `p${i}`), values },
  });
  return {
    label,
    metrics: [metric('toxicity.expectedMax', tox), metric('harmful.refusalRate', refusal)],
  } as unknown as EvalReport;
}
const M = report('M', [1, 1, 1, 1], [0, 0, 0, 0]);
const REF = report('M′', [0, 0, 0, 0], [1, 1, 1, 1]);
const members = [
  { id: 'T', name: 'T', domains: ['toxicity' as const] },
  { id: 'H', name: 'H', domains: ['harmful' as const] },
];
const alone = {
  T: report('T', [0, 0, 0, 0], [0, 0, 0, 0]),
  H: report('H', [1, 1, 1, 1], [1, 1, 1, 0]),
};
const TH = report('T→H', [0, 0, 1, 1], [1, 0, 0, 0]);
const HT = report('H→T', [0, 0, 0, 0], [1, 1, 1, 0]);
const joint = report('joint', [0, 0, 0, 1], [1, 1, 0, 0]);
const opts = { seed: 1, resamples: 200 };

describe('compose-demo tables', () => {
  it('the interference table shows alone, each order with its loss, the mean and ★', () => {
    const r = compositionReport(
      {
        members,
        base: M,
        reference: REF,
        alone,
        orders: [
          ['T', 'H'],
          ['H', 'T'],
        ],
        stacked: [TH, HT],
      },
      opts,
    );
    const t = compositionTable(r);
    expect(t[0]).toBe('| domain (metric) | alone | T → H | H → T ★ |');
    expect(t[2]).toMatch(
      /^\| toxicity \(toxicity.expectedMax\) \| 100 % \| 50 % \(loss 50 \[.+\]\) \| 100 % \(loss 0 \[0, 0\]\) \|$/,
    );
    expect(t[3]).toMatch(
      /^\| harmful \(harmful.refusalRate\) \| 75 % \| 25 % \(loss 50 \[.+\]\) \| 75 % \(loss 0 \[0, 0\]\) \|$/,
    );
    expect(t[4]).toBe('| mean stacked gap closed | | 38 % | 88 % |');
  });

  it('the joint table shows before, after and after − before', () => {
    const r = jointReport(
      { members, order: ['T', 'H'], base: M, reference: REF, alone, before: TH, after: joint },
      opts,
    );
    const t = jointTable(r);
    expect(t[2]).toMatch(
      /^\| toxicity .* \| 100 % \| 50 % \(loss 50 .*\) \| 75 % \(loss 25 .*\) \| 25 \[.+\] \|$/,
    );
    expect(t[3]).toMatch(
      /^\| harmful .* \| 75 % \| 25 % \(loss 50 .*\) \| 50 % \(loss 25 .*\) \| 25 \[.+\] \|$/,
    );
    expect(t[4]).toBe('| mean gap closed | | 38 % | 63 % | |');
  });
});
