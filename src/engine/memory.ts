// How much memory a model needs, worked out from its config alone, so the lab
// can refuse a model *before* downloading gigabytes it cannot hold. Numbers are
// for float32 on the device: bf16/f16 checkpoints are converted on load.

import { formatBytes } from './format-bytes';
import { rowsPerBlock } from './head-blocks';
import type { DeviceLimits, ModelConfig } from './types';

const F32 = 4;

/** The work one estimate is for. Defaults match the lab's training step. */
export interface Workload {
  batch: number;
  /** Prompt + answer tokens per sequence in a training step. */
  sequenceTokens: number;
  /** Patch rows prepended to every sequence. */
  prefixTokens: number;
  /** Tokens generated per sequence at inference (on top of prompt + prefix). */
  newTokens: number;
  /**
   * Positions per sequence the loss reads (the answer tokens): only they reach
   * the lm_head in a training step (ForwardOptions.outputPositions). Omitted =
   * every position, the conservative bound.
   */
  answerTokens?: number;
  /** Gradient checkpointing (ForwardOptions.checkpointLayers) in the training step. */
  checkpointLayers?: boolean;
}

/**
 * A training step at batch 4 × (128 tokens + 50 patch rows) with 64 answer
 * positions, checkpointed: the least such a step needs, which is what a load
 * checks (the Train panel checks the actual recipe before a run starts);
 * generation of 128 new tokens.
 */
export const DEFAULT_WORKLOAD: Workload = {
  batch: 4,
  sequenceTokens: 128,
  prefixTokens: 50,
  newTokens: 128,
  answerTokens: 64,
  checkpointLayers: true,
};

export interface MemoryEstimate {
  /** Exact parameter count of the checkpoint (tied embeddings counted once). */
  params: number;
  /** params × 4 bytes: weights as float32 on the device. */
  weightBytes: number;
  /** The biggest single weight tensor in bytes: it must fit in one GPU buffer. */
  largestTensorBytes: number;
  /** What that tensor is, in words, for messages ("embedding matrix"). */
  largestTensorName: string;
  /** Weights + KV cache + logits + one layer's working set while generating. */
  inferenceBytes: number;
  /** Weights + activations kept for backprop through a prefix-training step. */
  trainingBytes: number;
}

interface NamedTensor {
  name: string;
  elements: number;
}

/**
 * Every weight tensor *shape* that occurs in the checkpoint, with how many
 * times it occurs. Parameter count and largest tensor both come from this one
 * list, so they cannot disagree.
 */
function weightTensors(c: ModelConfig): { tensor: NamedTensor; count: number }[] {
  const H = c.hiddenSize;
  const V = c.vocabSize;
  const I = c.intermediateSize;
  const L = c.numLayers;
  const out: { tensor: NamedTensor; count: number }[] = [];
  const add = (name: string, elements: number, count = 1) => {
    if (elements > 0 && count > 0) out.push({ tensor: { name, elements }, count });
  };

  add('embedding matrix', V * H);
  // A tied LM head reuses the embedding matrix; otherwise it is its own [vocab, hidden] tensor.
  if (!c.tieWordEmbeddings) add('output projection (lm_head)', V * H);

  if (c.modelType === 'gpt2') {
    add('position embedding matrix', c.maxPositions * H);
    // GPT-2 packs q, k and v into one Conv1D `c_attn` of shape [H, 3H], with biases everywhere.
    add('attention weight (c_attn)', H * 3 * H, L);
    add('attention bias', 3 * H, L);
    add('attention output weight', H * H, L);
    add('attention output bias', H, L);
    add('MLP weight (c_fc)', H * I, L);
    add('MLP bias', I, L);
    add('MLP output weight', I * H, L);
    add('MLP output bias', H, L);
    add('layer norm', H, 2 * 2 * L); // ln_1 and ln_2, weight and bias each
    add('final layer norm', H, 2);
    return out;
  }

  // Llama family (llama, mistral, qwen2): RMSNorm (weight only), SwiGLU MLP, GQA.
  const qDim = c.numHeads * c.headDim;
  const kvDim = c.numKvHeads * c.headDim;
  add('attention query weight', H * qDim, L);
  add('attention key/value weight', H * kvDim, 2 * L);
  add('attention output weight', qDim * H, L);
  if (c.attentionBias) {
    add('attention query bias', qDim, L);
    add('attention key/value bias', kvDim, 2 * L);
    // HF's LlamaAttention puts `attention_bias` on o_proj too; Qwen2 biases q/k/v only
    // (its o_proj is bias-free) and Mistral has no attention biases at all.
    if (c.modelType === 'llama') add('attention output bias', H, L);
  }
  add('MLP weight', H * I, 3 * L); // gate, up, down
  add('RMS norm', H, 2 * L);
  add('final RMS norm', H);
  return out;
}

