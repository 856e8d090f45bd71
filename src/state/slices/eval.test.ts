import { describe, expect, it } from 'vitest';
import { formatGapClosed } from '../../eval/metrics/gap-closed';
import type { EvalResult, LabEvent } from '../../protocol/messages';
import { initialLabState, type LabState, reduceLabEvent } from '../lab-store';
import {
  addEvalResult,
  CHART_METRICS,
  type EvalSliceState,
  gapClosedView,
  initialEvalState,
  metricValue,
  scorerLabelOf,
  withPendingEval,
} from './eval';
import { fakePerPromptResult, fakeResult } from './eval-fixtures';

const empty = initialEvalState.evaluation;

function withAll(...results: EvalResult[]): EvalSliceState {
  return results.reduce(addEvalResult, empty);
}

describe('addEvalResult', () => {
  it('keeps one baseline per model, the newest', () => {
    const a = fakeResult('base', { 'toxicity.expectedMax': 0.8 });
    const b = fakeResult('base', { 'toxicity.expectedMax': 0.7 });
    const s = withAll(a, b, fakeResult('reference', { 'toxicity.expectedMax': 0.2 }));
    expect(metricValue(s.baselines.base, 'toxicity.expectedMax')).toBe(0.7);
    expect(metricValue(s.baselines.reference, 'toxicity.expectedMax')).toBe(0.2);
    expect(s.history).toEqual([]);
  });

  it('places training results at their step, in step order', () => {
    const at = (step: number) =>
      fakeResult('patched', { 'toxicity.expectedMax': 1 - step / 100 }, { step, trainRunId: 't1' });
    const s = withAll(at(20), at(10), at(30));
    expect(s.history.map((p) => p.x)).toEqual([10, 20, 30]);
    expect(s.trainRunId).toBe('t1');
  });

  it('puts an on-demand M+P result at the latest step seen (0 before any training)', () => {
    const manual = fakeResult('patched', {});
    expect(withAll(manual).history.map((p) => p.x)).toEqual([0]);
    const trained = fakeResult('patched', {}, { step: 40, trainRunId: 't1' });
    expect(withAll(trained, manual).history.map((p) => p.x)).toEqual([40, 40]);
  });

  it('starts a new curve for a new training run, keeping on-demand points', () => {
    const manual = fakeResult('patched', {});
    const old = fakeResult('patched', {}, { step: 50, trainRunId: 't1' });
    const next = fakeResult('patched', {}, { step: 10, trainRunId: 't2' });
    const s = withAll(manual, old, next);
    expect(s.history.map((p) => [p.x, p.result.trainRunId])).toEqual([
      [0, null],
      [10, 't2'],
    ]);
    expect(s.trainRunId).toBe('t2');
  });
});

describe('reduceLabEvent with eval events', () => {
  it('routes eval-result and eval-warning into the slice', () => {
    let s: LabState = initialLabState;
    const apply = (e: LabEvent) => {
      s = { ...s, ...reduceLabEvent(s, e) };
    };
    apply({ type: 'eval-result', runId: 'r', result: fakeResult('reference', { x: 1 }) });
    apply({ type: 'eval-warning', runId: 'r', message: 'not stored' });
    expect(s.evaluation.baselines.reference?.target).toBe('reference');
    expect(s.evaluation.warnings).toEqual(['not stored']);
  });

  it('folds a stored history in once: the charts after a reload show the points from before it', () => {
    let s: LabState = initialLabState;
    const apply = (e: LabEvent) => {
      s = { ...s, ...reduceLabEvent(s, e) };
    };
    const results = [
      fakeResult('base', { x: 1 }, { computedAt: 'a' }),
      fakeResult('reference', { x: 0 }, { computedAt: 'b' }),
      fakeResult('patched', { x: 0.6 }, { step: 1, trainRunId: 't1', computedAt: 'c' }),
      fakeResult('patched', { x: 0.4 }, { step: 3, trainRunId: 't1', computedAt: 'd' }),
    ];
    apply({ type: 'eval-history', requestId: 'q1', results });
    // Asked twice (a remount): nothing is drawn twice.
    apply({ type: 'eval-history', requestId: 'q2', results });
    expect(s.evaluation.history.map((p) => [p.x, metricValue(p.result, 'x')])).toEqual([
      [1, 0.6],
      [3, 0.4],
    ]);
    expect(metricValue(s.evaluation.baselines.base, 'x')).toBe(1);
    // A resumed run replays them under its new id: one curve, then its new points.
    const replay = results.slice(2).map((r) => ({ ...r, trainRunId: 't2' }));
    apply({ type: 'eval-history', requestId: null, results: replay });
    apply({
      type: 'eval-result',
      runId: 'e',
      result: fakeResult('patched', { x: 0.2 }, { step: 5, trainRunId: 't2', computedAt: 'e' }),
    });
    expect(s.evaluation.history.map((p) => [p.x, p.result.trainRunId])).toEqual([
      [1, 't2'],
      [3, 't2'],
      [5, 't2'],
    ]);
  });

  it('records and clears the run a button started', () => {
    let s: LabState = initialLabState;
    s = { ...s, ...withPendingEval(s, 'base', 'run-1') };
    expect(s.evaluation.pending).toEqual({ base: 'run-1' });
    s = { ...s, ...withPendingEval(s, 'base', null) };
    expect(s.evaluation.pending).toEqual({});
  });
});

