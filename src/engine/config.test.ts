import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelConfig, toHfConfigJson } from './config';
import { SMOLLM2_135M_CONFIG as SMOLLM2 } from './testing/smollm2-135m';

describe('parseModelConfig', () => {
  it('normalises a SmolLM2 (llama) config', () => {
    const c = parseModelConfig(SMOLLM2);
    expect(c).toMatchObject({
      modelType: 'llama',
      hiddenSize: 576,
      numHeads: 9,
      numKvHeads: 3,
      headDim: 64,
      tieWordEmbeddings: true,
      ropeTheta: 100000,
      ropeScaling: null,
      attentionBias: false,
      eosTokenIds: [0],
    });
  });

  it('reads the shared GPT-2 config (Conv1D model, tied, 4×n_embd MLP)', () => {
    const json = JSON.parse(
      readFileSync(join(__dirname, '../../../shared/fixtures/hf-gpt2-random/config.json'), 'utf8'),
    );
    const c = parseModelConfig(json);
    expect(c).toMatchObject({
      modelType: 'gpt2',
      hiddenSize: 2,
      numHeads: 1,
      intermediateSize: 8,
      maxPositions: 1024,
      normEps: 1e-5,
      tieWordEmbeddings: true,
    });
  });

  it('qwen2 always has q/k/v biases; Llama 3 rope in transformers-5 "rope_parameters" form', () => {
    expect(parseModelConfig({ ...SMOLLM2, model_type: 'qwen2' }).attentionBias).toBe(true);
    const c = parseModelConfig({
      ...SMOLLM2,
      rope_theta: undefined,
      rope_parameters: {
        rope_type: 'llama3',
        rope_theta: 500000,
        factor: 32,
        low_freq_factor: 1,
        high_freq_factor: 4,
        original_max_position_embeddings: 8192,
      },
    });
    expect(c.ropeTheta).toBe(500000);
    expect(c.ropeScaling).toEqual({
      type: 'llama3',
      factor: 32,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositions: 8192,
    });
  });

  it('round-trips through toHfConfigJson', () => {
    const c = parseModelConfig({ ...SMOLLM2, rope_scaling: { type: 'linear', factor: 2 } });
    expect(parseModelConfig(toHfConfigJson(c))).toEqual(c);
  });

  it('gives specific errors', () => {
    expect(() => parseModelConfig({ model_type: 'phi3' })).toThrow(
      'model_type "phi3" is not supported; supported model types: llama, mistral, qwen2, gpt2',
    );
    expect(() => parseModelConfig({ ...SMOLLM2, num_key_value_heads: 4 })).toThrow(
      'num_attention_heads (9) must be a multiple of num_key_value_heads (4)',
    );
    expect(() =>
      parseModelConfig({ ...SMOLLM2, rope_scaling: { rope_type: 'yarn', factor: 4 } }),
    ).toThrow('rope scaling type "yarn" is not supported (supported: default, linear, llama3)');
    expect(() => parseModelConfig({ ...SMOLLM2, hidden_size: undefined })).toThrow(
      'config.json is missing "hidden_size"',
    );
    expect(() =>
      parseModelConfig({
        model_type: 'gpt2',
        n_embd: 4,
        n_head: 2,
        n_layer: 1,
        vocab_size: 5,
        activation_function: 'relu',
      }),
    ).toThrow(
      'GPT-2 activation_function "relu" is not supported (supported: gelu_new, gelu_pytorch_tanh)',
    );
  });
});

describe('parseModelConfig refuses configs that can only give NaN', () => {
  const llama3 = {
    rope_type: 'llama3',
    factor: 32,
    low_freq_factor: 1,
    high_freq_factor: 4,
    original_max_position_embeddings: 8192,
  };
  const gpt2 = { model_type: 'gpt2', vocab_size: 10, n_embd: 8, n_layer: 1, n_head: 2 };

  it.each([
    [
      { rms_norm_eps: 0 },
      '"rms_norm_eps" must be greater than 0 (RMSNorm divides by sqrt(mean + eps)), got 0',
    ],
    [{ rms_norm_eps: -1e-6 }, '"rms_norm_eps" must be greater than 0'],
    [
      { rope_theta: 0 },
      '"rope_theta" must be greater than 0 (the rotary base; 0 or less gives NaN frequencies), got 0',
    ],
    [{ rope_theta: -10000 }, '"rope_theta" must be greater than 0'],
    [{ rope_theta: 'big' }, '"rope_theta" must be a number, got "big"'],
    [
      { rope_scaling: { type: 'linear', factor: 0 } },
      '"factor" must be greater than 0 (rope frequencies are divided by it), got 0',
    ],
    [{ rope_scaling: { ...llama3, factor: -2 } }, '"factor" must be greater than 0'],
    [
      { rope_scaling: { ...llama3, low_freq_factor: 0 } },
      '"low_freq_factor" must be greater than 0',
    ],
    [
      { rope_scaling: { ...llama3, high_freq_factor: 1 } },
      '"high_freq_factor" (1) must be greater than "low_freq_factor" (1)',
    ],
    [
      { rope_theta: undefined, rope_parameters: { rope_type: 'default', rope_theta: 0 } },
      '"rope_theta" must be greater than 0',
    ],
  ])('llama %j', (patch, message) => {
    expect(() => parseModelConfig({ ...SMOLLM2, ...patch })).toThrow(message);
  });

  it('gpt2 layer_norm_epsilon 0', () => {
    expect(parseModelConfig(gpt2).normEps).toBe(1e-5);
    expect(() => parseModelConfig({ ...gpt2, layer_norm_epsilon: 0 })).toThrow(
      '"layer_norm_epsilon" must be greater than 0',
    );
  });
});
