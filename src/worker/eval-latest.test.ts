import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakePerPromptResult } from '../state/slices/eval-fixtures';
import { EvalHistoryStore, MAX_RUN_RECORDS } from './eval-history';
import {
  forgetEvalResults,
  linkRunHistory,
  noteEvalResult,
  replayRunHistory,
  reportCardFor,
  restoredEvalResults,
} from './eval-latest';

const id = 'toxicity.expectedMax';
const control = { kind: 'random-patch' as const, seed: 1, n: 4, hidden: 8 };

function withControlInfo<T extends { report: object }>(r: T): T {
  return { ...r, report: { ...r.report, control } };
}

describe('the report card a saved patch gets', () => {
  beforeEach(() => forgetEvalResults());

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

describe('the metrics history after a reload', () => {
  it('gives a fresh worker the baselines and the newest run’s points, and a resumed run its card back', async () => {
    const db = 'eval-history-test-reload';
    forgetEvalResults(new EvalHistoryStore(db));
    linkRunHistory('run-1', 'train-run-1');
    await noteEvalResult(fakePerPromptResult('base', id, [1, 1]));
    await noteEvalResult(fakePerPromptResult('reference', id, [0, 0]));
    await noteEvalResult(withControlInfo(fakePerPromptResult('control', id, [1, 1])));
    await noteEvalResult(
      fakePerPromptResult('patched', id, [1, 1], { step: 1, trainRunId: 'run-1' }),
    );
    await noteEvalResult(
      fakePerPromptResult('patched', id, [0, 1], { step: 3, trainRunId: 'run-1' }),
    );
    const before = reportCardFor('run-1');
    expect(before?.metrics[id]).toMatchObject({ patched: 0.5, n: 2, gap_closed: 0.5 });

    // The reload: a new worker with empty memory over the same database.
    forgetEvalResults(new EvalHistoryStore(db));
    expect(reportCardFor('run-1')).toBeNull();
    const restored = await restoredEvalResults();
    expect(restored.map((r) => [r.target, r.step])).toEqual([
      ['base', null],
      ['reference', null],
      ['control', null],
      ['patched', 1],
      ['patched', 3],
    ]);
    // Resuming the run (new run id, same checkpoint slot) gives back its points under the new id…
    const replay = await replayRunHistory('train-run-1', 'run-2');
    expect(replay.map((r) => [r.step, r.trainRunId])).toEqual([
      [1, 'run-2'],
      [3, 'run-2'],
    ]);
    // …so the patch it saves carries the same numbers as before the reload.
    expect(reportCardFor('run-2')?.metrics).toEqual(before?.metrics);
    // New points of the resumed run land in the same record.
    await noteEvalResult(
      fakePerPromptResult('patched', id, [0, 0], { step: 5, trainRunId: 'run-2' }),
    );
    const again = new EvalHistoryStore(db);
    expect((await again.get('train-run-1'))?.results.map((r) => r.step)).toEqual([1, 3, 5]);
  });

  it('keeps one result per baseline and per step, and prunes the oldest runs', async () => {
    const store = new EvalHistoryStore('eval-history-test-prune');
    await store.add('baselines', fakePerPromptResult('base', id, [1, 1]));
    await store.add('baselines', fakePerPromptResult('base', id, [0, 1]));
    const b = await store.get('baselines');
    expect(b?.results).toHaveLength(1);
    expect(b?.results[0].report.metrics[0].value).toBe(0.5);
    for (let i = 0; i <= MAX_RUN_RECORDS; i++) {
      await store.add(`run-${i}`, fakePerPromptResult('patched', id, [1], { step: 1 }));
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await store.get('run-0')).toBeNull();
    expect(await store.get('run-1')).not.toBeNull();
    expect((await store.newestRun())?.id).toBe(`run-${MAX_RUN_RECORDS}`);
    expect(await store.get('baselines')).not.toBeNull();
  });
});
