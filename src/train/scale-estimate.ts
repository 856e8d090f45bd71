// Expected GPU memory and time per update of a recipe on models too big for
// a tab, printed in a run bundle's README. These are estimates from stated
// formulas, not measurements: what a researcher needs to pick a GPU and a
// batch size before launching, and to notice when a run is far off.
import type { TrainRecipe } from './recipe';

/** The sizes that decide memory and compute; hidden, layers and heads as in the named public config. */
export interface ModelShape {
  name: string;
  params: number;
  hidden: number;
  layers: number;
  heads: number;
  vocab: number;
}

export const SCALE_SHAPES: readonly ModelShape[] = [
  {
    name: '1B (Llama-3.2-1B shape)',
    params: 1.24e9,
    hidden: 2048,
    layers: 16,
    heads: 32,
    vocab: 128256,
  },
  {
    name: '7B (Llama-2-7B shape)',
    params: 6.74e9,
    hidden: 4096,
    layers: 32,
    heads: 32,
    vocab: 32000,
  },
  {
    name: '13B (Llama-2-13B shape)',
    params: 13.0e9,
    hidden: 5120,
    layers: 40,
    heads: 40,
    vocab: 32000,
  },
];

/**
 * A100 80 GB: dense bf16 peak, a utilisation typical of short-sequence
 * training without fused kernels, and its HBM bandwidth.
 */
export const DEFAULT_GPU: GpuSpec = {
  name: 'A100 80 GB (312 bf16 TFLOP/s peak at 30 % utilisation, 2.0 TB/s)',
  peakTflops: 312,
  utilisation: 0.3,
  bandwidthTBs: 2.0,
};

export interface GpuSpec {
  name: string;
  peakTflops: number;
  utilisation: number;
  /** Memory bandwidth, TB/s: small batches are bound by reading the weights, not by FLOPs. */
  bandwidthTBs: number;
}

export interface StageEstimate {
  /** Sequence length: virtual tokens + prompt + answer. */
  seqLen: number;
  /** Sequences per micro-batch on one GPU (DPO: chosen and rejected of each pair). */
  sequences: number;
  weightsGiB: number;
  activationsGiB: number;
  logitsGiB: number;
  /** Weights + activations + logits + 1 GiB of CUDA context and allocator slack. */
  totalGiB: number;
  /** Compute of one update (all micro-batches of one GPU), TFLOP. */
  tflop: number;
  secondsPerUpdate: number;
}

const GiB = 1024 ** 3;

/**
 * One stage's estimate on one GPU. Under DDP every GPU holds the whole frozen
 * model and runs its own micro-batches, so per-GPU memory and time per update
 * do not depend on the number of GPUs; the global batch grows with it.
 *
 * - weights: 2 bytes per parameter (bf16), frozen: no gradients, no Adam state
 *   (the patch's own n × hidden × 3 floats are negligible);
 * - activations kept for the backward pass, which must reach the input
 *   embeddings through every layer: per layer s·b·h·(34 + 5·a·s/h) bytes
 *   (Korthikanti et al. 2022, bf16, no recomputation);
 * - logits: b·s·V·10 bytes (bf16 logits, their float32 copy and log-softmax);
 * - time per micro-batch: the larger of compute, 4·P·b·s FLOP (forward 2·P
 *   per token, backward to the activations 2·P; no weight gradients;
 *   attention's s² term ignored) at the GPU's peak × utilisation, and
 *   reading the weights twice (forward and backward), 2 × 2·P bytes at its
 *   bandwidth: small micro-batches are bandwidth-bound.
 */
export function estimateStage(
  shape: ModelShape,
  stage: { seqLen: number; sequences: number; gradAccumulation: number },
  gpu: GpuSpec = DEFAULT_GPU,
): StageEstimate {
  const { params, hidden: h, layers, heads: a, vocab } = shape;
  const s = stage.seqLen;
  const b = stage.sequences;
  const weights = 2 * params;
  const activations = layers * s * b * h * (34 + (5 * a * s) / h);
  const logits = b * s * vocab * 10;
  const flop = 4 * params * b * s * stage.gradAccumulation;
  const tflop = flop / 1e12;
  const computeSeconds = tflop / (gpu.peakTflops * gpu.utilisation);
  const readSeconds = (stage.gradAccumulation * 2 * weights) / (gpu.bandwidthTBs * 1e12);
  return {
    seqLen: s,
    sequences: b,
    weightsGiB: weights / GiB,
    activationsGiB: activations / GiB,
    logitsGiB: logits / GiB,
    totalGiB: (weights + activations + logits) / GiB + 1,
    tflop,
    secondsPerUpdate: Math.max(computeSeconds, readSeconds),
  };
}

/** SFT and DPO estimates of a recipe on one model shape. */
export function estimateRecipe(
  shape: ModelShape,
  recipe: Pick<
    TrainRecipe,
    'nVirtualTokens' | 'maxPromptTokens' | 'maxAnswerTokens' | 'batchSize' | 'gradAccumulation'
  >,
  gpu: GpuSpec = DEFAULT_GPU,
): { sft: StageEstimate; dpo: StageEstimate } {
  const seqLen = recipe.nVirtualTokens + recipe.maxPromptTokens + recipe.maxAnswerTokens;
  const g = recipe.gradAccumulation;
  return {
    sft: estimateStage(shape, { seqLen, sequences: recipe.batchSize, gradAccumulation: g }, gpu),
    dpo: estimateStage(
      shape,
      { seqLen, sequences: 2 * recipe.batchSize, gradAccumulation: g },
      gpu,
    ),
  };
}
