import { describe, expect, it } from 'vitest';
import { GAPS_CSV_HEADER, METRICS_CSV_HEADER } from '../../eval/export';
import { addEvalResult, initialEvalState } from '../../state/slices/eval';
import { fakePerPromptResult, fakeResult } from '../../state/slices/eval-fixtures';
import {
  exportGaps,
  exportResults,
  gapsCsvOf,
  metricsCsvOf,
  metricsJsonOf,
} from './metrics-export';

const id = 'toxicity.expectedMax';
// Same two-prompt world as the slice test: M+P closes 50 % [0, 100], M+R 0 % [0, 0].
const s = [
  fakePerPromptResult('patched', id, [0, 1], { step: 20, trainRunId: 'train-1' }),
  fakePerPromptResult('base', id, [1, 1]),
  fakePerPromptResult('control', id, [1, 1]),
  fakePerPromptResult('reference', id, [0, 0]),
].reduce(addEvalResult, initialEvalState.evaluation);

const col = (header: readonly string[], row: string, name: string) =>
  row.split(',')[header.indexOf(name)];

describe('metrics exports through src/eval/export.ts', () => {
  it('orders M, M′, M+R, then M+P by step', () => {
    expect(exportResults(s).map((r) => r.target)).toEqual([
      'base',
      'reference',
      'control',
      'patched',
    ]);
  });

  it('writes n and the 95 % interval of each metric, and the series of the control', () => {
    const lines = metricsCsvOf(s).split('\r\n');
    expect(lines[0]).toBe(METRICS_CSV_HEADER.join(','));
    const mp = lines.find((l) => l.startsWith('M+P,'))!;
    expect(col(METRICS_CSV_HEADER, mp, 'value')).toBe('0.5');
    expect(col(METRICS_CSV_HEADER, mp, 'n')).toBe('2');
    // Mean of M+P over a resample of [0, 1] is 0, 0.5 or 1: the interval is [0, 1].
    expect(col(METRICS_CSV_HEADER, mp, 'ci_low')).toBe('0');
    expect(col(METRICS_CSV_HEADER, mp, 'ci_high')).toBe('1');
    expect(lines.filter((l) => l.startsWith('M+R,'))).toHaveLength(1);
  });

  it('writes the gap table with M+P and the control, as shown on screen', () => {
    expect(exportGaps(s, 'fp-base').map((g) => [g.domain, g.candidate])).toEqual([
      ['toxicity', 'M+P'],
      ['toxicity', 'M+R'],
    ]);
    const [header, mp, mr] = gapsCsvOf(s, 'fp-base').split('\r\n');
    expect(header).toBe(GAPS_CSV_HEADER.join(','));
    expect(mp.endsWith('"50 % [0, 100]"')).toBe(true);
    expect(col(GAPS_CSV_HEADER, mp, 'step')).toBe('20');
    expect(mr.endsWith('"0 % [0, 0]"')).toBe(true);
  });

  it('writes JSON with the results, the gaps and null for undefined numbers', () => {
    const withNaN = addEvalResult(
      s,
      fakeResult('base', { [id]: 1, 'safe.overRefusalRate': Number.NaN }),
    );
    const parsed = JSON.parse(metricsJsonOf(withNaN, 'fp-base', '2025-02-02T00:00:00.000Z'));
    expect(parsed.format).toBe('patch-lab-metrics');
    expect(parsed.results.map((r: { series: string }) => r.series)).toEqual([
      'M',
      'M′',
      'M+R',
      'M+P',
    ]);
    const over = parsed.results[0].report.metrics.find(
      (m: { id: string }) => m.id === 'safe.overRefusalRate',
    );
    expect(over).toMatchObject({ value: null, undefinedReason: 'no samples' });
    // The new M has no per-prompt values: the gaps keep their point estimates, without an interval.
    expect(parsed.gaps.map((g: { shownAs: string }) => g.shownAs)).toEqual(['50 %', '0 %']);
    const full = JSON.parse(metricsJsonOf(s, 'fp-base', '2025-02-02T00:00:00.000Z'));
    expect(full.gaps.map((g: { shownAs: string }) => g.shownAs)).toEqual([
      '50 % [0, 100]',
      '0 % [0, 0]',
    ]);
  });
});
