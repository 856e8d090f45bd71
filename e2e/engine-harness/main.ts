// A page for e2e/engine-webgpu.spec.ts: the engine's own modules built by
// Vite for the browser, so Chromium runs them on tfjs-backend-webgpu
// (SwiftShader in headless Chromium here) and on wasm in the same page. The
// spec calls these functions with page.evaluate.
import { useBackend } from '../../src/engine/backends';
import { parseModelConfig } from '../../src/engine/config';
import { generate } from '../../src/engine/generate';
import { createLlamaModel, initRandomLlamaWeights } from '../../src/engine/llama';
import { tf } from '../../src/engine/tf';
import type { GenerateOptions } from '../../src/engine/types';
import {
  currentPartLimits,
  NO_PART_LIMITS,
  type VocabPartLimits,
} from '../../src/engine/vocab-table';

type Backend = 'wasm' | 'webgpu';

/** A small Llama with grouped-query attention; vocab 300 so a split is easy to provoke. */
function config(tied: boolean, hidden = 32, layers = 2) {
  return parseModelConfig({
    model_type: 'llama',
    vocab_size: 300,
    hidden_size: hidden,
    num_hidden_layers: layers,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    intermediate_size: 2 * hidden,
    max_position_embeddings: 256,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: tied,
    bos_token_id: 0,
    eos_token_id: 0,
  });
}

async function on(backend: Backend): Promise<void> {
  const r = await useBackend(backend);
  if (!r.ok) throw new Error(`${backend}: ${r.error}`);
}

export const harness = {
  /** The adapter's binding limit, and what the engine reads as its part limit on webgpu. */
  async limits(): Promise<{ adapter: number | null; engine: VocabPartLimits; backend: string }> {
    await on('webgpu');
    const adapter = await navigator.gpu?.requestAdapter();
    return {
      adapter: adapter?.limits.maxStorageBufferBindingSize ?? null,
      engine: currentPartLimits(),
      backend: tf.getBackend(),
    };
  },

  /**
   * Logits of one 6-token forward on `backend`, with the vocabulary tables
   * cut to `partRows` rows a part (by bytes) or whole; and how many tensors
   * building the model added beyond the unsplit build (the parts).
   */
  async logits(
    backend: Backend,
    tied: boolean,
    partRows: number | null,
  ): Promise<{ values: number[]; extraTensors: number; backend: string }> {
    await on(backend);
    const cfg = config(tied);
    const limits = partRows
      ? { maxBytes: partRows * cfg.hiddenSize * 4, maxRows: Infinity }
      : NO_PART_LIMITS;
    const whole = createLlamaModel(cfg, initRandomLlamaWeights(cfg, 7), NO_PART_LIMITS);
    const wholeCount = tf.memory().numTensors;
    whole.dispose();
    const base = tf.memory().numTensors;
    const model = createLlamaModel(cfg, initRandomLlamaWeights(cfg, 7), limits);
    const extraTensors = tf.memory().numTensors - base - (wholeCount - base);
    const ids = [3, 299, 64, 65, 128, 0];
    const out = tf.tidy(
      () => model.forward(model.embed(tf.tensor2d([ids], [1, ids.length], 'int32'))).logits,
    );
    const values = Array.from(await out.data());
    out.dispose();
    model.dispose();
    return { values, extraTensors, backend: tf.getBackend() };
  },

  /**
   * Greedy generation with each cache layout on `backend`: the tokens, and
   * new tokens per second (after one warm-up run of each, so shader
   * compilation of the shapes a layout reuses is not counted twice).
   */
  async generation(
    backend: Backend,
    newTokens: number,
    hidden = 32,
  ): Promise<Record<string, { tokens: number[][]; tokensPerSecond: number }>> {
    await on(backend);
    const cfg = config(true, hidden, 2);
    const model = createLlamaModel(cfg, initRandomLlamaWeights(cfg, 11), currentPartLimits());
    const prompts = [
      [5, 9, 17, 33, 2, 8],
      [1, 250],
    ];
    const greedy = { temperature: 0, topK: 0, topP: 1, seed: 0, stopTokenIds: [] };
    const layouts: Record<string, Partial<GenerateOptions>> = {
      fixed: { cacheLayout: 'fixed' },
      growing: { cacheLayout: 'growing' },
      none: { useCache: false },
    };
    const out: Record<string, { tokens: number[][]; tokensPerSecond: number }> = {};
    try {
      for (const [name, layout] of Object.entries(layouts)) {
        await generate(model, prompts, { ...greedy, ...layout, maxNewTokens: newTokens });
        const t0 = performance.now();
        const tokens = await generate(model, prompts, {
          ...greedy,
          ...layout,
          maxNewTokens: newTokens,
        });
        out[name] = { tokens, tokensPerSecond: newTokens / ((performance.now() - t0) / 1000) };
      }
    } finally {
      model.dispose();
    }
    return out;
  },
};

declare global {
  var engineHarness: typeof harness;
}
globalThis.engineHarness = harness;
document.body.dataset.ready = 'true';
