import { describe, expect, it } from 'vitest';
import type { LabEvent, TrainStatusInfo, TrainStepPoint } from '../protocol/messages';
import { DEFAULT_RECIPE } from '../train/recipe';
import { initialLabState, type LabState, reduceLabEvent } from './lab-store';
import { describeRecipe, describeRunPhase, runPhase, shownRecipe } from './run-phase';

// Hand-worked runs of 3 SFT + 2 DPO updates (5 in all), event by event, with
// the phase each place (Train panel, demo strip, header) must then show.

const recipe = { ...DEFAULT_RECIPE, sftSteps: 3, dpoSteps: 2, domains: ['toxicity' as const] };

const info = (
  status: TrainStatusInfo['status'],
  step: number,
  activity: TrainStatusInfo['activity'],
  extra: Partial<TrainStatusInfo> = {},
): TrainStatusInfo => ({
  status,
  activity,
  step,
  totalSteps: 5,
  stage: step < 3 ? 'sft' : step < 5 ? 'dpo' : 'done',
  checkpoint: null,
  problem: null,
  savedPatch: null,
  recipe,
  ...extra,
});

const point = (step: number, etaSeconds: number): TrainStepPoint => ({
  stage: step <= 3 ? 'sft' : 'dpo',
  step,
  totalSteps: 5,
  stageStep: step <= 3 ? step : step - 3,
  loss: 1,
  lr: 0.01,
  gradNorm: 1,
  tokensPerSecond: 100,
  etaSeconds,
  rewardAccuracy: null,
  rewardMargin: null,
  pairsKept: null,
  pairsDropped: null,
});

const status = (i: TrainStatusInfo): LabEvent => ({ type: 'train-status', runId: 't1', info: i });
const step = (p: TrainStepPoint): LabEvent => ({ type: 'train-step', runId: 't1', point: p });

/** Applies events one by one and records the phase's words after each. */
function walk(events: LabEvent[], now = 0): { state: LabState; said: string[] } {
  let state = initialLabState;
  const said: string[] = [];
  for (const e of events) {
    state = { ...state, ...reduceLabEvent(state, e) };
    said.push(describeRunPhase(runPhase(state, now)));
  }
  return { state, said };
}

