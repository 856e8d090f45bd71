// The Llama family forward pass (llama, mistral, qwen2; SmolLM2 and TinyLlama
// are llama): RMSNorm, RoPE, grouped-query attention, SwiGLU MLP, tied or
// untied lm_head, optional q/k/v biases. Weights use HF tensor names.

import { attend, attentionBias, defaultPositions, fixedCacheWrite } from './attention';
import { checkpointed } from './checkpoint';
import {
  applyHead,
  cacheCapacity,
  checkForwardInput,
  checkTargetInput,
  type HeadUse,
  headInput,
} from './forward-input';
import { Linear } from './linear';
import { isRecordingGradients, type LlamaLayer, llamaLayerWithBackward } from './llama-layer';
import { isTrainable } from './matmul';
import { Rng } from './rng';
import { applyRope, ropeInverseFrequencies, ropeTables } from './rope';
import { tf } from './tf';
import type {
  CausalLM,
  ForwardOptions,
  ForwardResult,
  KVCache,
  ModelConfig,
  TargetTokens,
} from './types';
import {
  currentPartLimits,
  untiedHead,
  type VocabHead,
  type VocabPartLimits,
  VocabTable,
} from './vocab-table';

/** Every tensor a Llama-family checkpoint must have, with its HF name and shape. */
export function llamaWeightShapes(config: ModelConfig): Map<string, number[]> {
  const { hiddenSize: h, numHeads, numKvHeads, headDim: hd, intermediateSize: inter } = config;
  const m = new Map<string, number[]>();
  m.set('model.embed_tokens.weight', [config.vocabSize, h]);
  for (let l = 0; l < config.numLayers; l++) {
    const p = `model.layers.${l}`;
    m.set(`${p}.input_layernorm.weight`, [h]);
    m.set(`${p}.self_attn.q_proj.weight`, [numHeads * hd, h]);
    m.set(`${p}.self_attn.k_proj.weight`, [numKvHeads * hd, h]);
    m.set(`${p}.self_attn.v_proj.weight`, [numKvHeads * hd, h]);
    m.set(`${p}.self_attn.o_proj.weight`, [h, numHeads * hd]);
    if (config.attentionBias) {
      m.set(`${p}.self_attn.q_proj.bias`, [numHeads * hd]);
      m.set(`${p}.self_attn.k_proj.bias`, [numKvHeads * hd]);
      m.set(`${p}.self_attn.v_proj.bias`, [numKvHeads * hd]);
      // Llama's attention_bias also covers o_proj; Qwen2 has none there.
      if (config.modelType !== 'qwen2') m.set(`${p}.self_attn.o_proj.bias`, [h]);
    }
    m.set(`${p}.post_attention_layernorm.weight`, [h]);
    m.set(`${p}.mlp.gate_proj.weight`, [inter, h]);
    m.set(`${p}.mlp.up_proj.weight`, [inter, h]);
    m.set(`${p}.mlp.down_proj.weight`, [h, inter]);
  }
  m.set('model.norm.weight', [h]);
  if (!config.tieWordEmbeddings) m.set('lm_head.weight', [config.vocabSize, h]);
  return m;
}

/**
 * Random weights for training from scratch or benchmarking: matrices and
 * biases ~ N(0, 0.02²) (biases 0), norm weights 1, drawn from the seeded Rng
 * so every backend gets the same model.
 */
export function initRandomLlamaWeights(config: ModelConfig, seed: number): Map<string, tf.Tensor> {
  const rng = new Rng(seed);
  const out = new Map<string, tf.Tensor>();
  for (const [name, shape] of llamaWeightShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (name.endsWith('norm.weight')) data.fill(1);
    else if (!name.endsWith('.bias')) for (let i = 0; i < n; i++) data[i] = 0.02 * rng.normal();
    out.set(name, tf.tensor(data, shape));
  }
  return out;
}

export function rmsNorm(x: tf.Tensor, weight: tf.Tensor1D, eps: number): tf.Tensor {
  const variance = tf.mean(tf.square(x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(variance, eps))), weight);
}

