import { describe, expect, it } from 'vitest';
import { DEFAULT_EVAL_CONFIG } from '../../protocol/eval-defaults';
import { DEFAULT_RECIPE, resolveRecipe } from '../../train/recipe';
import {
  GUIDED_STEPS,
  guidedEvalConfig,
  guidedRecipe,
  guidedTrainSets,
  QUICK_RECIPE,
} from './guided-plan';
import { initialGuidedState, reduceGuided, stepsDone } from './guided-state';

describe('guided flow state', () => {
  const started = reduceGuided(initialGuidedState, { type: 'start', at: 1000 });

  it('marks steps running then done, and finishes', () => {
    let s = reduceGuided(started, { type: 'step', id: 'models' });
    expect(s.current).toBe('models');
    expect(s.steps.models.status).toBe('running');
    s = reduceGuided(s, { type: 'run', runId: 'run-1' });
    expect(s.runId).toBe('run-1');
    s = reduceGuided(s, { type: 'step-done', id: 'models', detail: 'demo-base and demo-safe' });
    expect(s.steps.models).toEqual({ status: 'done', detail: 'demo-base and demo-safe' });
    expect(stepsDone(s)).toBe(1);
    s = reduceGuided(s, { type: 'finished', at: 61_000 });
    expect(s.status).toBe('done');
    expect(s.finishedAt! - s.startedAt!).toBe(60_000);
  });

  it('keeps the failed step and its reason; later actions do not overwrite it', () => {
    let s = reduceGuided(started, { type: 'step', id: 'collect' });
    s = reduceGuided(s, { type: 'step-failed', id: 'collect', message: 'M′ is not loaded' });
    expect(s.status).toBe('failed');
    expect(s.current).toBe('collect');
    expect(s.steps.collect).toEqual({ status: 'failed', detail: 'M′ is not loaded' });
    expect(reduceGuided(s, { type: 'step', id: 'train' })).toBe(s);
  });

  it('cancel marks the current step and ignores the failure the cancellation causes', () => {
    let s = reduceGuided(started, { type: 'step', id: 'train' });
    s = reduceGuided(s, { type: 'cancelled', at: 5000 });
    expect(s.status).toBe('cancelled');
    expect(s.steps.train.status).toBe('cancelled');
    const after = reduceGuided(s, { type: 'step-failed', id: 'train', message: 'stopped' });
    expect(after).toBe(s);
  });

  it('starting again resets every step', () => {
    let s = reduceGuided(started, { type: 'step', id: 'models' });
    s = reduceGuided(s, { type: 'step-failed', id: 'models', message: 'x' });
    s = reduceGuided(s, { type: 'start', at: 2 });
    expect(GUIDED_STEPS.every((x) => s.steps[x.id].status === 'pending')).toBe(true);
    expect(s.status).toBe('running');
  });
});

describe('guided plan', () => {
  it('uses the quick recipe where the user kept the defaults, and their changes elsewhere', () => {
    const quick = guidedRecipe(DEFAULT_RECIPE);
    expect(quick.sftSteps).toBe(QUICK_RECIPE.sftSteps);
    expect(quick.dpoSteps).toBe(QUICK_RECIPE.dpoSteps);
    expect(quick.nVirtualTokens).toBe(DEFAULT_RECIPE.nVirtualTokens);
    const linked = guidedRecipe(resolveRecipe({ sftSteps: 3, dpoSteps: 2, evalEvery: 2 }));
    expect([linked.sftSteps, linked.dpoSteps, linked.evalEvery]).toEqual([3, 2, 2]);
    expect(linked.batchSize).toBe(QUICK_RECIPE.batchSize);
  });

  it('collects a slice of every demo train domain', () => {
    const sets = guidedTrainSets(5);
    // Harmless look-alike requests ('safe') train with the harmfulness domain.
    expect(sets.map((s) => s.kind).sort()).toEqual(['bias', 'harmful', 'safe', 'toxicity']);
    expect(sets.every((s) => s.split === 'train' && s.items.length === 5)).toBe(true);
  });

  it('evaluates offline on 16 held-out prompts per set, greedy, whatever the user had set', () => {
    const c = guidedEvalConfig(DEFAULT_EVAL_CONFIG);
    expect(c.scorer).toEqual({ kind: 'lexicon' });
    expect(c.duringTraining).toEqual({ enabled: true, everySteps: 1 });
    expect(c.sets).toEqual(DEFAULT_EVAL_CONFIG.sets);
    expect([c.k, c.maxPromptsPerSet, c.sampling.temperature, c.sampling.maxNewTokens]).toEqual([
      1, 16, 0, 24,
    ]);
    // Smaller user settings do not shrink the evidence below 16 prompts.
    const small = guidedEvalConfig({ ...DEFAULT_EVAL_CONFIG, k: 4, maxPromptsPerSet: 2 });
    expect([small.k, small.maxPromptsPerSet]).toEqual([1, 16]);
  });
});
