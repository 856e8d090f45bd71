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

/** Keys/values per layer, [batch, kvHeads, seq, headDim]; owned by the caller. */
export interface KVCache {
  layers: { k: tf.Tensor4D; v: tf.Tensor4D }[];
  /** Number of positions already in the cache. */
  length: number;
}

export interface ForwardOptions {
  /** Cache of earlier positions; forward returns a new cache when given one or `useCache`. */
  cache?: KVCache;
  useCache?: boolean;
  /** [batch, cacheLength + seq], 1 = attend, 0 = padding. Omitted = all ones. */
  attentionMask?: tf.Tensor2D;
  /** [batch, seq] absolute position ids. Omitted = cacheLength .. cacheLength+seq-1. */
  positionIds?: tf.Tensor2D;
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
  /** Called after each decoding step with the tokens appended to each sequence (-1 if finished). */
  onStep?: (step: number, tokens: number[]) => void;
  signal?: AbortSignal;
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
