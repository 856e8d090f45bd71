import { describe, expect, it } from 'vitest';
import {
  checkModelFits,
  countParameters,
  DEFAULT_WORKLOAD,
  defaultMemoryBudget,
  estimateModelMemory,
} from './memory';
import type { DeviceLimits, ModelConfig } from './types';

// Values copied from the real config.json files on the hub. Fields that do not
// change the parameter count are filled with the real values where known.
const smolLM2_135M: ModelConfig = {
  modelType: 'llama',
  vocabSize: 49152,
  hiddenSize: 576,
  numLayers: 30,
  numHeads: 9,
  numKvHeads: 3,
  headDim: 64,
  intermediateSize: 1536,
  maxPositions: 8192,
  normEps: 1e-5,
  tieWordEmbeddings: true,
  ropeTheta: 100000,
  ropeScaling: null,
  attentionBias: false,
  bosTokenId: 0,
  eosTokenIds: [0],
  padTokenId: null,
};

const gpt2: ModelConfig = {
  modelType: 'gpt2',
  vocabSize: 50257,
  hiddenSize: 768,
  numLayers: 12,
  numHeads: 12,
  numKvHeads: 12,
  headDim: 64,
  intermediateSize: 3072, // n_inner null → 4 × n_embd
  maxPositions: 1024,
  normEps: 1e-5,
  tieWordEmbeddings: true,
  ropeTheta: 0,
  ropeScaling: null,
  attentionBias: true,
  bosTokenId: 50256,
  eosTokenIds: [50256],
  padTokenId: null,
};

const qwen25_05B: ModelConfig = {
  ...smolLM2_135M,
  modelType: 'qwen2',
  vocabSize: 151936,
  hiddenSize: 896,
  numLayers: 24,
  numHeads: 14,
  numKvHeads: 2,
  headDim: 64,
  intermediateSize: 4864,
  maxPositions: 32768,
  normEps: 1e-6,
  ropeTheta: 1000000,
  attentionBias: true,
  bosTokenId: 151643,
  eosTokenIds: [151643],
};

const tinyLlama: ModelConfig = {
  ...smolLM2_135M,
  vocabSize: 32000,
  hiddenSize: 2048,
  numLayers: 22,
  numHeads: 32,
  numKvHeads: 4,
  headDim: 64,
  intermediateSize: 5632,
  maxPositions: 2048,
  tieWordEmbeddings: false,
  ropeTheta: 10000,
};

describe('countParameters', () => {
  // Published totals; each also worked out by hand in the comments.
  it('SmolLM2-135M (GQA 9/3, tied): 134,515,008', () => {
    // embed 49152·576 = 28,311,552; per layer q 331,776 + k,v 2·110,592 + o 331,776
    // + MLP 3·576·1536 = 2,654,208 + norms 1,152 = 3,540,096; ×30 + final norm 576.
    expect(countParameters(smolLM2_135M)).toBe(134_515_008);
  });

  it('GPT-2 (Conv1D with biases, learned positions): 124,439,808', () => {
    expect(countParameters(gpt2)).toBe(124_439_808);
  });

  it('Qwen2.5-0.5B (q/k/v biases only, tied): 494,032,768', () => {
    expect(countParameters(qwen25_05B)).toBe(494_032_768);
  });

  it('TinyLlama-1.1B (untied lm_head): 1,100,048,384', () => {
    expect(countParameters(tinyLlama)).toBe(1_100_048_384);
  });

  it('counts an untied head as a second vocab × hidden matrix', () => {
    const untied = countParameters({ ...smolLM2_135M, tieWordEmbeddings: false });
    expect(untied - countParameters(smolLM2_135M)).toBe(49152 * 576);
  });

  it('gives Llama attention_bias an o_proj bias, Qwen2 and Mistral none', () => {
    const base = { ...smolLM2_135M, attentionBias: false };
    const qkv = 576 + 2 * 192; // q bias + k,v biases per layer
    expect(countParameters({ ...base, attentionBias: true }) - countParameters(base)).toBe(
      30 * (qkv + 576),
    );
    expect(
      countParameters({ ...base, modelType: 'qwen2', attentionBias: true }) -
        countParameters({ ...base, modelType: 'qwen2' }),
    ).toBe(30 * qkv);
  });
});

