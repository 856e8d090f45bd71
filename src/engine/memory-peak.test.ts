// The training estimate of memory.ts against the measured peak of a real
// step (forward and backward, per data buffer) on a small Llama with random
// weights: within 20 %, plain and checkpointed. The big shapes are measured
// by scripts/bench/memory-peak.ts (docs/BENCHMARKS.md).
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backends';
import { parseModelConfig } from './config';
import { createLlamaModel, initRandomLlamaWeights } from './llama';
import { estimateModelMemory } from './memory';
import { trackPeakBytes } from './peak-bytes';
import { Rng } from './rng';
import { continuationTokenNll } from './score';
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
