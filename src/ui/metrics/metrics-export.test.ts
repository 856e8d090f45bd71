import { describe, expect, it } from 'vitest';
import { addEvalResult, initialEvalState } from '../../state/slices/eval';
import { fakeResult } from '../../state/slices/eval-fixtures';
import { csvField, metricsCsv, metricsJson } from './metrics-export';

describe('csvField', () => {
  it('quotes only what RFC 4180 requires and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
});

describe('metricsCsv', () => {
  const s = [
    fakeResult('patched', { 'toxicity.expectedMax': 0.5 }, { step: 20, trainRunId: 'train-1' }),
    fakeResult('base', { 'toxicity.expectedMax': 0.8, 'safe.overRefusalRate': Number.NaN }),
    fakeResult('reference', { 'toxicity.expectedMax': 0.25 }),
  ].reduce(addEvalResult, initialEvalState.evaluation);

  it('writes M, then M′, then M+P by step, each number with its scorer and an empty cell for undefined', () => {
    expect(metricsCsv(s).split('\r\n')).toEqual([
      'series,model,step,train_run,metric_id,metric,unit,better,value,undefined_reason,toxicity_scorer,config_key,computed_at',
      'M,M · demo-base,,,toxicity.expectedMax,toxicity.expectedMax (lexicon (offline)),score,lower,0.8,,lexicon (offline),cfg1,2025-01-01T00:00:00.000Z',
      'M,M · demo-base,,,safe.overRefusalRate,safe.overRefusalRate (lexicon (offline)),share,lower,,no samples,lexicon (offline),cfg1,2025-01-01T00:00:00.000Z',
      'M′,M′ · demo-safe,,,toxicity.expectedMax,toxicity.expectedMax (lexicon (offline)),score,lower,0.25,,lexicon (offline),cfg1,2025-01-01T00:00:00.000Z',
      'M+P,M+P · p,20,train-1,toxicity.expectedMax,toxicity.expectedMax (lexicon (offline)),score,lower,0.5,,lexicon (offline),cfg1,2025-01-01T00:00:00.000Z',
      '',
    ]);
  });

  it('writes JSON with null for undefined numbers and the step of each M+P point', () => {
    const parsed = JSON.parse(metricsJson(s, '2025-02-02T00:00:00.000Z'));
    expect(parsed.format).toBe('patch-lab-metrics');
    expect(parsed.history).toHaveLength(1);
    expect(parsed.history[0].x).toBe(20);
    const over = parsed.baselines.base.report.metrics.find(
      (m: { id: string }) => m.id === 'safe.overRefusalRate',
    );
    expect(over).toMatchObject({ value: null, undefinedReason: 'no samples' });
  });
});