describe('estimateModelMemory', () => {
  it('reports float32 weight bytes and the embedding matrix as the largest tensor', () => {
    const est = estimateModelMemory(qwen25_05B);
    expect(est.params).toBe(494_032_768);
    expect(est.weightBytes).toBe(494_032_768 * 4);
    expect(est.largestTensorBytes).toBe(151936 * 896 * 4); // 544,538,624
    expect(est.largestTensorName).toBe('embedding matrix');
  });

  it('finds the MLP weight when it is bigger than the embedding matrix', () => {
    const wideMlp = { ...smolLM2_135M, vocabSize: 100, intermediateSize: 4096 };
    const est = estimateModelMemory(wideMlp);
    expect(est.largestTensorBytes).toBe(576 * 4096 * 4);
    expect(est.largestTensorName).toBe('MLP weight');
  });

  it('follows the documented training formula for SmolLM2-135M (hand-written layer backward)', () => {
    const T = 178;
    const N = 4 * T;
    // x0, h1 (576 each), q (9·64), k, v (192 each), probabilities (9·T), gate, up (1536 each), 2 rsqrt.
    const saved = N * (2 * 576 + 576 + 2 * 192 + 2 * 1536 + 9 * T + 2);
    const backwardStage = N * (4 * 1536 + 8 * 576);
    const weights = 134_515_008 * 4;
    const patch = 2 * 50 * 576;
    // The head in blocks of floor(16 MiB / (49152 × 4 B)) = 85 rows: three
    // [85, vocab] tensors at a time at the end of the forward (beside what the
    // layers saved), then each row's input gradient and its copy into the backward.
    const block = 3 * 85 * 49152;
    const kept = (rows: number) => 2 * rows * 576;
    const plain = { ...DEFAULT_WORKLOAD, checkpointLayers: false, answerTokens: undefined };
    expect(estimateModelMemory(smolLM2_135M, plain).trainingBytes).toBe(
      weights + (30 * saved + Math.max(block, backwardStage) + kept(N) + patch) * 4,
    );
    const est = estimateModelMemory(smolLM2_135M);
    const ckptBackward = 30 * 2 * N * 576 + saved + N * (4 * 1536 + 11 * 576);
    expect(est.trainingBytes).toBe(
      weights + (Math.max(30 * N * 576 + block, ckptBackward) + kept(4 * 64) + patch) * 4,
    );
    // Sanity: about 0.69 GB checkpointed, more than the weights.
    expect(est.trainingBytes).toBeGreaterThan(0.65e9);
    expect(est.trainingBytes).toBeLessThan(0.8e9);
    expect(est.inferenceBytes).toBeGreaterThan(est.weightBytes);
  });

  it('counts answer positions only at the head, and one layer of activations when checkpointed', () => {
    const w = { ...DEFAULT_WORKLOAD, checkpointLayers: false };
    const N = 4 * 178;
    const saved = N * (2 * 576 + 576 + 2 * 192 + 2 * 1536 + 9 * 178 + 2);
    const base = 134_515_008 * 4 + 2 * 50 * 576 * 4;
    const block = 3 * 85 * 49152;
    const kept = 2 * 4 * 64 * 576;
    const sliced = estimateModelMemory(smolLM2_135M, w);
    expect(sliced.trainingBytes).toBe(
      base + (30 * saved + Math.max(block, N * (4 * 1536 + 8 * 576)) + kept) * 4,
    );
    // Batch 4 × (128 + 50) without checkpointing: about 1.2 GB, well inside wasm's 4 GiB.
    expect(sliced.trainingBytes).toBeGreaterThan(1.15e9);
    expect(sliced.trainingBytes).toBeLessThan(1.25e9);
    const ckpt = estimateModelMemory(smolLM2_135M, { ...w, checkpointLayers: true });
    expect(ckpt.trainingBytes).toBe(
      base +
        (Math.max(30 * N * 576 + block, 30 * 2 * N * 576 + saved + N * (4 * 1536 + 11 * 576)) +
          kept) *
          4,
    );
    expect(ckpt.inferenceBytes).toBe(sliced.inferenceBytes);
  });

  it('keeps the autograd formula for GPT-2 (no hand-written backward there)', () => {
    const w = { ...DEFAULT_WORKLOAD, checkpointLayers: false };
    const N = 4 * 178;
    const perLayer = N * (57 * 768 + 19 * 768 + 14 * 3072 + 6 * 12 * 178);
    const est = estimateModelMemory(gpt2, w);
    expect(est.trainingBytes).toBe(
      // The head in blocks of floor(16 MiB / (50257 × 4 B)) = 83 rows.
      est.weightBytes + (12 * perLayer + 3 * 83 * 50257 + 2 * 4 * 64 * 768 + 2 * 50 * 768) * 4,
    );
  });

  it('grows training memory with the batch size', () => {
    const small = estimateModelMemory(gpt2, { ...DEFAULT_WORKLOAD, batch: 1 });
    const big = estimateModelMemory(gpt2, { ...DEFAULT_WORKLOAD, batch: 8 });
    expect(big.trainingBytes).toBeGreaterThan(small.trainingBytes);
    expect(big.weightBytes).toBe(small.weightBytes);
  });
});

