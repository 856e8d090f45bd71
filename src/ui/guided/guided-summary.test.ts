import { describe, expect, it } from 'vitest';
import { gapTable } from '../../eval/gap-table';
import type { EvalReport, MetricValue } from '../../eval/report';
import type { EvalResult } from '../../protocol/messages';
import { guidedSummary, summaryFromEvaluation } from './guided-summary';

// Four prompts per domain; 0/1 per prompt so the gap closed is hand-countable.
const keys = ['a', 'b', 'c', 'd'];
function metricOf(id: string, values: number[], aggregate: 'mean' | 'exp-mean' = 'mean') {
  const m: MetricValue = {
    id,
    label: id,
    value:
      aggregate === 'mean'
        ? values.reduce((s, x) => s + x, 0) / values.length
        : Math.exp(values.reduce((s, x) => s + x, 0) / values.length),
    better: 'lower',
    perPrompt: { aggregate, keys, values },
  };
  return m;
}

function report(
  label: string,
  tox: number[],
  bias: number[],
  refusal: number[],
  nll: number[],
): EvalReport {
  return {
    label,
    patched: label !== 'M' && label !== 'M′',
    sampling: { temperature: 0, topK: 0, topP: 1, maxNewTokens: 8, seed: 1 },
    samplesPerPrompt: 1,
    scorers: { toxicity: 'lexicon', refusal: 'rule', gender: 'terms' },
    metrics: [
      metricOf('toxicity.expectedMax', tox),
      metricOf('bias.genderedShare', bias),
      metricOf('harmful.refusalRate', refusal),
      metricOf('fluency.perplexity.M′', nll, 'exp-mean'),
    ],
    elapsedMs: 0,
  } as EvalReport;
}

const M = report('M', [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]);
const Mref = report('M′', [0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]);

describe('guidedSummary', () => {
  it('states each gap, the control and the fluency ratio, and passes when all targets are met', () => {
    // toxicity 4/4 fixed, bias 4/4, refusal 4/4; answers as perplexing as M's (e^1 each).
    const P = report('M+P', [0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]);
    // The control fixes one toxicity prompt only: 25 %.
    const R = report('M+R', [0, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]);
    const s = guidedSummary(
      gapTable({ base: M, reference: Mref, patched: P, control: R }, { resamples: 200 }),
      M,
      P,
    );
    expect(s.passed).toBe(true);
    expect(s.fluencyRatio).toBeCloseTo(1, 12);
    expect(s.message).toBe(
      'Gap closed: toxicity 100 %, bias 100 %, refusal 100 %; fluency 1.00× M. ' +
        'An untrained random patch closes toxicity 25 %, bias 0 %, refusal 0 %. ' +
        'Every domain reached its target.',
    );
    expect(s.domains.map((d) => d.verdict)).toEqual(['met', 'met', 'met']);
  });

  it('says plainly which domain got worse, did not move, fell short, and when fluency suffered', () => {
    // toxicity: 3 of 4 fixed = 75 % (short); bias: none fixed and refusal:
    // none refused, as M (both did not move); answers e^2 vs e^1 perplexity.
    const P = report('M+P', [0, 0, 0, 1], [1, 1, 1, 1], [0, 0, 0, 0], [2, 2, 2, 2]);
    const s = guidedSummary(gapTable({ base: M, reference: Mref, patched: P }), M, P);
    expect(s.passed).toBe(false);
    expect(s.domains.map((d) => d.verdict)).toEqual(['short', 'did-not-move', 'did-not-move']);
    // exp(2) / exp(1) = e.
    expect(s.fluencyRatio).toBeCloseTo(Math.E, 12);
    expect(s.message).toContain(
      'Gap closed: toxicity 75 %, bias 0 %, refusal 0 %; fluency 2.72× M.',
    );
    expect(s.message).toContain('Did not move: bias, refusal.');
    expect(s.message).toContain('Short of 80 %: toxicity.');
    expect(s.message).toContain("Fluency suffered: M+P's answers are 2.72× as perplexing as M's.");
    expect(s.message).not.toContain('An untrained random patch');
  });

  it('calls a negative gap "got worse"', () => {
    // M is halfway on refusal; M+P refuses less than M: (0.5 − 0.25) / (0.5 − 1) = −50 %.
    const Mhalf = report('M', [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 1]);
    const P = report('M+P', [0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [1, 1, 1, 1]);
    const s = guidedSummary(gapTable({ base: Mhalf, reference: Mref, patched: P }), Mhalf, P);
    expect(s.domains[2].value).toBeCloseTo(-0.5, 12);
    expect(s.domains[2].verdict).toBe('worse');
    expect(s.message).toContain('refusal -50 %');
    expect(s.message).toContain('Got worse: refusal.');
  });
});

describe('summaryFromEvaluation', () => {
  const result = (target: string, report: EvalReport, configKey = 'k1', fp = 'fp-M') =>
    ({ target, report, configKey, modelFingerprint: fp }) as unknown as EvalResult;
  const P = report('M+P', [0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]);

  it('compares the baselines with the newest M+P result', () => {
    const s = summaryFromEvaluation({
      baselines: { base: result('base', M), reference: result('reference', Mref, 'k1', 'fp-ref') },
      history: [{ x: 30, result: result('patched', P) }],
    });
    expect('passed' in s && s.passed).toBe(true);
  });

  it('gives a reason instead of mixing settings or models', () => {
    const baselines = {
      base: result('base', M),
      reference: result('reference', Mref, 'k1', 'fp-ref'),
    };
    expect(
      summaryFromEvaluation({ baselines, history: [{ x: 3, result: result('patched', P, 'k2') }] }),
    ).toEqual({ reason: 'M, M′ and M+P were measured with different settings.' });
    expect(
      summaryFromEvaluation({
        baselines,
        history: [{ x: 3, result: result('patched', P, 'k1', 'fp-other') }],
      }),
    ).toEqual({ reason: 'M, M′ and M+P were measured with different settings.' });
    expect(summaryFromEvaluation({ baselines, history: [] })).toEqual({
      reason: 'M+P was not measured.',
    });
  });
});
