import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../src/engine/backends';
import { createLlamaModel, initRandomLlamaWeights } from '../../src/engine/llama';
import { Rng } from '../../src/engine/rng';
import { tf } from '../../src/engine/tf';
import type { ModelConfig } from '../../src/engine/types';
import { weightsToSafetensors } from '../../src/engine/weights-io';
import { bucketedBatches, lmLossFn, makeBatch, trainLoop } from './train';

const config: ModelConfig = {
  modelType: 'llama',
  vocabSize: 40,
  hiddenSize: 16,
  numLayers: 1,
  numHeads: 2,
  numKvHeads: 1,
  headDim: 8,
  intermediateSize: 24,
  maxPositions: 32,
  normEps: 1e-5,
  tieWordEmbeddings: true,
  ropeTheta: 10000,
  ropeScaling: null,
  attentionBias: false,
  bosTokenId: 0,
  eosTokenIds: [1],
  padTokenId: 0,
};

// Sequences with structure a tiny model can learn: an arithmetic run from a random start.
const rng = new Rng(3);
const seqs = Array.from({ length: 48 }, () => {
  const start = 2 + rng.int(20);
  return Array.from({ length: 4 + rng.int(6) }, (_, i) => 2 + ((start + i) % 38));
});

/** Trains from the seed and returns the sha256 of the written safetensors plus the losses. */
function run(steps: number): { hash: string; losses: number[]; tensorsDelta: number } {
  const vars = new Map<string, tf.Variable>();
  for (const [k, t] of initRandomLlamaWeights(config, 9)) vars.set(k, tf.variable(t, true));
  const model = createLlamaModel(config, vars);
  const before = tf.memory().numTensors;
  const losses = trainLoop([...vars.values()], bucketedBatches(seqs, 8, 0, 1), lmLossFn(model), {
    steps,
    schedule: { peak: 1e-2, warmupSteps: 2, totalSteps: steps, decay: 'cosine', minRatio: 0.1 },
    clipNorm: 1,
  });
  const tensorsDelta = tf.memory().numTensors - before;
  const hash = createHash('sha256').update(weightsToSafetensors(vars)).digest('hex');
  model.dispose();
  for (const v of vars.values()) v.dispose();
  return { hash, losses, tensorsDelta };
}

describe('demo training loop', () => {
  beforeAll(async () => {
    expect(await useBackend('wasm')).toEqual({ ok: true });
  });

  it('right-pads batches and puts no loss on padding or before lossFrom', () => {
    const b = makeBatch(
      [
        [5, 6, 7, 8],
        [5, 6],
      ],
      0,
      [0, 1],
    );
    expect(b.ids).toEqual([
      [5, 6, 7],
      [5, 6, 0],
    ]);
    expect(b.targets).toEqual([
      [6, 7, 8],
      [6, 0, 0],
    ]);
    expect(b.weights).toEqual([
      [1, 1, 1],
      [1, 0, 0],
    ]);
  });

  it('is byte-identical for the same seed, leaks no tensors, and learns', () => {
    const a = run(25);
    const b = run(25);
    expect(a.hash).toBe(b.hash);
    expect(a.losses).toEqual(b.losses);
    expect(a.tensorsDelta).toBe(0);
    const head = a.losses.slice(0, 3).reduce((x, y) => x + y) / 3;
    const tail = a.losses.slice(-3).reduce((x, y) => x + y) / 3;
    expect(tail).toBeLessThan(head * 0.8);
  });
});
