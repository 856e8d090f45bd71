// The hand-written layer backward (llama-layer.ts) against tfjs's autograd
// through the same maths (ForwardOptions.autogradLayers): same loss, same
// gradient to the patch rows, on tiny random Llamas that exercise every
// branch (q/k/v and o biases, one and several query heads per KV head, a
// padding mask, explicit positions, batch 2), on cpu and wasm. And it must
// really be the path a training step takes: it holds fewer bytes on the tape.
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backends';
import { parseModelConfig } from './config';
import { createLlamaModel, llamaWeightShapes } from './llama';
import { Rng } from './rng';
import { relativeError } from './testing/helpers';
import { tf } from './tf';
import type { CausalLM, ModelConfig } from './types';

const BASE = {
  model_type: 'llama',
  vocab_size: 64,
  hidden_size: 24,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  intermediate_size: 40,
  max_position_embeddings: 128,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  tie_word_embeddings: true,
};

const CASES: [string, Record<string, unknown>][] = [
  ['GQA 1 (4 kv heads), no biases', { num_key_value_heads: 4 }],
  ['GQA 2, llama attention_bias (q/k/v/o)', { attention_bias: true }],
  [
    'GQA 4 (1 kv head), qwen2 q/k/v biases, untied',
    {
      model_type: 'qwen2',
      num_key_value_heads: 1,
      tie_word_embeddings: false,
    },
  ],
];

/**
 * Random weights with every part non-trivial: matrices N(0, 0.2²), biases
 * N(0, 0.1²), norm weights 1 + N(0, 0.1²), so a dropped bias or norm weight
 * in either backward shows up.
 */
function randomModel(cfg: ModelConfig, seed: number): CausalLM {
  const rng = new Rng(seed);
  const weights = new Map<string, tf.Tensor>();
  for (const [name, shape] of llamaWeightShapes(cfg)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      data[i] = name.endsWith('norm.weight')
        ? 1 + 0.1 * z
        : name.endsWith('.bias')
          ? 0.1 * z
          : 0.2 * z;
    }
    weights.set(name, tf.tensor(data, shape));
  }
  return createLlamaModel(cfg, weights);
}

const PATCH_ROWS = 3;
const IDS = [
  [1, 5, 9, 33, 2, 17, 40, 8],
  [3, 4, 6, 7, 10, 11, 12, 13],
];
// Row 1 has two padding positions right after the patch (left-padded prompt).
const MASK = [
  [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1],
];
const POSITIONS = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  [0, 1, 2, 0, 0, 3, 4, 5, 6, 7, 8],
];

interface Step {
  loss: number;
  grad: Float32Array;
  /** Bytes held at the end of the forward (the tape's saved tensors and the outputs). */
  held: number;
}

/** Loss = Σ logSoftmax(logits)·W over the output window; its gradient to the patch [3, H]. */
function step(
  model: CausalLM,
  patch: tf.Tensor2D,
  opts: { autogradLayers?: boolean; checkpointLayers?: boolean },
): Step {
  const cfg = model.config;
  let held = 0;
  const r = tf.tidy(() => {
    const tokens = model.embed(tf.tensor2d(IDS, [2, IDS[0].length], 'int32'));
    const mask = tf.tensor2d(MASK, [2, MASK[0].length], 'int32');
    const positionIds = tf.tensor2d(POSITIONS, [2, POSITIONS[0].length]);
    const w = tf.randomNormal([2, 6, cfg.vocabSize], 0, 1, 'float32', 7);
    const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => {
      const pre = tf.tile(p.reshape([1, PATCH_ROWS, cfg.hiddenSize]), [2, 1, 1]);
      const { logits } = model.forward(tf.concat([pre, tokens], 1) as tf.Tensor3D, {
        ...opts,
        attentionMask: mask,
        positionIds,
        outputPositions: { start: 5, length: 6 },
      });
      const loss = tf.sum(tf.mul(tf.logSoftmax(logits), w)) as tf.Scalar;
      held = tf.memory().numBytes;
      return loss;
    })(patch);
    return { loss: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
  });
  return { ...r, held };
}

describe.each(['cpu', 'wasm'] as const)('hand-written layer backward on %s', (backend) => {
  beforeAll(async () => {
    expect(await useBackend(backend)).toEqual({ ok: true });
  });

  it.each(CASES)('%s: loss and patch gradient equal autograd through every op', (_, extra) => {
    const cfg = parseModelConfig({ ...BASE, ...extra });
    const model = randomModel(cfg, 3);
    const patch = tf.tidy(
      () => tf.randomNormal([PATCH_ROWS, cfg.hiddenSize], 0, 1, 'float32', 5) as tf.Tensor2D,
    );
    const before = tf.memory().numTensors;
    const auto = step(model, patch, { autogradLayers: true });
    const hand = step(model, patch, {});
    const ckpt = step(model, patch, { checkpointLayers: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(hand.loss - auto.loss)).toBeLessThan(1e-4 * Math.abs(auto.loss));
    expect(Math.abs(ckpt.loss - auto.loss)).toBeLessThan(1e-4 * Math.abs(auto.loss));
    expect(Math.max(...auto.grad.map(Math.abs))).toBeGreaterThan(1e-2);
    expect(relativeError(hand.grad, auto.grad)).toBeLessThan(1e-4);
    expect(relativeError(ckpt.grad, auto.grad)).toBeLessThan(1e-4);
    // The new path is the one taken: its tape keeps a fraction of autograd's bytes.
    expect(hand.held).toBeLessThan(auto.held);
    patch.dispose();
    model.dispose();
  });

  it('changes nothing outside a gradient tape: inference logits are the plain forward', () => {
    const cfg = parseModelConfig({ ...BASE, attention_bias: true });
    const model = randomModel(cfg, 4);
    const ids = tf.tensor2d(IDS, [2, IDS[0].length], 'int32');
    const embeds = model.embed(ids);
    const plain = model.forward(embeds).logits;
    // The same input inside a tape (hand path) gives the same values.
    let taped: Float32Array | undefined;
    tf.tidy(() => {
      tf.grad((x: tf.Tensor) => {
        const { logits } = model.forward(x as tf.Tensor3D);
        taped = logits.dataSync() as Float32Array;
        return tf.sum(logits) as tf.Scalar;
      })(embeds);
    });
    expect(relativeError(taped!, plain.dataSync())).toBeLessThan(1e-5);
    tf.dispose([ids, embeds, plain]);
    model.dispose();
  });
});
