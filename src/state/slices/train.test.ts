import { describe, expect, it } from 'vitest';
import type { LabEvent, TrainStatusInfo, TrainStepPoint } from '../../protocol/messages';
import { initialLabState, type LabState, reduceLabEvent } from '../lab-store';
import { appendPoint, isRunLive, stagePoints } from './train';

const point = (step: number, stage: 'sft' | 'dpo', loss: number): TrainStepPoint => ({
  stage,
  step,
  totalSteps: 4,
  stageStep: stage === 'sft' ? step : step - 2,
  loss,
  lr: 0.01,
  gradNorm: 0.5,
  tokensPerSecond: 10,
  etaSeconds: 4 - step,
  rewardAccuracy: stage === 'dpo' ? 0.5 : null,
  rewardMargin: stage === 'dpo' ? 0.1 : null,
  pairsKept: stage === 'dpo' ? 3 : null,
  pairsDropped: stage === 'dpo' ? 1 : null,
});

const status = (s: TrainStatusInfo['status'], step: number): TrainStatusInfo => ({
  status: s,
  step,
  totalSteps: 4,
  stage: step < 2 ? 'sft' : step < 4 ? 'dpo' : 'done',
  checkpoint: null,
  problem: null,
  savedPatch: null,
});

function apply(events: LabEvent[], from: LabState = initialLabState): LabState {
  let s = from;
  for (const e of events) s = { ...s, ...reduceLabEvent(s, e) };
  return s;
}

describe('train slice', () => {
  it('keeps the loss history of the active run, split by stage', () => {
    const s = apply([
      { type: 'train-status', runId: 'r1', info: status('running', 0) },
      { type: 'train-step', runId: 'r1', point: point(1, 'sft', 3) },
      { type: 'train-step', runId: 'r1', point: point(2, 'sft', 2.5) },
      { type: 'train-step', runId: 'r1', point: point(3, 'dpo', 0.69) },
    ]);
    expect(s.train.points.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(stagePoints(s.train.points, 'sft').map((p) => p.loss)).toEqual([3, 2.5]);
    expect(stagePoints(s.train.points, 'dpo').map((p) => p.loss)).toEqual([0.69]);
  });

  it('moves through the statuses of a run, and a new run id starts a fresh history', () => {
    let s = apply([
      { type: 'train-status', runId: 'r1', info: status('running', 0) },
      { type: 'train-step', runId: 'r1', point: point(1, 'sft', 3) },
      { type: 'train-status', runId: 'r1', info: status('paused', 1) },
    ]);
    expect(s.train.status?.status).toBe('paused');
    expect(isRunLive(s.train.status)).toBe(true);
    s = apply([{ type: 'train-status', runId: 'r1', info: status('stopped', 1) }], s);
    expect(isRunLive(s.train.status)).toBe(false);
    expect(s.train.points).toHaveLength(1);

    s = apply(
      [
        { type: 'train-status', runId: 'r2', info: status('starting', 0) },
        // A late event from the old run must not leak into the new chart.
        { type: 'train-step', runId: 'r1', point: point(2, 'sft', 9) },
        { type: 'train-step', runId: 'r2', point: point(1, 'sft', 4) },
      ],
      s,
    );
    expect(s.train.runId).toBe('r2');
    expect(s.train.points.map((p) => p.loss)).toEqual([4]);
  });

  it('replaces replayed steps instead of drawing them twice', () => {
    const pts = [point(1, 'sft', 3), point(2, 'sft', 2), point(3, 'dpo', 1)];
    expect(appendPoint(pts, point(2, 'sft', 2.2)).map((p) => [p.step, p.loss])).toEqual([
      [1, 3],
      [2, 2.2],
    ]);
    expect(appendPoint(pts, point(4, 'dpo', 0.5)).map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(appendPoint([], point(1, 'sft', 1))).toHaveLength(1);
  });

  it('stores the collected summary and the resumable checkpoints', () => {
    const s = apply([
      {
        type: 'collected',
        runId: 'c1',
        summary: {
          id: 'collected-1',
          count: 2,
          byDomain: { toxicity: 2 },
          baseModelId: 'b',
          referenceModelId: 'r',
          cached: false,
          createdAt: '2025-01-01T00:00:00.000Z',
          sample: [],
        },
      },
      { type: 'train-checkpoints', requestId: null, checkpoints: [] },
    ]);
    expect(s.train.collectRunId).toBe('c1');
    expect(s.train.collected?.id).toBe('collected-1');
    expect(s.train.resumable).toEqual([]);
    // Events of other features leave the slice alone.
    expect(apply([{ type: 'ready' }], s).train).toBe(s.train);
  });

  it('shows a set the worker found stored for the current key as collected, and keeps it when none is', () => {
    const stored = {
      id: 'collected-7',
      count: 6,
      byDomain: { toxicity: 3, bias: 3 },
      baseModelId: 'b',
      referenceModelId: 'r',
      cached: true,
      createdAt: '2025-01-01T00:00:00.000Z',
      sample: [],
    };
    // A fresh page (after a reload) has nothing; the lookup answer fills it.
    let s = apply([{ type: 'collected-lookup', requestId: 'q1', summary: stored }]);
    expect(s.train.collected).toEqual(stored);
    // Another key with nothing stored does not erase what is on screen.
    s = apply([{ type: 'collected-lookup', requestId: 'q2', summary: null }], s);
    expect(s.train.collected?.id).toBe('collected-7');
  });
});