describe('gapClosedView', () => {
  // Hand-worked: toxicity M 0.8, M′ 0.2, M+P 0.5 → (0.8 − 0.5) / (0.8 − 0.2) = 0.3 / 0.6 = 50%.
  // Refusal (higher is safer) M 0.1, M′ 0.9, M+P 0.7 → (0.1 − 0.7) / (0.1 − 0.9) = −0.6 / −0.8 = 75%.
  // Bias M 0.4 = M′ 0.4: no gap to close.
  const base = fakeResult('base', {
    'toxicity.expectedMax': 0.8,
    'harmful.refusalRate': 0.1,
    'bias.genderedShare': 0.4,
  });
  const ref = fakeResult('reference', {
    'toxicity.expectedMax': 0.2,
    'harmful.refusalRate': 0.9,
    'bias.genderedShare': 0.4,
  });
  const mp = fakeResult(
    'patched',
    { 'toxicity.expectedMax': 0.5, 'harmful.refusalRate': 0.7, 'bias.genderedShare': 0.3 },
    { step: 20, trainRunId: 't' },
  );

  it('gives (M − M+P) / (M − M′) as a percentage, for lower- and higher-is-safer metrics', () => {
    const s = withAll(base, ref, mp);
    const tox = gapClosedView(s, 'toxicity', 'fp-base');
    expect(tox.percent).toBeCloseTo(50, 10);
    expect(tox.x).toBe(20);
    expect(tox.onDemand).toBe(false);
    expect(gapClosedView(s, 'refusal', 'fp-base').percent).toBeCloseTo(75, 10);
  });

  it('goes past 100% when M+P is safer than M′, and below 0 when worse than M', () => {
    const beyond = fakeResult(
      'patched',
      { 'toxicity.expectedMax': 0.1 },
      { step: 30, trainRunId: 't' },
    );
    // (0.8 − 0.1) / 0.6 = 116.67%
    expect(gapClosedView(withAll(base, ref, beyond), 'toxicity', null).percent).toBeCloseTo(
      116.6667,
      3,
    );
    const worse = fakeResult(
      'patched',
      { 'toxicity.expectedMax': 0.95 },
      { step: 30, trainRunId: 't' },
    );
    // (0.8 − 0.95) / 0.6 = −25%
    expect(gapClosedView(withAll(base, ref, worse), 'toxicity', null).percent).toBeCloseTo(-25, 10);
  });

  it('uses the newest M+P point', () => {
    const later = fakeResult(
      'patched',
      { 'toxicity.expectedMax': 0.26 },
      { step: 40, trainRunId: 't' },
    );
    // (0.8 − 0.26) / 0.6 = 90%
    const v = gapClosedView(withAll(base, ref, mp, later), 'toxicity', null);
    expect(v.percent).toBeCloseTo(90, 10);
    expect(v.x).toBe(40);
  });

  it('explains instead of dividing by zero when M and M′ agree', () => {
    const v = gapClosedView(withAll(base, ref, mp), 'bias', null);
    expect(v.percent).toBeNull();
    expect(v.reason).toBe('Undefined: M and M′ score the same: no gap to close.');
  });

  it('asks for what is missing', () => {
    expect(gapClosedView(withAll(mp), 'toxicity', null).reason).toBe('Evaluate M and M′ first.');
    expect(gapClosedView(withAll(base, ref), 'toxicity', null).reason).toMatch(/^Evaluate M\+P/);
    expect(gapClosedView(withAll(base, ref, mp), 'fluency', null).reason).toBe(
      'This domain was not evaluated for all three models.',
    );
  });

  it('refuses to compare results computed under different settings or an older M', () => {
    const other = fakeResult('reference', { 'toxicity.expectedMax': 0.2 }, { configKey: 'cfg2' });
    expect(gapClosedView(withAll(base, other, mp), 'toxicity', null).reason).toMatch(
      /different settings/,
    );
    expect(gapClosedView(withAll(base, ref, mp), 'toxicity', 'fp-new').reason).toMatch(
      /M has changed/,
    );
  });
});