class LlamaModel implements CausalLM {
  private readonly layers: LlamaLayer[];
  private readonly embedding: VocabTable;
  private readonly finalNorm: tf.Tensor1D;
  private readonly lmHead: VocabHead;
  private readonly invFreq: tf.Tensor1D;
  private disposed = false;

  constructor(
    readonly config: ModelConfig,
    private readonly weights: Map<string, tf.Tensor>,
    partLimits: VocabPartLimits,
  ) {
    const expected = llamaWeightShapes(config);
    for (const [name, shape] of expected) {
      const t = weights.get(name);
      if (!t) throw new Error(`missing weight "${name}" for ${config.modelType} model`);
      if (t.shape.join(',') !== shape.join(',')) {
        throw new Error(
          `weight "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}] from config.json`,
        );
      }
    }
    const w = (n: string) => weights.get(n) as tf.Tensor;
    const opt = (n: string) => weights.get(n) as tf.Tensor1D | undefined;
    this.embedding = VocabTable.create(w('model.embed_tokens.weight') as tf.Tensor2D, partLimits);
    this.layers = [];
    for (let l = 0; l < config.numLayers; l++) {
      const p = `model.layers.${l}`;
      const lin = (n: string) =>
        Linear.fromOutIn(w(`${p}.${n}.weight`) as tf.Tensor2D, opt(`${p}.${n}.bias`));
      this.layers.push({
        inputNorm: w(`${p}.input_layernorm.weight`) as tf.Tensor1D,
        q: lin('self_attn.q_proj'),
        k: lin('self_attn.k_proj'),
        v: lin('self_attn.v_proj'),
        o: lin('self_attn.o_proj'),
        postNorm: w(`${p}.post_attention_layernorm.weight`) as tf.Tensor1D,
        gate: lin('mlp.gate_proj'),
        up: lin('mlp.up_proj'),
        down: lin('mlp.down_proj'),
      });
    }
    this.finalNorm = w('model.norm.weight') as tf.Tensor1D;
    this.lmHead = config.tieWordEmbeddings
      ? this.embedding.asHead()
      : untiedHead(w('lm_head.weight') as tf.Tensor2D, partLimits);
    this.invFreq = tf.tensor1d(ropeInverseFrequencies(config));
  }

  embed(ids: tf.Tensor2D): tf.Tensor3D {
    return this.embedding.lookup(ids);
  }

  embeddingMatrix(): tf.Tensor2D {
    return this.embedding.matrix();
  }

  forward(inputEmbeds: tf.Tensor3D, options: ForwardOptions = {}): ForwardResult {
    const { out, cache } = this.run(inputEmbeds, options, { kind: 'logits' });
    return cache ? { logits: out as tf.Tensor3D, cache } : { logits: out as tf.Tensor3D };
  }

  targetLogProbs(
    inputEmbeds: tf.Tensor3D,
    options: ForwardOptions & { outputPositions: { start: number; length: number } },
    targets: TargetTokens,
  ): tf.Tensor2D {
    checkTargetInput(inputEmbeds, options, targets);
    return this.run(inputEmbeds, options, { kind: 'targets', targets }).out as tf.Tensor2D;
  }

