import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../src/engine/backends';
import { createLlamaModel, initRandomLlamaWeights } from '../../src/engine/llama';
import { Rng } from '../../src/engine/rng';
import { tf } from '../../src/engine/tf';
import type { ModelConfig } from '../../src/engine/types';
import { weightsToSafetensors } from '../../src/engine/weights-io';
import { initPatch, meanRowNorm } from '../../src/patch/init';
import {
  bucketedBatches,
  lmLossFn,
  makeBatch,
  randomRows,
  trainLoop,
  withNoisePrefix,
} from './train';

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
function run(
  steps: number,
  noise = false,
): { hash: string; losses: number[]; tensorsDelta: number } {
  const vars = new Map<string, tf.Variable>();
  for (const [k, t] of initRandomLlamaWeights(config, 9)) vars.set(k, tf.variable(t, true));
  const model = createLlamaModel(config, vars);
  const before = tf.memory().numTensors;
  const batches = bucketedBatches(seqs, 8, 0, 1);
  const next = noise ? withNoisePrefix(batches, { share: 0.5, maxRows: 6, seed: 4 }) : batches;
  const losses = trainLoop([...vars.values()], next, lmLossFn(model), {
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

  it('with random vectors in front of half the batches: still deterministic, leak-free, learning', () => {
    const a = run(25, true);
    const b = run(25, true);
    expect(a.hash).toBe(b.hash);
    expect(a.tensorsDelta).toBe(0);
    expect(a.hash).not.toBe(run(25).hash);
    const head = a.losses.slice(0, 3).reduce((x, y) => x + y) / 3;
    const tail = a.losses.slice(-3).reduce((x, y) => x + y) / 3;
    expect(tail).toBeLessThan(head * 0.8);
  });

  it('draws its random rows as the random patch init does (the control it teaches M to ignore)', async () => {
    const emb = tf.randomNormal([40, 16], 0, 0.3, 'float32', 5) as tf.Tensor2D;
    const norm = await meanRowNorm(emb);
    const rows = randomRows(7, 16, norm, 3);
    expect(Array.from(rows)).toEqual(
      Array.from(await initPatch({ kind: 'random' }, { embeddings: emb, n: 7, seed: 3 })),
    );
    for (let r = 0; r < 7; r++) {
      const row = rows.subarray(r * 16, (r + 1) * 16);
      expect(Math.hypot(...row)).toBeCloseTo(norm, 5);
    }
    emb.dispose();
  });

  it('marks about the asked share of batches, never with a control seed (1..5)', () => {
    const next = withNoisePrefix(() => makeBatch([[2, 3, 4]], 0), {
      share: 0.3,
      maxRows: 64,
      seed: 11,
    });
    const marks = Array.from({ length: 2000 }, () => next().noise);
    const marked = marks.filter((m) => m !== undefined);
    expect(marked.length / marks.length).toBeGreaterThan(0.26);
    expect(marked.length / marks.length).toBeLessThan(0.34);
    for (const m of marked) {
      expect(m.rows).toBeGreaterThanOrEqual(1);
      expect(m.rows).toBeLessThanOrEqual(64);
      expect(m.seed).toBeGreaterThanOrEqual(1000);
    }
  });
});
