// The one place that maps a config's model_type to its implementation, its
// expected tensors and its tensor naming, so the loader stays architecture-free.
import { canonicalGpt2Name, createGpt2Model, gpt2WeightShapes } from './gpt2';
import { createLlamaModel, llamaWeightShapes } from './llama';
import type { tf } from './tf';
import type { CausalLM, ModelConfig } from './types';
import { currentPartLimits, type VocabPartLimits } from './vocab-table';

/** Every tensor the model needs, by canonical name, with its shape. */
export function expectedWeightShapes(config: ModelConfig): Map<string, number[]> {
  return config.modelType === 'gpt2' ? gpt2WeightShapes(config) : llamaWeightShapes(config);
}

/** The canonical name of a checkpoint tensor (GPT-2 files may carry a "transformer." prefix). */
export function canonicalWeightName(config: ModelConfig, name: string): string {
  return config.modelType === 'gpt2' ? canonicalGpt2Name(name) : name;
}

/**
 * Builds the model for `config` over canonical-named weights (taking
 * ownership of them). Vocabulary tables larger than `partLimits` (by default
 * the current device's, vocab-table.ts) are held in parts.
 */
export function createModel(
  config: ModelConfig,
  weights: Map<string, tf.Tensor>,
  partLimits: VocabPartLimits = currentPartLimits(),
): CausalLM {
  return config.modelType === 'gpt2'
    ? createGpt2Model(config, weights, partLimits)
    : createLlamaModel(config, weights, partLimits);
}
