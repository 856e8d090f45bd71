// What a training checkpoint costs beside the training it protects, to pick
// the default checkpointEvery: the interval at which writing checkpoints
// takes at most 2 % of training time. On the embedded demo M (wasm), with
// DEFAULT_RECIPE's patch length and batch, it times training updates and
// full checkpoint writes (the trainer's state copied, structured-cloned and
// put in IndexedDB through TrainCheckpointStore, the store the worker uses;
// here fake-indexeddb, in memory, so a browser's disk write can add to it).
//   npm run node -- scripts/measure-checkpoint-cost.ts [--backend wasm|cpu] [--steps N] [--writes N]
import 'fake-indexeddb/auto';
import { resolve } from 'node:path';
import { type BackendName, useBackend } from '../src/engine/backends';
import { loadModel } from '../src/engine/load';
import { NodeDirectorySource } from '../src/engine/node-directory-source';
import type { TrainStepPoint } from '../src/protocol/messages';
import { DEFAULT_RECIPE } from '../src/train/recipe';
import { fakeCollectedSet } from '../src/train/testing/fake-collected';
import { Trainer } from '../src/train/trainer';
import { TrainCheckpointStore } from '../src/worker/train-checkpoints';

/** The share of training time checkpoints may take (issue 14). */
const BUDGET = 0.02;

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const backend = arg('backend', 'wasm') as BackendName;
const steps = Number(arg('steps', '6'));
const writes = Number(arg('writes', '20'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const ok = await useBackend(backend);
  if (!ok.ok) throw new Error(`backend ${backend}: ${ok.error}`);
  const dir = resolve('public/models/demo-base');
  const { model } = await loadModel(
    new NodeDirectorySource(dir, { modelId: 'embedded:demo-base' }),
  );
  const data = fakeCollectedSet({ count: 64, vocab: model.config.vocabSize, seed: 1 });
  const recipe = {
    ...DEFAULT_RECIPE,
    init: { kind: 'random' as const },
    sftSteps: steps,
    dpoSteps: 0,
    warmupSteps: 1,
    evalEvery: 0,
    checkpointEvery: 0,
  };
  const trainer = await Trainer.create(recipe, { model, data });
  const stepMs: number[] = [];
  for (let i = 0; i < steps; i++) stepMs.push((await trainer.step()).ms);
  // The first update compiles and warms caches: leave it out of the pace.
  const perStep = median(stepMs.slice(1));

  const store = await TrainCheckpointStore.open('measure-checkpoint-cost');
  // The chart points a long run carries in its slot (one per update).
  const points: TrainStepPoint[] = Array.from({ length: 200 }, (_, i) => ({
    stage: 'sft',
    step: i + 1,
    totalSteps: 200,
    stageStep: i + 1,
    loss: 1,
    lr: 1e-3,
    gradNorm: 1,
    tokensPerSecond: 100,
    etaSeconds: 1,
    rewardAccuracy: null,
    rewardMargin: null,
    pairsKept: null,
    pairsDropped: null,
  }));
  const writeMs: number[] = [];
  for (let i = 0; i < writes; i++) {
    const t0 = performance.now();
    await store.save('slot', trainer.getState(), points);
    writeMs.push(performance.now() - t0);
  }
  const perWrite = median(writeMs);
  const every = Math.max(1, Math.ceil(perWrite / (BUDGET * perStep)));
  console.log(
    `backend ${backend}; patch ${recipe.nVirtualTokens} × ${model.config.hiddenSize}, batch ${recipe.batchSize}`,
  );
  console.log(`training update: median ${perStep.toFixed(1)} ms over ${steps - 1} updates`);
  console.log(`checkpoint write: median ${perWrite.toFixed(2)} ms over ${writes} writes`);
  console.log(
    `smallest interval with writes ≤ ${BUDGET * 100} % of training time: every ${every} update(s) (${((100 * perWrite) / (every * perStep)).toFixed(2)} %)`,
  );
  store.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
