import { describe, expect, it } from 'vitest';
import { initialLabState, reduceLabEvent } from './lab-store';

describe('reduceLabEvent', () => {
  it('keeps the state (and every slice) identical for an event no slice keeps', () => {
    const bytes = new Uint8Array([1]);
    const e = { type: 'patch-file', runId: 'r', fileName: 'a', mime: 'x', bytes } as const;
    expect(reduceLabEvent(initialLabState, e)).toBe(initialLabState);
  });

  it('changes only the slice an event belongs to; the other slices keep their identity', () => {
    const s = reduceLabEvent(initialLabState, {
      type: 'run-started',
      runId: 'r1',
      // Not 'collect': the train slice follows collect runs (its collectRunId).
      kind: 'load-model',
      label: 'c',
    });
    expect(s.runs.r1.status).toBe('running');
    expect(s.models).toBe(initialLabState.models);
    expect(s.train).toBe(initialLabState.train);
    const t = reduceLabEvent(s, { type: 'train-checkpoints', requestId: null, checkpoints: [] });
    expect(t.train).not.toBe(s.train);
    expect(t.runs).toBe(s.runs);
    expect(t.data).toBe(s.data);
  });
});
