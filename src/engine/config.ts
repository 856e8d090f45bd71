// Turns a Hugging Face config.json into the engine's ModelConfig. Every
// architecture spells the same facts differently (n_embd vs hidden_size,
// rope_scaling vs rope_parameters); this is the one place that knows how.
import type { ModelConfig, ModelType, RopeScaling } from './types';

export const SUPPORTED_MODEL_TYPES: readonly ModelType[] = ['llama', 'mistral', 'qwen2', 'gpt2'];

export class ModelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

type Json = Record<string, unknown>;

function num(cfg: Json, key: string, fallback?: number): number {
  const v = cfg[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new ModelConfigError(`config.json is missing "${key}"`);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ModelConfigError(`config.json "${key}" must be a number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function posInt(cfg: Json, key: string, fallback?: number): number {
  const v = num(cfg, key, fallback);
  if (!Number.isInteger(v) || v <= 0) {
    throw new ModelConfigError(`config.json "${key}" must be a positive integer, got ${v}`);
  }
  return v;
}

/**
 * A strictly positive number. Epsilons, rope bases and scaling factors of 0 or
 * below can only give NaN or Inf (x / sqrt(0 + 0), theta^(-2i/d) with theta ≤ 0,
 * frequencies divided by 0), so such a config is refused before any weight is read.
 */
function positive(cfg: Json, key: string, why: string, fallback?: number): number {
  const v = num(cfg, key, fallback);
  if (!(v > 0)) {
    throw new ModelConfigError(`config.json "${key}" must be greater than 0 (${why}), got ${v}`);
  }
  return v;
}

function optId(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

function idList(v: unknown): number[] {
  if (Array.isArray(v)) return v.filter((x): x is number => optId(x) !== null);
  const one = optId(v);
  return one === null ? [] : [one];
}

function bool(cfg: Json, key: string, fallback: boolean): boolean {
  const v = cfg[key];
  return typeof v === 'boolean' ? v : fallback;
}

/**
 * Rope scaling lives in "rope_scaling" (transformers < 5) or
 * "rope_parameters" (transformers 5), with the kind under "type" or
 * "rope_type". Only the kinds whose maths we implement are accepted.
 */
function parseRope(cfg: Json): { theta: number; scaling: RopeScaling | null } {
  const params = (cfg.rope_parameters ?? null) as Json | null;
  const scaling = (cfg.rope_scaling ?? params) as Json | null;
  const thetaWhy = 'the rotary base; 0 or less gives NaN frequencies';
  const theta =
    cfg.rope_theta !== undefined && cfg.rope_theta !== null
      ? positive(cfg, 'rope_theta', thetaWhy)
      : params && typeof params === 'object' && params.rope_theta !== undefined
        ? positive(params, 'rope_theta', thetaWhy)
        : 10000;
  if (!scaling || typeof scaling !== 'object') return { theta, scaling: null };
  const kind = scaling.rope_type ?? scaling.type ?? 'default';
  if (kind === 'default') return { theta, scaling: null };
  const factor = positive(scaling, 'factor', 'rope frequencies are divided by it');
  if (kind === 'linear') return { theta, scaling: { type: 'linear', factor } };
  if (kind === 'llama3') {
    const lowFreqFactor = positive(scaling, 'low_freq_factor', 'a wavelength bound divides by it');
    const highFreqFactor = positive(
      scaling,
      'high_freq_factor',
      'a wavelength bound divides by it',
    );
    // The smooth band divides by (high - low): equal factors give 0/0.
    if (!(highFreqFactor > lowFreqFactor)) {
      throw new ModelConfigError(
        `config.json rope scaling "high_freq_factor" (${highFreqFactor}) must be greater than "low_freq_factor" (${lowFreqFactor})`,
      );
    }
    return {
      theta,
      scaling: {
        type: 'llama3',
        factor,
        lowFreqFactor,
        highFreqFactor,
        originalMaxPositions: posInt(scaling, 'original_max_position_embeddings'),
      },
    };
  }
  throw new ModelConfigError(
    `rope scaling type "${String(kind)}" is not supported (supported: default, linear, llama3)`,
  );
}

function parseLlamaFamily(cfg: Json, modelType: 'llama' | 'mistral' | 'qwen2'): ModelConfig {
  const hiddenSize = posInt(cfg, 'hidden_size');
  const numHeads = posInt(cfg, 'num_attention_heads');
  const numKvHeads = posInt(cfg, 'num_key_value_heads', numHeads);
  if (numHeads % numKvHeads !== 0) {
    throw new ModelConfigError(
      `num_attention_heads (${numHeads}) must be a multiple of num_key_value_heads (${numKvHeads})`,
    );
  }
  const headDim = posInt(cfg, 'head_dim', Math.floor(hiddenSize / numHeads));
  if (headDim % 2 !== 0)
    throw new ModelConfigError(`head_dim must be even for RoPE, got ${headDim}`);
  if (cfg.mlp_bias === true) {
    throw new ModelConfigError('config.json "mlp_bias": true is not supported');
  }
  const rope = parseRope(cfg);
  return {
    modelType,
    vocabSize: posInt(cfg, 'vocab_size'),
    hiddenSize,
    numLayers: posInt(cfg, 'num_hidden_layers'),
    numHeads,
    numKvHeads,
    headDim,
    intermediateSize: posInt(cfg, 'intermediate_size'),
    maxPositions: posInt(cfg, 'max_position_embeddings', 2048),
    normEps: positive(cfg, 'rms_norm_eps', 'RMSNorm divides by sqrt(mean + eps)', 1e-6),
    // LlamaConfig, MistralConfig and Qwen2Config all default to untied.
    tieWordEmbeddings: bool(cfg, 'tie_word_embeddings', false),
    ropeTheta: rope.theta,
    ropeScaling: rope.scaling,
    // Qwen2 always has q/k/v biases; Llama may opt in with attention_bias.
    attentionBias: modelType === 'qwen2' ? true : bool(cfg, 'attention_bias', false),
    bosTokenId: optId(cfg.bos_token_id),
    eosTokenIds: idList(cfg.eos_token_id),
    padTokenId: optId(cfg.pad_token_id),
  };
}

// gelu_new and gelu_pytorch_tanh are the same tanh approximation.
const GPT2_ACTIVATIONS = ['gelu_new', 'gelu_pytorch_tanh'];

function parseGpt2(cfg: Json): ModelConfig {
  const hiddenSize = posInt(cfg, 'n_embd');
  const numHeads = posInt(cfg, 'n_head');
  if (hiddenSize % numHeads !== 0) {
    throw new ModelConfigError(`n_embd (${hiddenSize}) must be a multiple of n_head (${numHeads})`);
  }
  const act = cfg.activation_function ?? 'gelu_new';
  if (typeof act !== 'string' || !GPT2_ACTIVATIONS.includes(act)) {
    throw new ModelConfigError(
      `GPT-2 activation_function "${String(act)}" is not supported (supported: ${GPT2_ACTIVATIONS.join(', ')})`,
    );
  }
  if (cfg.scale_attn_by_inverse_layer_idx === true || cfg.scale_attn_weights === false) {
    throw new ModelConfigError(
      'GPT-2 variants with scale_attn_by_inverse_layer_idx or without scale_attn_weights are not supported',
    );
  }
  return {
    modelType: 'gpt2',
    vocabSize: posInt(cfg, 'vocab_size'),
    hiddenSize,
    numLayers: posInt(cfg, 'n_layer'),
    numHeads,
    numKvHeads: numHeads,
    headDim: hiddenSize / numHeads,
    intermediateSize: posInt(cfg, 'n_inner', 4 * hiddenSize),
    maxPositions: posInt(cfg, 'n_positions', 1024),
    normEps: positive(cfg, 'layer_norm_epsilon', 'LayerNorm divides by sqrt(var + eps)', 1e-5),
    // GPT2LMHeadModel always ties lm_head to wte.
    tieWordEmbeddings: true,
    ropeTheta: 0,
    ropeScaling: null,
    attentionBias: true,
    bosTokenId: optId(cfg.bos_token_id),
    eosTokenIds: idList(cfg.eos_token_id),
    padTokenId: optId(cfg.pad_token_id),
  };
}

/** Parses a config.json object (already JSON.parse'd) into a ModelConfig, or throws ModelConfigError. */
export function parseModelConfig(json: unknown): ModelConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelConfigError('config.json must be a JSON object');
  }
  const cfg = json as Json;
  const type = cfg.model_type;
  switch (type) {
    case 'llama':
    case 'mistral':
    case 'qwen2':
      return parseLlamaFamily(cfg, type);
    case 'gpt2':
      return parseGpt2(cfg);
    default:
      throw new ModelConfigError(
        `model_type "${String(type)}" is not supported; supported model types: ${SUPPORTED_MODEL_TYPES.join(', ')}`,
      );
  }
}

/** The inverse of parseModelConfig for Llama-family configs: writes an HF config.json object. */
export function toHfConfigJson(config: ModelConfig): Record<string, unknown> {
  if (config.modelType === 'gpt2') {
    return {
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      vocab_size: config.vocabSize,
      n_embd: config.hiddenSize,
      n_layer: config.numLayers,
      n_head: config.numHeads,
      n_inner: config.intermediateSize,
      n_positions: config.maxPositions,
      layer_norm_epsilon: config.normEps,
      activation_function: 'gelu_new',
      bos_token_id: config.bosTokenId,
      eos_token_id: config.eosTokenIds.length === 1 ? config.eosTokenIds[0] : config.eosTokenIds,
      torch_dtype: 'float32',
    };
  }
  const arch = {
    llama: 'LlamaForCausalLM',
    mistral: 'MistralForCausalLM',
    qwen2: 'Qwen2ForCausalLM',
  };
  const s = config.ropeScaling;
  return {
    model_type: config.modelType,
    architectures: [arch[config.modelType]],
    vocab_size: config.vocabSize,
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numLayers,
    num_attention_heads: config.numHeads,
    num_key_value_heads: config.numKvHeads,
    head_dim: config.headDim,
    intermediate_size: config.intermediateSize,
    max_position_embeddings: config.maxPositions,
    rms_norm_eps: config.normEps,
    tie_word_embeddings: config.tieWordEmbeddings,
    rope_theta: config.ropeTheta,
    rope_scaling:
      s === null
        ? null
        : s.type === 'linear'
          ? { rope_type: 'linear', factor: s.factor }
          : {
              rope_type: 'llama3',
              factor: s.factor,
              low_freq_factor: s.lowFreqFactor,
              high_freq_factor: s.highFreqFactor,
              original_max_position_embeddings: s.originalMaxPositions,
            },
    ...(config.modelType === 'llama' ? { attention_bias: config.attentionBias } : {}),
    bos_token_id: config.bosTokenId,
    eos_token_id: config.eosTokenIds.length === 1 ? config.eosTokenIds[0] : config.eosTokenIds,
    pad_token_id: config.padTokenId,
    hidden_act: 'silu',
    torch_dtype: 'float32',
  };
}