  /** The forward pass up to the head, then `use` of it: logits, or the targets' log-probs. */
  private run(
    inputEmbeds: tf.Tensor3D,
    options: ForwardOptions,
    use: HeadUse,
  ): { out: tf.Tensor; cache?: KVCache } {
    const cfg = this.config;
    const [b, s] = checkForwardInput(inputEmbeds, cfg, this.disposed, options);
    const past = options.cache;
    const cacheLen = past?.length ?? 0;
    const wantCache = options.useCache || past !== undefined;
    const capacity = cacheCapacity(options, wantCache);
    const frozen = ![...this.weights.values()].some(isTrainable);
    if (options.checkpointLayers) {
      if (wantCache) throw new Error('checkpointLayers is for training: it cannot fill a KV cache');
      if (!frozen) {
        throw new Error(
          'checkpointLayers needs frozen weights: its recomputed layers pass gradients to the input only',
        );
      }
    }
    // A training step over frozen weights runs each layer with its
    // hand-written backward (llama-layer.ts). Checked per layer call: a
    // checkpointed layer's first forward runs with the tape off (plain
    // layer), its recompute in the backward pass under a tape (this one).
    const handBackward = () =>
      frozen && !wantCache && !options.autogradLayers && isRecordingGradients();
    return tf.tidy(() => {
      const tables = () => {
        const positions = options.positionIds ?? defaultPositions(b, s, cacheLen);
        return {
          ...ropeTables(positions, this.invFreq),
          bias: attentionBias(
            s,
            cacheLen,
            cfg.numHeads / cfg.numKvHeads,
            options.attentionMask,
            capacity,
          ),
          fixed: capacity === undefined ? undefined : fixedCacheWrite(capacity, cacheLen, s),
        };
      };
      // A checkpointed layer runs again in the backward pass, after this
      // tidy has freed everything it made, so it rebuilds its (cheap) tables.
      const shared = options.checkpointLayers ? null : tables();
      let h: tf.Tensor = inputEmbeds;
      const layers: KVCache['layers'] = [];
      const layer = (L: LlamaLayer, l: number, x0: tf.Tensor) => {
        const { cos, sin, bias, fixed } = shared ?? tables();
        if (handBackward()) {
          const out = llamaLayerWithBackward(L, cfg, x0 as tf.Tensor3D, { cos, sin, bias });
          return { out, k: undefined, v: undefined };
        }
        const x = rmsNorm(x0, L.inputNorm, cfg.normEps);
        const q = L.q.apply(x).reshape([b, s, cfg.numHeads, cfg.headDim]) as tf.Tensor4D;
        const k = L.k.apply(x).reshape([b, s, cfg.numKvHeads, cfg.headDim]) as tf.Tensor4D;
        const v = L.v.apply(x).reshape([b, s, cfg.numKvHeads, cfg.headDim]) as tf.Tensor4D;
        const a = attend({
          q: applyRope(q, cos, sin),
          k: applyRope(k, cos, sin),
          v,
          past: past?.layers[l],
          bias,
          fixed,
        });
        const h1 = tf.add(x0, L.o.apply(a.out));
        const y = rmsNorm(h1, L.postNorm, cfg.normEps);
        const g = L.gate.apply(y);
        const out = tf.add(h1, L.down.apply(tf.mul(tf.mul(g, tf.sigmoid(g)), L.up.apply(y))));
        return { out, k: a.k, v: a.v };
      };
      this.layers.forEach((L, l) => {
        if (options.checkpointLayers) {
          h = checkpointed((x) => layer(L, l, x).out, h);
          return;
        }
        const r = layer(L, l, h);
        h = r.out;
        if (wantCache && r.k && r.v) layers.push({ k: r.k, v: r.v });
      });
      h = headInput(h, options);
      const out = applyHead(
        this.lmHead,
        rmsNorm(h, this.finalNorm, cfg.normEps) as tf.Tensor3D,
        use,
      );
      return wantCache ? { out, cache: { layers, length: cacheLen + s, capacity } } : { out };
    });
  }

  /** Disposes every weight except tf.Variables (those belong to whoever trains them). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const L of this.layers)
      for (const lin of [L.q, L.k, L.v, L.o, L.gate, L.up, L.down]) lin.dispose();
    this.lmHead.dispose();
    this.embedding.dispose();
    for (const t of this.weights.values()) if (!(t instanceof tf.Variable)) t.dispose();
    this.invFreq.dispose();
  }
}

/**
 * Builds a Llama-family model over HF-named weights. The model takes
 * ownership of the map's tensors: frozen projection matrices are transposed
 * once into the [in, out] layout (the originals disposed, so one copy stays
 * resident), and dispose() frees them. tf.Variables are used as given, so
 * tf.variableGrads reaches them; the caller keeps and disposes those.
 */
export function createLlamaModel(
  config: ModelConfig,
  weights: Map<string, tf.Tensor>,
  partLimits: VocabPartLimits = currentPartLimits(),
): CausalLM {
  if (config.modelType === 'gpt2')
    throw new Error('createLlamaModel: config is gpt2, use createGpt2Model');
  return new LlamaModel(config, weights, partLimits);
}
