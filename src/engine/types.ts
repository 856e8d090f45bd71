// The contract between the engine and everything above it (patch/, train/,
// eval/, worker/). The engine knows tensors and transformer maths, nothing
// about safety.
import type { tf } from './tf';

export type ModelType = 'gpt2' | 'llama' | 'mistral' | 'qwen2';

/** A normalised view of a Hugging Face config.json, whatever the architecture. */
export interface ModelConfig {
  modelType: ModelType;
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  intermediateSize: number;
  maxPositions: number;
  normEps: number;
  tieWordEmbeddings: boolean;
  /** Llama family only. */
  ropeTheta: number;
  ropeScaling: RopeScaling | null;
  /** Qwen2 has biases on q/k/v projections. */
  attentionBias: boolean;
  bosTokenId: number | null;
  eosTokenIds: number[];
  padTokenId: number | null;
}

export type RopeScaling =
  | { type: 'linear'; factor: number }
  | {
      type: 'llama3';
      factor: number;
      lowFreqFactor: number;
      highFreqFactor: number;
      originalMaxPositions: number;
    };

/**
 * Keys/values per layer, [batch, kvHeads, seq, headDim]; owned by the caller.
 * A growing cache has seq = length and each forward concatenates onto it; a
 * fixed-length one has seq = capacity from the start and each forward writes
 * its positions in place of zeros, so every decoding step has the same shapes.
 */
export interface KVCache {
  layers: { k: tf.Tensor4D; v: tf.Tensor4D }[];
  /** Number of positions already in the cache. */
  length: number;
  /** Set for a fixed-length cache: the positions it was allocated for. */
  capacity?: number;
}

export interface ForwardOptions {
  /** Cache of earlier positions; forward returns a new cache when given one or `useCache`. */
  cache?: KVCache;
  useCache?: boolean;
  /**
   * With `useCache` and no `cache`: allocate the returned cache fixed-length,
   * at this many positions (prompt + new tokens), instead of growing it.
   */
  cacheCapacity?: number;
  /**
   * [batch, cacheLength + seq], 1 = attend, 0 = padding. Omitted = all ones.
   * With a fixed-length cache (given, or asked for by cacheCapacity):
   * [batch, capacity], the columns not yet written 0.
   */
  attentionMask?: tf.Tensor2D;
  /** [batch, seq] absolute position ids. Omitted = cacheLength .. cacheLength+seq-1. */
  positionIds?: tf.Tensor2D;
  /**
   * Compute logits for the last position only ([batch, 1, vocab]). Generation
   * needs nothing else, and the vocab projection of every prompt position is
   * the most expensive single product of a prefill.
   */
  lastPositionOnly?: boolean;
  /**
   * Compute logits only for positions start .. start+length-1 ([batch,
   * length, vocab]); the hidden states are sliced before the final norm and
   * lm_head. Scoring reads the answer positions only, and the vocab
   * projection (with its gradient) of every prompt and prefix position is
   * otherwise the largest product of a training step.
   */
  outputPositions?: { start: number; length: number };
  /**
   * Gradient checkpointing: keep only each layer's input for the backward
   * pass and recompute the layer there, trading one extra forward per step
   * for the activations of every layer. Gradients reach the input embeddings
   * (the patch) only, so it needs frozen weights; no KV cache.
   */
  checkpointLayers?: boolean;
  /**
   * Llama family: backpropagate through every op on tfjs's tape instead of
   * the hand-written layer backward a training step over frozen weights
   * otherwise uses (llama-layer.ts). Same numbers, about ten times the
   * memory; for tests and before/after measurements.
   */
  autogradLayers?: boolean;
}

/** What CausalLM.targetLogProbs reads the answer tokens from. */
export interface TargetTokens {
  /** The token each output position predicts, [batch · length] row-major (any valid id where masked). */
  ids: Int32Array;
  /** Training: the gradient reaches the input embeddings. Scoring: no tape work at all. */
  withGrad: boolean;
}

export interface ForwardResult {
  /** [batch, seq, vocab] float32 */
  logits: tf.Tensor3D;
  cache?: KVCache;
}

/**
 * One causal LM, any architecture. The patch enters as extra rows of
 * `inputEmbeds`, so the same code serves base, patched and composed models.
 */
