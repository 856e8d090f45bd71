import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import { CheckpointStore } from './checkpoint-store';
import { fakeCollectedSet } from './testing/fake-collected';
import { createTinyLM } from './testing/tiny-lm';
import { Trainer } from './trainer';

let dbCount = 0;
const freshName = () => `patch-lab-train-checkpoint-test-${++dbCount}`;

describe('CheckpointStore', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('keeps the newest checkpoints of a run, and one resumes the run exactly', async () => {
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

    const store = await CheckpointStore.open(freshName());
    const t = await Trainer.create(recipe, { model, data });
    const got: number[] = [];
    for (let i = 0; i < 4; i++) {
      got.push((await t.step()).loss);
      await store.save('run-1', t.getState(), 2);
    }
    await store.save('run-2', t.getState());
    const infos = await store.list('run-1');
    expect(infos.map((i) => i.step)).toEqual([4, 3]);
    expect(infos[0]).toMatchObject({ stage: 'dpo', totalSteps: 6, dataId: data.id });
    expect((await store.list()).length).toBe(3);

    const latest = await store.latest('run-1');
    expect(latest?.step).toBe(4);
    expect(latest?.patch).toBeInstanceOf(Float32Array);
    const resumed = Trainer.fromCheckpoint(latest!, { model, data });
    while (!resumed.done) got.push((await resumed.step()).loss);
    expect(got).toEqual(want);

    await store.delete('run-1', 4);
    expect((await store.latest('run-1'))?.step).toBe(3);
    await store.delete('run-1');
    expect(await store.latest('run-1')).toBeNull();
    expect((await store.list()).map((i) => i.runId)).toEqual(['run-2']);
    store.close();
  });
});
