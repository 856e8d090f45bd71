// Gradient checkpointing changes memory, never numbers: the loss and the
// gradient to the input embeddings (the patch) equal the plain forward's, and
// the tensors held at the end of the forward are fewer.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureConfigJson,
  randomFixtureTensors,
} from '../../scripts/fixtures/write-random-checkpoints';
import { createModel } from './architectures';
import { useBackend } from './backends';
import { parseModelConfig } from './config';
import { relativeError, toWeightMaps } from './testing/helpers';
import { tf } from './tf';

describe.each(['cpu', 'wasm'] as const)('checkpointLayers on %s', (backend) => {
  beforeAll(async () => {
    expect(await useBackend(backend)).toEqual({ ok: true });
  });

  it.each(['llama-gqa', 'gpt2'] as const)(
    '%s: gives the plain loss and input gradient while holding fewer bytes after the forward',
    (kind) => {
      const cfg = parseModelConfig(fixtureConfigJson(kind));
      const model = createModel(cfg, toWeightMaps(randomFixtureTensors(kind, 5)).tfWeights);
      const embeds = model.embed(tf.tensor2d([[1, 5, 9, 33, 2, 17, 40, 8]], [1, 8], 'int32'));
      const run = (checkpointLayers: boolean) => {
        let held = 0;
        const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => {
          const { logits } = model.forward(x as tf.Tensor3D, {
            checkpointLayers,
            outputPositions: { start: 4, length: 4 },
          });
          const loss = tf.sum(tf.mul(tf.logSoftmax(logits), 0.01));
          held = tf.memory().numBytes;
          return loss as tf.Scalar;
        })(embeds);
        const out = { loss: value.dataSync()[0], grad: grad.dataSync().slice(), held };
        tf.dispose([value, grad]);
        return out;
      };
      const before = tf.memory().numTensors;
      const plain = run(false);
      const ckpt = run(true);
      expect(tf.memory().numTensors).toBe(before);
      expect(Math.abs(ckpt.loss - plain.loss)).toBeLessThan(1e-5 * Math.abs(plain.loss));
      expect(relativeError(ckpt.grad, plain.grad)).toBeLessThan(1e-5);
      expect(ckpt.held).toBeLessThan(plain.held);
      embeds.dispose();
      model.dispose();
    },
  );

  it('refuses a KV cache and trainable weights', () => {
    const cfg = parseModelConfig(fixtureConfigJson('llama-gqa'));
    const model = createModel(cfg, toWeightMaps(randomFixtureTensors('llama-gqa', 5)).tfWeights);
    const embeds = model.embed(tf.tensor2d([[1, 2, 3]], [1, 3], 'int32'));
    expect(() => model.forward(embeds, { checkpointLayers: true, useCache: true })).toThrow(
      'checkpointLayers is for training: it cannot fill a KV cache',
    );
    embeds.dispose();
    model.dispose();
    const weights = toWeightMaps(randomFixtureTensors('llama-gqa', 5)).tfWeights;
    const name = 'model.layers.0.mlp.up_proj.weight';
    const variable = tf.variable(weights.get(name)!);
    weights.set(name, variable);
    const trainable = createModel(cfg, weights);
    const e2 = trainable.embed(tf.tensor2d([[1, 2, 3]], [1, 3], 'int32'));
    expect(() => trainable.forward(e2, { checkpointLayers: true })).toThrow(
      'checkpointLayers needs frozen weights',
    );
    tf.dispose([e2, variable]);
    trainable.dispose();
  });
});
