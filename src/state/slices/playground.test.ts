import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../protocol/messages';
import { initialLabState, type LabState, reduceLabEvent } from '../lab-store';

/** Folds events through the real store reducer, as the client does. */
function apply(s: LabState, ...events: LabEvent[]): LabState {
  let state = s;
  for (const e of events) state = { ...state, ...reduceLabEvent(state, e) };
  return state;
}

const sampling = { maxNewTokens: 8, temperature: 0.7, topK: 40, topP: 0.9, seed: 3 };
const started = (runId: string): LabEvent => ({
  type: 'playground-started',
  runId,
  prompt: 'hi',
  sampling,
  columns: [
    { variant: 'base', label: 'M', unavailable: null },
    { variant: 'patched', label: 'M+P', unavailable: 'No patch is applied.' },
    { variant: 'reference', label: 'M′', unavailable: null },
  ],
  scorerLabels: { toxicity: 'lexicon (offline)', refusal: 'string match', gendered: 'word list' },
});

describe('playground slice', () => {
  it('streams text into its column, then the finished answer with scores', () => {
    const scores = { toxicity: 0.5, refusal: false, gendered: { male: 1, female: 0, neutral: 0 } };
    const s = apply(
      initialLabState,
      started('r1'),
      { type: 'playground-text', runId: 'r1', variant: 'base', text: 'Hel', tokens: 1 },
      { type: 'playground-text', runId: 'r1', variant: 'base', text: 'Hello', tokens: 2 },
    );
    expect(s.playground?.answers.base).toEqual({
      text: 'Hello',
      tokens: 2,
      done: false,
      ms: null,
      scores: null,
    });
    const done = apply(s, {
      type: 'playground-answer',
      runId: 'r1',
      variant: 'base',
      text: 'Hello he',
      tokens: 3,
      ms: 12,
      scores,
    });
    expect(done.playground?.answers.base).toEqual({
      text: 'Hello he',
      tokens: 3,
      done: true,
      ms: 12,
      scores,
    });
    expect(done.playground?.answers.reference).toBeUndefined();
    expect(done.playground?.sampling).toEqual(sampling);
  });

  it('a new run replaces the old one, and late events of the old run are ignored', () => {
    const s = apply(initialLabState, started('r1'), started('r2'), {
      type: 'playground-text',
      runId: 'r1',
      variant: 'base',
      text: 'stale',
      tokens: 1,
    });
    expect(s.playground?.runId).toBe('r2');
    expect(s.playground?.answers).toEqual({});
  });
});
