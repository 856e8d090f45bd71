import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backends';
import { parseModelConfig } from './config';
import { checkForwardInput } from './forward-input';
import { tf } from './tf';

const config = parseModelConfig({
  model_type: 'llama',
  vocab_size: 10,
  hidden_size: 4,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  intermediate_size: 8,
  max_position_embeddings: 16,
});

describe('checkForwardInput', () => {
  beforeAll(async () => {
    expect((await useBackend('cpu')).ok).toBe(true);
  });

  it('returns batch, length and hidden size of matching embeddings', () => {
    const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    expect(checkForwardInput(x, config, false)).toEqual([2, 3, 4]);
    x.dispose();
  });

  it('names both sizes when the embeddings have the wrong width', () => {
    const x = tf.zeros([1, 3, 5]) as tf.Tensor3D;
    expect(() => checkForwardInput(x, config, false)).toThrow(
      "inputEmbeds hidden size 5 does not match the model's 4",
    );
    x.dispose();
  });

  it('refuses a disposed model', () => {
    const x = tf.zeros([1, 1, 4]) as tf.Tensor3D;
    expect(() => checkForwardInput(x, config, true)).toThrow('forward() on a disposed model');
    x.dispose();
  });
});
