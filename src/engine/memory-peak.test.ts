// The training estimate of memory.ts against the measured peak of a real
// step (forward and backward, per data buffer) on a small Llama with random
// weights: within 20 %, plain and checkpointed. The big shapes are measured
// by scripts/bench/memory-peak.ts (docs/BENCHMARKS.md). And the hand-written
// layer backward (llama-layer.ts) on SmolLM2-135M-shaped layers holds what
// it was designed to save, a fraction of autograd's tape.
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backends';
import { parseModelConfig } from './config';
import { createLlamaModel, initRandomLlamaWeights } from './llama';
import { estimateModelMemory } from './memory';
import { trackPeakBytes } from './peak-bytes';
import { Rng } from './rng';
import { continuationTokenNll } from './score';
import { SMOLLM2_135M_CONFIG } from './testing/smollm2-135m';
import { tf } from './tf';

const CONFIG = {
  model_type: 'llama',
  vocab_size: 4096,
  hidden_size: 128,
  num_hidden_layers: 3,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  intermediate_size: 320,
  max_position_embeddings: 512,
  rms_norm_eps: 1e-5,
  tie_word_embeddings: true,
};

/** Peak bytes above the start of one prefix-training step of `model`. */
async function stepGrowth(
  model: ReturnType<typeof createLlamaModel>,
  shape: { B: number; P: number; A: number; n: number },
  opts: { checkpointLayers?: boolean; autogradLayers?: boolean },
): Promise<number> {
  const cfg = model.config;
  const rng = new Rng(2);
  const ids = (k: number) => Array.from({ length: k }, () => 1 + rng.int(cfg.vocabSize - 1));
  const batch = {
    prompts: Array.from({ length: shape.B }, () => ids(shape.P)),
    continuations: Array.from({ length: shape.B }, () => ids(shape.A)),
  };
  const prefix = tf.variable(tf.randomNormal([shape.n, cfg.hiddenSize], 0, 0.02) as tf.Tensor2D);
  const { peakBytes, startBytes } = await trackPeakBytes(async () => {
    const { value, grads } = tf.variableGrads(
      () => continuationTokenNll(model, batch, prefix, opts),
      [prefix],
    );
    await grads[prefix.name].data();
    tf.dispose([value, ...Object.values(grads)]);
  });
  prefix.dispose();
  return peakBytes - startBytes;
}

describe('training memory estimate against the measured peak (wasm)', () => {
  beforeAll(async () => {
    expect(await useBackend('wasm')).toEqual({ ok: true });
  });

  it.each([false, true])('checkpointLayers %s: within 20 %%', async (checkpointLayers) => {
    const cfg = parseModelConfig(CONFIG);
    const model = createLlamaModel(cfg, initRandomLlamaWeights(cfg, 1));
    const [B, P, A, n] = [3, 40, 24, 16];
    const rng = new Rng(2);
    const ids = (k: number) => Array.from({ length: k }, () => 1 + rng.int(cfg.vocabSize - 1));
    const batch = {
      prompts: Array.from({ length: B }, () => ids(P)),
      continuations: Array.from({ length: B }, () => ids(A)),
    };
    const prefix = tf.variable(tf.randomNormal([n, cfg.hiddenSize], 0, 0.02) as tf.Tensor2D);
    const { peakBytes } = await trackPeakBytes(async () => {
      const { value, grads } = tf.variableGrads(
        () => continuationTokenNll(model, batch, prefix, { checkpointLayers }),
        [prefix],
      );
      await grads[prefix.name].data();
      tf.dispose([value, ...Object.values(grads)]);
    });
    const est = estimateModelMemory(cfg, {
      batch: B,
      sequenceTokens: P + A,
      prefixTokens: n,
      newTokens: 0,
      answerTokens: A,
      checkpointLayers,
    }).trainingBytes;
    prefix.dispose();
    model.dispose();
    expect(Math.abs(est - peakBytes) / peakBytes).toBeLessThan(0.2);
  });
});

describe('hand-written layer backward: measured peak on SmolLM2-135M-shaped layers (wasm)', () => {
  beforeAll(async () => {
    expect(await useBackend('wasm')).toEqual({ ok: true });
  });

  it('holds its designed saved set, well below autograd through every op', async () => {
    // SmolLM2-135M layers (H 576, 9/3 heads of 64, I 1536); 3 of them and a
    // 4096-token vocabulary, so the layers dominate the step.
    const cfg = parseModelConfig({
      ...SMOLLM2_135M_CONFIG,
      num_hidden_layers: 3,
      vocab_size: 4096,
    });
    const model = createLlamaModel(cfg, initRandomLlamaWeights(cfg, 1));
    const shape = { B: 2, P: 64, A: 64, n: 50 };
    const hand = await stepGrowth(model, shape, {});
    const autograd = await stepGrowth(model, shape, { autogradLayers: true });
    model.dispose();
    const [H, I, L, V] = [576, 1536, 3, 4096];
    const T = shape.P + shape.A + shape.n;
    const N = shape.B * T;
    // Floats: per layer x0, h1, q (9·64), k, v (3·64 each), probabilities (9·T), gate, up, 2 rsqrt.
    const saved = L * N * (2 * H + 9 * 64 + 2 * 3 * 64 + 2 * I + 9 * T + 2);
    const stage = N * (4 * I + 8 * H); // one layer's backward, its SwiGLU part
    const head = 6 * shape.B * shape.A * V;
    const patch = 2 * shape.n * H;
    const bound = (saved + stage + head + patch) * 4;
    expect(hand).toBeLessThanOrEqual(1.1 * bound);
    // The saved set really is held (the count is not an overestimate)...
    expect(hand).toBeGreaterThan(saved * 4);
    // ... and it is a fraction of the tape's (≈ 57·H + 19·kvDim + 14·I + 6·heads·T per token and layer).
    expect(hand).toBeLessThan(0.3 * autograd);
  });
});
