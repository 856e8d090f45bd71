import { beforeEach, describe, expect, it } from 'vitest';
import { fakePerPromptResult } from '../state/slices/eval-fixtures';
import { forgetEvalResults, noteEvalResult, reportCardFor } from './eval-latest';

const id = 'toxicity.expectedMax';
const control = { kind: 'random-patch' as const, seed: 1, n: 4, hidden: 8 };

function withControlInfo<T extends { report: object }>(r: T): T {
  return { ...r, report: { ...r.report, control } };
}

describe('the report card a saved patch gets', () => {
  beforeEach(forgetEvalResults);

  it("takes the run's newest M+P with M, M′ and M+R", () => {
    noteEvalResult(fakePerPromptResult('base', id, [1, 1]));
    noteEvalResult(fakePerPromptResult('reference', id, [0, 0]));
    noteEvalResult(withControlInfo(fakePerPromptResult('control', id, [1, 1])));
    noteEvalResult(fakePerPromptResult('patched', id, [1, 1], { step: 10, trainRunId: 't' }));
    noteEvalResult(fakePerPromptResult('patched', id, [0, 1], { step: 20, trainRunId: 't' }));
    noteEvalResult(fakePerPromptResult('patched', id, [0, 0], { step: 5, trainRunId: 'other' }));
    const card = reportCardFor('t');
    // Step 20: M+P mean 0.5 between M 1 and M′ 0 closes half the gap; M+R none.
    expect(card?.metrics[id]).toMatchObject({
      base: 1,
      patched: 0.5,
      reference: 0,
      control: 1,
      n: 2,
      gap_closed: 0.5,
      control_gap_closed: 0,
    });
    expect(card?.metricsContext).toMatchObject({ step: 20, configKey: 'cfg1', control });
  });

  it('gives nothing without an M+P of that run or with baselines of other settings', () => {
    noteEvalResult(fakePerPromptResult('base', id, [1, 1]));
    noteEvalResult(fakePerPromptResult('reference', id, [0, 0], { configKey: 'cfg2' }));
    noteEvalResult(fakePerPromptResult('patched', id, [0, 1], { step: 20, trainRunId: 't' }));
    expect(reportCardFor('t')).toBeNull();
    expect(reportCardFor('no-such-run')).toBeNull();
  });

  it('leaves the control out when it was evaluated under other settings', () => {
    noteEvalResult(fakePerPromptResult('base', id, [1, 1]));
    noteEvalResult(fakePerPromptResult('reference', id, [0, 0]));
    noteEvalResult(fakePerPromptResult('control', id, [1, 1], { configKey: 'cfg2' }));
    noteEvalResult(fakePerPromptResult('patched', id, [0, 1], { step: 20, trainRunId: 't' }));
    const card = reportCardFor('t');
    expect(card?.metrics[id].control).toBeUndefined();
    expect(card?.metricsContext.control).toBeNull();
  });
});
