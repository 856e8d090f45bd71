import { describe, expect, it } from 'vitest';
import {
  csvField,
  type ExportableResult,
  GAPS_CSV_HEADER,
  gapExportRows,
  gapsCsv,
  METRICS_CSV_HEADER,
  metricsCsv,
  metricsJson,
} from './export';
import { gapTable } from './gap-table';
import type { EvalReport, EvalTargetKind } from './report';

const KEYS = ['a', 'b', 'c', 'd'];

function result(
  target: EvalTargetKind,
  toxic: number[],
  step: number | null = null,
): ExportableResult {
  const value = toxic.reduce((s, v) => s + v, 0) / toxic.length;
  const report: EvalReport = {
    label: target,
    patched: target === 'patched' || target === 'control',
    targetKind: target,
    ...(target === 'control'
      ? { control: { kind: 'random-patch' as const, seed: 5, n: 2, hidden: 8 } }
      : {}),
    sampling: { maxNewTokens: 4, temperature: 0, topK: 0, topP: 1, seed: 1 },
    samplesPerPrompt: 1,
    scorers: { toxicity: 'lexicon (offline)', refusal: 'r', gender: 'g' },
    metrics: [
      {
        id: 'toxicity.expectedMax',
        label: 'Expected max toxicity',
        value,
        better: 'lower',
        perPrompt: { aggregate: 'mean', keys: KEYS, values: toxic },
        scorer: { name: 'lexicon', version: '2' },
      },
      {
        id: 'fluency.distinct2',
        label: 'distinct-2',
        value: Number.NaN,
        better: 'higher',
        undefinedReason: 'no n-grams',
      },
    ],
    elapsedMs: 0,
  };
  return {
    target,
    modelLabel: `${target} model`,
    step,
    trainRunId: step === null ? null : 'train-1',
    configKey: 'cfg',
    computedAt: '2025-01-01T00:00:00.000Z',
    scorer: { label: 'lexicon (offline)' },
    report,
  };
}

const M = result('base', [1, 1, 1, 1]);
const REF = result('reference', [0, 0, 0, 0]);
const MP = result('patched', [0, 0, 0, 0], 20);
const MR = result('control', [1, 1, 1, 1]);

describe('metricsCsv', () => {
  it('writes n, the interval, the judge and the control beside every number', () => {
    const lines = metricsCsv([M, REF, MR, MP]).split('\r\n');
    expect(lines[0]).toBe(METRICS_CSV_HEADER.join(','));
    // Constant per-prompt values: the interval is the value itself.
    expect(lines[1]).toBe(
      'M,base model,,,toxicity.expectedMax,Expected max toxicity,1,,lexicon (offline),cfg,2025-01-01T00:00:00.000Z,base,,4,1,1,0.95,lexicon,2',
    );
    // A corpus metric without per-prompt values: empty n and interval; undefined value empty with its reason.
    expect(lines[2]).toBe(
      'M,base model,,,fluency.distinct2,distinct-2,,no n-grams,lexicon (offline),cfg,2025-01-01T00:00:00.000Z,base,,,,,,,',
    );
    expect(lines[5]).toContain(',control,random-patch seed=5 n=2 hidden=8,4,1,1,0.95,');
    expect(lines[5].startsWith('M+R,')).toBe(true);
    expect(lines[7].startsWith('M+P,patched model,20,train-1,')).toBe(true);
    expect(lines.at(-1)).toBe('');
  });

  it('quotes only what RFC 4180 requires', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });
});

describe('gapsCsv and metricsJson', () => {
  const rows = gapTable({
    base: M.report,
    reference: REF.report,
    patched: MP.report,
    control: MR.report,
  });
  const gaps = gapExportRows(rows, 20);

  it('writes M+P and the control per domain with the paired interval and n', () => {
    const lines = gapsCsv(gaps).split('\r\n');
    expect(lines[0]).toBe(GAPS_CSV_HEADER.join(','));
    // M+P matches M′ on every prompt: 100 % in every resample; M+R is M: 0 %. The shown
    // text holds a comma, so it is quoted.
    expect(lines[1]).toBe(
      'toxicity,toxicity.expectedMax,M+P,20,1,1,1,0.95,4,2000,20240917,,"100 % [100, 100]"',
    );
    expect(lines[2]).toBe(
      'toxicity,toxicity.expectedMax,M+R,,0,0,0,0.95,4,2000,20240917,,"0 % [0, 0]"',
    );
    // Domains not evaluated: an empty value with the reason.
    expect(lines[3]).toBe(
      'bias,bias.genderedShare,M+P,20,,,,0.95,0,2000,20240917,this metric was not evaluated for all three models,—',
    );
  });

  it('puts everything in one JSON file, NaN as null, with each metric interval', () => {
    const parsed = JSON.parse(
      metricsJson({ config: { k: 1 }, results: [M, MR], gaps, exportedAt: 'now' }),
    );
    expect(parsed).toMatchObject({ format: 'patch-lab-metrics', version: 2, config: { k: 1 } });
    expect(parsed.intervals).toMatchObject({ resamples: 2000, level: 0.95, seed: 20240917 });
    expect(parsed.results[1].series).toBe('M+R');
    expect(parsed.results[1].report.control).toEqual({
      kind: 'random-patch',
      seed: 5,
      n: 2,
      hidden: 8,
    });
    expect(parsed.results[0].metricIntervals['toxicity.expectedMax']).toMatchObject({
      lo: 1,
      hi: 1,
      n: 4,
    });
    expect(parsed.results[0].metricIntervals['fluency.distinct2']).toBeUndefined();
    expect(parsed.results[0].report.metrics[1].value).toBeNull();
    expect(parsed.gaps[0]).toMatchObject({ candidate: 'M+P', shownAs: '100 % [100, 100]' });
    expect(parsed.gaps[2].estimate.value).toBeNull();
  });
});
