// SmolLM2-135M's config.json (the fields the engine reads), shared by the
// config tests and the bench, which fills this shape with random weights.
export const SMOLLM2_135M_CONFIG = {
  model_type: 'llama',
  vocab_size: 49152,
  hidden_size: 576,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  intermediate_size: 1536,
  max_position_embeddings: 8192,
  rms_norm_eps: 1e-5,
  rope_theta: 100000,
  tie_word_embeddings: true,
  bos_token_id: 0,
  eos_token_id: 0,
};
