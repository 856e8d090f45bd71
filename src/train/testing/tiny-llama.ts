// A tiny random Llama from the engine (1 layer, hidden 16, vocab 32) for the
// trainer's integration tests. The engine's init draws N(0, 0.02²), which makes
// an almost input-independent model; the weights are scaled up so the patch
// and the prompt visibly change the logits (and gradients are not ~0).
import { parseModelConfig } from '../../engine/config';
import { createLlamaModel, initRandomLlamaWeights } from '../../engine/llama';
import { tf } from '../../engine/tf';
import type { CausalLM } from '../../engine/types';

export function createTinyLlama(
  seed: number,
  opts: { vocab?: number; hidden?: number } = {},
): CausalLM {
  const vocab = opts.vocab ?? 32;
  const hidden = opts.hidden ?? 16;
  const config = parseModelConfig({
    model_type: 'llama',
    vocab_size: vocab,
    hidden_size: hidden,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    intermediate_size: 2 * hidden,
    max_position_embeddings: 256,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: true,
    bos_token_id: 0,
    eos_token_id: 1,
  });
  const weights = initRandomLlamaWeights(config, seed);
  for (const [name, t] of weights) {
    if (name.endsWith('norm.weight')) continue;
    weights.set(
      name,
      tf.tidy(() => t.mul(25)),
    );
    t.dispose();
  }
  return createLlamaModel(config, weights);
}