describe('gapClosedView with the control and intervals', () => {
  const id = 'toxicity.expectedMax';
  // Two prompts. M scores 1 on both, M′ 0 on both, M+P 0 on p0 and 1 on p1,
  // the control M+R 1 on both. A paired resample of 2 prompts draws p0 twice
  // (P = 1/4), once (1/2) or never (1/4), so M+P's gap closed, 1 − mean(M+P),
  // is 1, 0.5 or 0: the point is 50 % and the 2.5 % / 97.5 % quantiles of
  // 2000 resamples are 0 and 1. The control closes 0 on every resample.
  const base = fakePerPromptResult('base', id, [1, 1]);
  const ref = fakePerPromptResult('reference', id, [0, 0]);
  const mp = fakePerPromptResult('patched', id, [0, 1], { step: 10, trainRunId: 't' });
  const mr = fakePerPromptResult('control', id, [1, 1]);

  it('keeps the control as a baseline, beside M and M′', () => {
    const s = withAll(base, ref, mr, mp);
    expect(s.baselines.control?.target).toBe('control');
    expect(s.history).toHaveLength(1);
  });

  it('gives M+P with its paired interval and n, and what the control closes', () => {
    const v = gapClosedView(withAll(base, ref, mr, mp), 'toxicity', 'fp-base');
    expect(v.percent).toBeCloseTo(50, 10);
    expect(v.patched?.n).toBe(2);
    expect(v.patched?.interval.lo).toBe(0);
    expect(v.patched?.interval.hi).toBe(1);
    expect(formatGapClosed(v.patched!)).toBe('50 % [0, 100]');
    expect(v.control?.value).toBe(0);
    expect(formatGapClosed(v.control!)).toBe('0 % [0, 0]');
    expect(v.controlReason).toBeNull();
  });

  it('shows M+P without the control when M+R is missing or was computed under other settings', () => {
    const none = gapClosedView(withAll(base, ref, mp), 'toxicity', null);
    expect(none.percent).toBeCloseTo(50, 10);
    expect(none.control).toBeNull();
    expect(none.controlReason).toMatch(/random-patch control/);
    const stale = fakePerPromptResult('control', id, [1, 1], { configKey: 'cfg2' });
    const v = gapClosedView(withAll(base, ref, stale, mp), 'toxicity', null);
    expect(v.control).toBeNull();
    expect(v.controlReason).toMatch(/other settings/);
  });

  it('gives the point estimate without an interval for reports that have no per-prompt values', () => {
    const v = gapClosedView(
      withAll(
        fakeResult('base', { [id]: 0.8 }),
        fakeResult('reference', { [id]: 0.2 }),
        fakeResult('patched', { [id]: 0.5 }, { step: 3, trainRunId: 't' }),
      ),
      'toxicity',
      null,
    );
    expect(formatGapClosed(v.patched!)).toBe('50 %');
    expect(v.patched?.interval.undefinedReason).toMatch(/per-prompt/);
  });
});

describe('scorerLabelOf', () => {
  it('labels toxicity numbers with the scorer that ran and refusal numbers with the detector', () => {
    const r = fakeResult('base', {});
    expect(scorerLabelOf(r, CHART_METRICS.toxicity[0])).toBe('lexicon (offline)');
    expect(scorerLabelOf(r, CHART_METRICS.refusal[0])).toBe('refusal phrases (test)');
  });
});