export interface CausalLM {
  readonly config: ModelConfig;
  /** Token ids [batch, seq] (int32) -> embeddings [batch, seq, hidden]. */
  embed(ids: tf.Tensor2D): tf.Tensor3D;
  forward(inputEmbeds: tf.Tensor3D, options?: ForwardOptions): ForwardResult;
  /**
   * log p(target) [batch, length] at options.outputPositions, without the
   * [positions, vocab] logits of all positions at once (target-log-probs.ts).
   * Optional: callers fall back to forward() + a log-softmax. No KV cache.
   */
  targetLogProbs?(
    inputEmbeds: tf.Tensor3D,
    options: ForwardOptions & { outputPositions: { start: number; length: number } },
    targets: TargetTokens,
  ): tf.Tensor2D;
  /** The input embedding matrix [vocab, hidden] (frozen; do not dispose). */
  embeddingMatrix(): tf.Tensor2D;
  dispose(): void;
}

/** Sampling settings shared by every generation in the lab. */
export interface SamplingOptions {
  maxNewTokens: number;
  /** 0 = greedy. */
  temperature: number;
  /** 0 = off. */
  topK: number;
  /** 1 = off. */
  topP: number;
  seed: number;
}

export interface GenerateOptions extends SamplingOptions {
  /** Patch rows [n, hidden] prepended to every sequence; null/undefined = no patch. */
  prefix?: tf.Tensor2D | null;
  /** Token ids that end a sequence (defaults to the config's EOS ids). */
  stopTokenIds?: number[];
  /**
   * Ends a sequence once its new tokens satisfy it (a chat marker spelled by
   * several tokens, chat-markers.ts); those tokens stay in the output for the
   * caller to cut.
   */
  stopWhen?: (tokens: number[]) => boolean;
  /** Called after each decoding step with the tokens appended to each sequence (-1 if finished). */
  onStep?: (step: number, tokens: number[]) => void;
  signal?: AbortSignal;
  /** Keep keys/values between steps (default true); false recomputes the whole sequence each step (for checks and benchmarks). */
  useCache?: boolean;
  /**
   * 'fixed' (default): one cache allocated for prompt + maxNewTokens, written
   * in place, so every step after the first has the same shapes. 'growing':
   * concatenated per step (the earlier layout, kept for checks and benchmarks).
   */
  cacheLayout?: 'fixed' | 'growing';
}

/** Log-probabilities of continuations given prompts (and optional patch). */
export interface ScoreResult {
  /** Sum of log p over each continuation's tokens. */
  sum: number[];
  /** Per-token log p of each continuation. */
  tokenLogProbs: number[][];
}

/** What the lab needs from a tokenizer; implemented over @huggingface/transformers. */
export interface TextTokenizer {
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  decode(ids: number[], options?: { skipSpecialTokens?: boolean }): string;
  /** Formats one user turn with the chat template (generation prompt added), or returns the text when the tokenizer has none. */
  formatUserPrompt(userText: string): string;
  readonly eosTokenIds: number[];
  readonly vocabSize: number;
}

/** Progress of reading one model file (bytes), for per-file progress bars. */
export interface FileProgress {
  file: string;
  loaded: number;
  /** null when the server did not say. */
  total: number | null;
}

/**
 * Where a model's files come from: the embedded demo under public/models/,
 * the Hugging Face hub (or a mirror), a user-picked local folder, or a
 * directory on disk in Node. Every source serves the same HF layout
 * (config.json, model.safetensors or model.safetensors.index.json + shards,
 * tokenizer.json, tokenizer_config.json, generation_config.json).
 */
export interface ModelFileSource {
  /** Stable id, e.g. "embedded:demo-base", "hub:HuggingFaceTB/SmolLM2-135M@main", "local:my-folder". */
  readonly id: string;
  /** Human-readable name for the UI. */
  readonly label: string;
  /** Model id and revision as they should appear in a patch manifest. */
  readonly modelId: string;
  readonly revision: string;
  /** The file's bytes, or null when the source does not have it (404 / not in folder). Other failures throw, naming the file. */
  read(
    file: string,
    options?: { onProgress?: (p: FileProgress) => void; signal?: AbortSignal },
  ): Promise<Uint8Array | null>;
}

/** The adapter limits that bound what can be loaded (WebGPU), or null when unknown/not WebGPU. */
export interface DeviceLimits {
  backend: string;
  maxBufferSize: number | null;
  maxStorageBufferBindingSize: number | null;
}
