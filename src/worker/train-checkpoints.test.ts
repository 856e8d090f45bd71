import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import type { TrainStepPoint } from '../protocol/messages';
import { CHECKPOINT_VERSION, type TrainerCheckpoint } from '../train/checkpoint';
import { DEFAULT_RECIPE } from '../train/recipe';
import { fakeCollectedSet } from '../train/testing/fake-collected';
import { createTinyLM } from '../train/testing/tiny-lm';
import { Trainer } from '../train/trainer';
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

  it('a failed save leaves the last good checkpoint of the run in place', async () => {
    const store = await TrainCheckpointStore.open('ckpt-test-2');
    const good = checkpoint(2, '2025-01-01T00:00:00.000Z');
    await store.save('run-a', good, [point(1), point(2)]);
    // A value IndexedDB cannot clone makes the put fail inside its transaction.
    const broken = { ...checkpoint(3, '2025-01-01T00:01:00.000Z'), rngState: () => 0 };
    await expect(
      store.save('run-a', broken as unknown as TrainerCheckpoint, [point(3)]),
    ).rejects.toThrow();
    const kept = await store.load('run-a');
    expect(kept?.checkpoint).toEqual(good);
    expect(kept?.points.map((p) => p.step)).toEqual([1, 2]);
    expect((await store.listUnfinished()).map((c) => [c.id, c.step])).toEqual([['run-a', 2]]);
    store.close();
  });

  it('a real trainer state, stored and read back, resumes the run exactly', async () => {
    await useBackend('cpu');
    const data = fakeCollectedSet({ count: 8, vocab: 12, seed: 3 });
    const model = createTinyLM(12, 6, 1);
    const recipe = {
      nVirtualTokens: 2,
      init: { kind: 'random' as const },
      sftSteps: 3,
      dpoSteps: 3,
      batchSize: 2,
      seed: 1,
      checkpointEvery: 0,
      evalEvery: 0,
    };
    const straight = await Trainer.create(recipe, { model, data });
    const want: number[] = [];
    while (!straight.done) want.push((await straight.step()).loss);

    const store = await TrainCheckpointStore.open('ckpt-test-3');
    const t = await Trainer.create(recipe, { model, data });
    const got: number[] = [];
    for (let i = 0; i < 4; i++) {
      got.push((await t.step()).loss);
      await store.save('run-1', t.getState(), []);
    }
    const saved = await store.load('run-1');
    expect(saved?.checkpoint.step).toBe(4);
    expect(saved?.checkpoint.patch).toBeInstanceOf(Float32Array);
    expect((await store.listUnfinished())[0]).toMatchObject({ id: 'run-1', stage: 'dpo' });
    const resumed = Trainer.fromCheckpoint(saved!.checkpoint, { model, data });
    while (!resumed.done) got.push((await resumed.step()).loss);
    expect(got).toEqual(want);
    store.close();
  });
});