/** Exact parameter count from a config (see weightTensors for what is counted). */
export function countParameters(config: ModelConfig): number {
  return weightTensors(config).reduce((sum, t) => sum + t.tensor.elements * t.count, 0);
}

/**
 * Memory estimate for loading, generating with and prefix-training `config`
 * in float32. tfjs frees nothing during a backward pass: every tensor saved
 * for the gradient and every intermediate gradient stays until the step
 * ends. Counted per token per layer in float32 values, with coefficients
 * measured with trackPeakBytes (peak-bytes.ts) on SmolLM2-135M-shaped
 * layers, varying one dimension at a time (docs/BENCHMARKS.md "Memory" and
 * "Hand-written layer backward"). N = batch × T tokens, T = sequenceTokens +
 * prefixTokens.
 *
 * Llama family (llama, mistral, qwen2): a training step over frozen weights
 * runs each layer with its hand-written backward (llama-layer.ts), which
 * saves only what that backward reads and frees it layer by layer, so the
 * peak comes at the start of the backward:
 *   saved per layer = N × (2·H + heads·headDim + 2·kvDim + 2·I + heads·T + 2)
 *     (x0, h1, q, k, v, probabilities, gate, up, the two rsqrt factors)
 *   training = weights + L × saved + N × (4·I + 8·H) (the largest stage
 *     of one layer's backward, its SwiGLU part) + head
 *   with checkpointLayers: weights + L × 2·N·H (each layer's input and its
 *     gradient) + one layer's saved set + N × (4·I + 11·H) + head
 *
 * GPT-2 (autograd through every op; its coefficients were not measured
 * separately, the Llama ones are used):
 *   per layer = N × (57·H + 19·kvDim + 14·I + 6·heads·T)
 *   training = weights + L × per layer + head
 *   with checkpointLayers: weights + L × 2·N·H + one layer + head
 *
 * Both: the head runs in blocks of rows at the end of the forward
 *   (target-log-probs.ts): three [block, vocab] tensors at a time beside what
 *   the layers saved (Llama: L × saved, checkpointed L × N·H; GPT-2: its
 *   training term in full), so it adds max(0, that + 3 × min(A, block) × vocab
 *   − the layers' term); each row's input gradient and its scaled copy,
 *   2 × A × H, stay into the backward (A = batch × answer positions; all T
 *   when the workload does not say; block = rows per 16 MiB of logits;
 *   target-log-probs.test.ts measures the block; before it, 5 × A × vocab was
 *   measured and 6 × counted)
 *   + the patch and its gradient, 2 × prefixTokens × H
 *
 *   inference = weights + KV cache (2 × L × batch × T' × kvHeads·headDim,
 *     T' = prefix + sequence + newTokens) + prefill logits (batch × T × vocab)
 *     + one layer's working set (batch × T × (3·I + heads·T))
 */
export function estimateModelMemory(
  config: ModelConfig,
  workload: Workload = DEFAULT_WORKLOAD,
): MemoryEstimate {
  const tensors = weightTensors(config);
  const params = tensors.reduce((sum, t) => sum + t.tensor.elements * t.count, 0);
  const largest = tensors.reduce((a, b) => (b.tensor.elements > a.tensor.elements ? b : a)).tensor;
  const weightBytes = params * F32;
  const largestTensorBytes = largest.elements * F32;

  const H = config.hiddenSize;
  const I = config.intermediateSize;
  const V = config.vocabSize;
  const L = config.numLayers;
  const heads = config.numHeads;
  const kvDim = config.numKvHeads * config.headDim;
  const B = workload.batch;
  const T = workload.sequenceTokens + workload.prefixTokens;
  const N = B * T;

  const A = B * Math.min(T, workload.answerTokens ?? T);
  // The head's blocks (target-log-probs.ts) run at the end of the forward:
  // three [block, vocab] tensors at a time beside what the layers saved, and
  // g [A, H] with its scaled copy stays into the backward.
  const headBlock = 3 * Math.min(A, rowsPerBlock(V)) * V;
  const headKept = 2 * A * H;
  let layers: number;
  let savedAtForwardEnd: number;
  if (config.modelType === 'gpt2') {
    const perLayer = N * (57 * H + 19 * kvDim + 14 * I + 6 * heads * T);
    layers = workload.checkpointLayers ? L * 2 * N * H + perLayer : L * perLayer;
    savedAtForwardEnd = layers; // not measured apart: counted in full
  } else {
    const qDim = heads * config.headDim;
    const saved = N * (2 * H + qDim + 2 * kvDim + 2 * I + heads * T + 2);
    layers = workload.checkpointLayers
      ? L * 2 * N * H + saved + N * (4 * I + 11 * H)
      : L * saved + N * (4 * I + 8 * H);
    savedAtForwardEnd = workload.checkpointLayers ? L * N * H : L * saved;
  }
  const head = headKept + Math.max(0, savedAtForwardEnd + headBlock - layers);
  const patch = 2 * workload.prefixTokens * H;
  const trainingBytes = weightBytes + (layers + head + patch) * F32;

  const cachedPositions = T + workload.newTokens;
  const kvCache = 2 * L * B * cachedPositions * kvDim;
  const prefillLogits = N * V;
  const layerWorkingSet = N * (3 * I + heads * T);
  const inferenceBytes = weightBytes + (kvCache + prefillLogits + layerWorkingSet) * F32;

  return {
    params,
    weightBytes,
    largestTensorBytes,
    largestTensorName: largest.name,
    inferenceBytes,
    trainingBytes,
  };
}