describe('checkModelFits', () => {
  const swiftshader: DeviceLimits = {
    backend: 'webgpu',
    maxBufferSize: 1024 ** 3,
    maxStorageBufferBindingSize: 1024 ** 3,
  };

  it('accepts SmolLM2-135M under a 1 GiB buffer limit', () => {
    expect(checkModelFits(smolLM2_135M, swiftshader)).toEqual({ ok: true });
  });

  it('refuses an embedding matrix bigger than one buffer, naming sizes and next step', () => {
    const small: DeviceLimits = { ...swiftshader, maxStorageBufferBindingSize: 128 * 1024 ** 2 };
    const r = checkModelFits(qwen25_05B, small, { modelName: 'Qwen2.5-0.5B' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toBe(
      // 134 217 728 B = 128 MiB; 151 936 × 896 × 4 B = 519.3 MiB.
      "This device's WebGPU limit is 128 MiB per buffer; the embedding matrix of Qwen2.5-0.5B " +
        'needs 519 MiB in one buffer. Choose a smaller model, or switch to the wasm backend.',
    );
  });

  it('uses the smaller of maxBufferSize and maxStorageBufferBindingSize', () => {
    const r = checkModelFits(qwen25_05B, {
      backend: 'webgpu',
      maxBufferSize: 256 * 1024 ** 2,
      maxStorageBufferBindingSize: 2 * 1024 ** 3,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('256 MiB per buffer');
  });

  it('refuses TinyLlama training on wasm (4 GiB address space), allows on webgpu', () => {
    const wasm: DeviceLimits = {
      backend: 'wasm',
      maxBufferSize: null,
      maxStorageBufferBindingSize: null,
    };
    const r = checkModelFits(tinyLlama, wasm, { modelName: 'TinyLlama-1.1B' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/^Training a patch on TinyLlama-1\.1B needs about [\d.]+ GiB/);
      expect(r.message).toContain('4.10 GiB of it float32 weights');
      expect(r.message).toContain('the wasm backend can address at most 4.00 GiB');
      expect(r.message).toContain('lower the batch size');
      // Its weights alone exceed the budget: checkpointing would not help, so it is not offered.
      expect(r.message).not.toContain('checkpointing');
    }
    expect(checkModelFits(tinyLlama, swiftshader).ok).toBe(true);
  });

  it('checks only the budget when limits are unknown, and honours an explicit budget', () => {
    expect(checkModelFits(gpt2, null).ok).toBe(true);
    const est = estimateModelMemory(gpt2);
    expect(checkModelFits(gpt2, null, { budgetBytes: est.trainingBytes }).ok).toBe(true);
    const r = checkModelFits(gpt2, null, {
      budgetBytes: est.trainingBytes - 1,
      purpose: 'training',
    });
    expect(r.ok).toBe(false);
    expect(
      checkModelFits(gpt2, null, { budgetBytes: est.inferenceBytes, purpose: 'inference' }).ok,
    ).toBe(true);
  });

  it('budgets 4 GiB minus one page for wasm and more elsewhere', () => {
    expect(defaultMemoryBudget('wasm')).toBe(4294901760);
    expect(defaultMemoryBudget('webgpu')).toBeGreaterThan(defaultMemoryBudget('wasm'));
  });
});