describe('runPhase: one status model of a run', () => {
  it('collects, then trains, evaluates at step 2, checkpoints, and ends done', () => {
    const t0 = 1_000_000;
    const { said } = walk(
      [
        { type: 'run-started', runId: 'c1', kind: 'collect', label: 'Collecting' },
        { type: 'run-progress', runId: 'c1', done: 2, total: 8, message: '2 of 8 prompts' },
        {
          type: 'collected',
          runId: 'c1',
          summary: {
            id: 'set',
            count: 8,
            byDomain: {},
            baseModelId: 'b',
            referenceModelId: 'r',
            cached: false,
            createdAt: '',
            sample: [],
          },
        },
        { type: 'run-done', runId: 'c1' },
        status(info('running', 0, { kind: 'stepping' })),
        step(point(1, 8)),
        status(info('running', 1, { kind: 'checkpointing', step: 1 })),
        status(info('running', 1, { kind: 'stepping' })),
        status(info('running', 1, { kind: 'evaluating', step: 2, startedAt: t0 })),
        { type: 'run-started', runId: 't1-eval-2', kind: 'evaluate', label: 'Evaluating' },
        { type: 'run-progress', runId: 't1-eval-2', done: 10, total: 40, message: 'M+P: 10/40' },
        { type: 'run-done', runId: 't1-eval-2' },
        status(info('running', 1, { kind: 'stepping' })),
        step(point(2, 6)),
        step(point(3, 4)),
        step(point(4, 2)),
        step(point(5, 0)),
        status(info('running', 5, { kind: 'checkpointing', step: 5 })),
        status(info('done', 5, null)),
      ],
      t0 + 5_000,
    );
    expect(said).toEqual([
      'collecting answers · 0 of 0 prompts',
      'collecting answers · 2 of 8 prompts',
      'collecting answers · 2 of 8 prompts',
      'not started',
      'training · SFT · step 0 of 5',
      'training · SFT · step 1 of 5',
      'checkpointing step 1 of 5',
      'training · SFT · step 1 of 5',
      // Not a frozen "step 1/5": the evaluation says what it does, with its own progress.
      'evaluating M+P at step 2 of 5 · 0 of 0',
      'evaluating M+P at step 2 of 5 · 0 of 0',
      'evaluating M+P at step 2 of 5 · 10 of 40',
      'evaluating M+P at step 2 of 5 · 10 of 40',
      'training · SFT · step 1 of 5',
      'training · SFT · step 2 of 5',
      'training · SFT · step 3 of 5',
      'training · DPO · step 4 of 5',
      'training · DPO · step 5 of 5',
      'checkpointing step 5 of 5',
      'done · 5 steps',
    ]);
  });

  it('gives the evaluation its own ETA from its pace, and training the step pace', () => {
    const t0 = 50_000;
    const { state } = walk([
      status(info('running', 1, { kind: 'evaluating', step: 2, startedAt: t0 })),
      { type: 'run-started', runId: 't1-eval-2', kind: 'evaluate', label: 'Evaluating' },
      { type: 'run-progress', runId: 't1-eval-2', done: 10, total: 40, message: '' },
    ]);
    // 10 of 40 in 5 s: 30 left at 0.5 s each = 15 s.
    const p = runPhase(state, t0 + 5_000);
    expect(p).toMatchObject({
      kind: 'evaluating',
      progress: { done: 10, total: 40, etaSeconds: 15 },
    });
    const after = walk([status(info('running', 2, { kind: 'stepping' })), step(point(2, 6))]);
    expect(runPhase(after.state, 0)).toMatchObject({
      kind: 'training',
      progress: { done: 2, total: 5, etaSeconds: 6 },
    });
  });

  it('shows the on-policy negatives between SFT and DPO with their own progress and ETA', () => {
    const t0 = 80_000;
    const { state, said } = walk([
      status(info('running', 3, { kind: 'negatives', step: 3, done: 0, total: 40, startedAt: t0 })),
      status(info('running', 3, { kind: 'negatives', step: 3, done: 8, total: 40, startedAt: t0 })),
    ]);
    expect(said).toEqual([
      'on-policy negatives before DPO · 0 of 40 answers',
      'on-policy negatives before DPO · 8 of 40 answers',
    ]);
    // 8 of 40 in 4 s: 32 left at 0.5 s each = 16 s.
    expect(runPhase(state, t0 + 4_000)).toEqual({
      kind: 'negatives',
      step: 3,
      total: 5,
      progress: { done: 8, total: 40, etaSeconds: 16 },
    });
  });

  it('says stopping at once after Stop, even mid-evaluation or paused, then stopped', () => {
    const { said } = walk([
      status(info('running', 2, { kind: 'evaluating', step: 2, startedAt: 0 })),
      status(info('running', 2, { kind: 'stopping' })),
      status(info('stopped', 2, null)),
    ]);
    expect(said).toEqual([
      'evaluating M+P at step 2 of 5 · 0 of 0',
      'stopping at step 2 of 5',
      'stopped at step 2 of 5',
    ]);
    const paused = walk([
      status(info('paused', 3, { kind: 'stepping' })),
      status(info('paused', 3, { kind: 'stopping' })),
    ]);
    expect(paused.said).toEqual(['paused at step 3 of 5', 'stopping at step 3 of 5']);
  });

  it('names a failure with its step', () => {
    const { state, said } = walk([
      step(point(1, 4)),
      status(info('running', 1, { kind: 'stepping' })),
      step(point(2, 3)),
      status(
        info('failed', 2, null, {
          problem: { kind: 'out-of-memory', message: 'Out of memory.', batchSize: 4 },
        }),
      ),
    ]);
    expect(said.at(-1)).toBe('failed at step 2 of 5');
    expect(runPhase(state, 0)).toMatchObject({ kind: 'failed', message: 'Out of memory.' });
  });

  it('describes the recipe that runs while a run is live, else the draft', () => {
    const draft = { ...recipe, sftSteps: 60, dpoSteps: 40 };
    const live = walk([status(info('running', 1, { kind: 'stepping' }))]).state.train;
    expect(describeRecipe(shownRecipe(live, draft).recipe!)).toBe(
      '3 SFT + 2 DPO steps · 50 virtual tokens · toxicity',
    );
    const ended = walk([status(info('done', 5, null))]).state.train;
    expect(shownRecipe(ended, draft)).toEqual({ recipe: draft, running: false });
  });
});