/**
 * The total memory we are willing to plan for on each backend. wasm32 cannot
 * address more than 4 GiB (tfjs-backend-wasm's heap maximum is 4294901760
 * bytes). Browsers do not tell a page how much GPU or system memory it may
 * use, so elsewhere we take 16 GiB as the upper bound of what one tab can
 * hope to hold; callers with better knowledge pass their own budget.
 */
export function defaultMemoryBudget(backend: string): number {
  return backend === 'wasm' ? 4294901760 : 16 * 1024 ** 3;
}

export interface FitOptions {
  /** Name for messages, e.g. "Qwen2.5-0.5B". */
  modelName?: string;
  /** Which estimate must fit: training (default, the lab's main job) or inference only. */
  purpose?: 'training' | 'inference';
  /** Overrides defaultMemoryBudget(limits.backend). */
  budgetBytes?: number;
  workload?: Workload;
}

export type FitResult = { ok: true } | { ok: false; message: string };

/**
 * Whether a model can be loaded (and trained) here: its largest tensor must
 * fit in one WebGPU buffer, and the whole estimate within the memory budget.
 * `limits` null means unknown / not WebGPU: then only the budget is checked.
 */
export function checkModelFits(
  config: ModelConfig,
  limits: DeviceLimits | null,
  options: FitOptions = {},
): FitResult {
  const est = estimateModelMemory(config, options.workload);
  const name = options.modelName ?? 'this model';
  const backend = limits?.backend ?? 'cpu';

  const bufferLimits = [limits?.maxStorageBufferBindingSize, limits?.maxBufferSize].filter(
    (x): x is number => typeof x === 'number' && x > 0,
  );
  if (bufferLimits.length > 0) {
    const perBuffer = Math.min(...bufferLimits);
    if (est.largestTensorBytes > perBuffer) {
      return {
        ok: false,
        message:
          `This device's WebGPU limit is ${formatBytes(perBuffer)} per buffer; the ` +
          `${est.largestTensorName} of ${name} needs ${formatBytes(est.largestTensorBytes)} in one ` +
          'buffer. Choose a smaller model, or switch to the wasm backend.',
      };
    }
  }

  const purpose = options.purpose ?? 'training';
  // On wasm XNNPACK keeps a packed copy of every weight it multiplies by, in
  // the same heap: measured heap − tensor peak was 720 and 571 MiB beside
  // SmolLM2-135M's 513 MiB of weights (docs/BENCHMARKS.md "Memory").
  const packed = backend === 'wasm' ? est.weightBytes : 0;
  const needed = (purpose === 'training' ? est.trainingBytes : est.inferenceBytes) + packed;
  const budget = options.budgetBytes ?? defaultMemoryBudget(backend);
  if (needed > budget) {
    const what = purpose === 'training' ? 'Training a patch on' : 'Running';
    const bound =
      options.budgetBytes !== undefined
        ? `the memory budget is ${formatBytes(budget)}`
        : backend === 'wasm'
          ? `the wasm backend can address at most ${formatBytes(budget)}`
          : `the lab plans for at most ${formatBytes(budget)} in one browser tab`;
    // Checkpointing is worth suggesting only where it would make the step fit.
    const workload = options.workload ?? DEFAULT_WORKLOAD;
    const checkpointingFits =
      !workload.checkpointLayers &&
      estimateModelMemory(config, { ...workload, checkpointLayers: true }).trainingBytes + packed <=
        budget;
    const smaller =
      purpose === 'training'
        ? `Choose a smaller model, or lower the batch size or sequence length${checkpointingFits ? ', or turn on gradient checkpointing' : ''}.`
        : 'Choose a smaller model.';
    return {
      ok: false,
      message:
        `${what} ${name} needs about ${formatBytes(needed)} ` +
        `(${formatBytes(est.weightBytes)} of it float32 weights), but ${bound}. ${smaller}`,
    };
  }
  return { ok: true };
}
