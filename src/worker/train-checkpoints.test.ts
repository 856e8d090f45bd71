import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION, type TrainerCheckpoint } from '../train/checkpoint';
import { DEFAULT_RECIPE } from '../train/recipe';
import type { TrainStepPoint } from './protocol';
import { TrainCheckpointStore } from './train-checkpoints';

function checkpoint(step: number, savedAt: string): TrainerCheckpoint {
  return {
    version: CHECKPOINT_VERSION,
    recipe: { ...DEFAULT_RECIPE, sftSteps: 4, dpoSteps: 2 },
    dataId: 'collected-x',
    baseModelId: 'demo/base',
    patch: Float32Array.from([1.5, -2.25, 3]),
    hidden: 3,
    optimizer: { m: new Float32Array(3), v: Float32Array.from([0.5, 0, 1]), t: step },
    step,
    rngState: 1234,
    cursors: { sft: { order: [2, 0, 1], index: 1, epoch: 0 }, dpo: null },
    dpo: null,
    lossHistory: [],
    metricHistory: [],
    savedAt,
  };
}

const point = (step: number): TrainStepPoint => ({
  stage: 'sft',
  step,
  totalSteps: 6,
  stageStep: step,
  loss: 2 / step,
  lr: 0.01,
  gradNorm: 1,
  tokensPerSecond: 100,
  etaSeconds: 3,
  rewardAccuracy: null,
  rewardMargin: null,
  pairsKept: null,
  pairsDropped: null,
});

describe('TrainCheckpointStore', () => {
  it('keeps one slot per run, returns it exactly, and lists only unfinished runs newest first', async () => {
    const store = await TrainCheckpointStore.open('ckpt-test-1');
    await store.save('run-a', checkpoint(2, '2025-01-01T00:00:00.000Z'), [point(1), point(2)]);
    await store.save('run-a', checkpoint(3, '2025-01-01T00:01:00.000Z'), [
      point(1),
      point(2),
      point(3),
    ]);
    await new Promise((r) => setTimeout(r, 5));
    await store.save('run-b', checkpoint(1, '2025-01-01T00:02:00.000Z'), [point(1)]);
    await store.save('run-done', checkpoint(6, '2025-01-01T00:03:00.000Z'), []);

    const a = await store.load('run-a');
    expect(a?.checkpoint).toEqual(checkpoint(3, '2025-01-01T00:01:00.000Z'));
    expect(a?.checkpoint.patch).toBeInstanceOf(Float32Array);
    expect(a?.points.map((p) => p.step)).toEqual([1, 2, 3]);

    const list = await store.listUnfinished();
    expect(list.map((c) => [c.id, c.step, c.totalSteps, c.stage])).toEqual([
      ['run-b', 1, 6, 'sft'],
      ['run-a', 3, 6, 'sft'],
    ]);

    await store.delete('run-a');
    expect(await store.load('run-a')).toBeNull();
    expect((await store.listUnfinished()).map((c) => c.id)).toEqual(['run-b']);
    store.close();
  });
});
