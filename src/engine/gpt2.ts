// GPT-2: learned absolute positions (wpe), pre-LayerNorm blocks, fused qkv
// projection, gelu_new MLP, lm_head tied to wte. HF stores its projections as
// Conv1D, i.e. already [in, out], so no transpose is needed at load.

import { attend, attentionBias, defaultPositions, fixedCacheWrite } from './attention';
import { checkpointed } from './checkpoint';
import { embedLookup } from './embedding';
import {
  applyHead,
  cacheCapacity,
  checkForwardInput,
  checkTargetInput,
  type HeadUse,
  headInput,
} from './forward-input';
import { Linear } from './linear';
import { isTrainable } from './matmul';
import { tf } from './tf';
import type {
  CausalLM,
  ForwardOptions,
  ForwardResult,
  KVCache,
  ModelConfig,
  TargetTokens,
} from './types';
import { currentPartLimits, type VocabHead, type VocabPartLimits, VocabTable } from './vocab-table';

/** Canonical (prefix-free) GPT-2 tensor names and shapes. */
export function gpt2WeightShapes(config: ModelConfig): Map<string, number[]> {
  const h = config.hiddenSize;
  const inner = config.intermediateSize;
  const m = new Map<string, number[]>();
  m.set('wte.weight', [config.vocabSize, h]);
  m.set('wpe.weight', [config.maxPositions, h]);
  for (let l = 0; l < config.numLayers; l++) {
    const p = `h.${l}`;
    m.set(`${p}.ln_1.weight`, [h]);
    m.set(`${p}.ln_1.bias`, [h]);
    m.set(`${p}.attn.c_attn.weight`, [h, 3 * h]);
    m.set(`${p}.attn.c_attn.bias`, [3 * h]);
    m.set(`${p}.attn.c_proj.weight`, [h, h]);
    m.set(`${p}.attn.c_proj.bias`, [h]);
    m.set(`${p}.ln_2.weight`, [h]);
    m.set(`${p}.ln_2.bias`, [h]);
    m.set(`${p}.mlp.c_fc.weight`, [h, inner]);
    m.set(`${p}.mlp.c_fc.bias`, [inner]);
    m.set(`${p}.mlp.c_proj.weight`, [inner, h]);
    m.set(`${p}.mlp.c_proj.bias`, [h]);
  }
  m.set('ln_f.weight', [h]);
  m.set('ln_f.bias', [h]);
  return m;
}

/**
 * Checkpoints name tensors "transformer.h.0..." (GPT2LMHeadModel) or
 * "h.0..." (GPT2Model); both map to the prefix-free name.
 */
export function canonicalGpt2Name(name: string): string {
  return name.startsWith('transformer.') ? name.slice('transformer.'.length) : name;
}

function layerNorm(x: tf.Tensor, w: tf.Tensor1D, b: tf.Tensor1D, eps: number): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), w), b);
}

/** gelu_new: the tanh approximation GPT-2 was trained with. */
function geluNew(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

interface Gpt2Layer {
  ln1w: tf.Tensor1D;
  ln1b: tf.Tensor1D;
  qkv: Linear;
  proj: Linear;
  ln2w: tf.Tensor1D;
  ln2b: tf.Tensor1D;
  fc: Linear;
  fcProj: Linear;
}

class Gpt2Model implements CausalLM {
  private readonly w: Map<string, tf.Tensor>;
  private readonly layers: Gpt2Layer[] = [];
  private readonly wte: VocabTable;
  private readonly lmHead: VocabHead;
  private disposed = false;

  constructor(
    readonly config: ModelConfig,
    weights: Map<string, tf.Tensor>,
    partLimits: VocabPartLimits,
  ) {
    this.w = new Map([...weights].map(([n, t]) => [canonicalGpt2Name(n), t]));
    for (const [name, shape] of gpt2WeightShapes(config)) {
      const t = this.w.get(name);
      if (!t) throw new Error(`missing weight "${name}" for gpt2 model`);
      if (t.shape.join(',') !== shape.join(',')) {
        throw new Error(
          `weight "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}] from config.json`,
        );
      }
    }
    const g = <T extends tf.Tensor>(n: string) => this.w.get(n) as T;
    for (let l = 0; l < config.numLayers; l++) {
      const p = `h.${l}`;
      const lin = (n: string) =>
        Linear.fromInOut(g<tf.Tensor2D>(`${p}.${n}.weight`), g<tf.Tensor1D>(`${p}.${n}.bias`));
      this.layers.push({
        ln1w: g(`${p}.ln_1.weight`),
        ln1b: g(`${p}.ln_1.bias`),
        qkv: lin('attn.c_attn'),
        proj: lin('attn.c_proj'),
        ln2w: g(`${p}.ln_2.weight`),
        ln2b: g(`${p}.ln_2.bias`),
        fc: lin('mlp.c_fc'),
        fcProj: lin('mlp.c_proj'),
      });
    }
    // The lm_head is tied to wte; the position table (maxPositions rows) stays whole.
    this.wte = VocabTable.create(g('wte.weight'), partLimits);
    this.lmHead = this.wte.asHead();
  }

  embed(ids: tf.Tensor2D): tf.Tensor3D {
    return this.wte.lookup(ids);
  }

  embeddingMatrix(): tf.Tensor2D {
    return this.wte.matrix();
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
    if (cacheLen + s > cfg.maxPositions) {
      throw new Error(
        `sequence of ${cacheLen + s} positions exceeds GPT-2's ${cfg.maxPositions} learned positions`,
      );
    }
    const wantCache = options.useCache || past !== undefined;
    const capacity = cacheCapacity(options, wantCache);
    if (options.checkpointLayers) {
      if (wantCache) throw new Error('checkpointLayers is for training: it cannot fill a KV cache');
      if ([...this.w.values()].some(isTrainable)) {
        throw new Error(
          'checkpointLayers needs frozen weights: its recomputed layers pass gradients to the input only',
        );
      }
    }
    return tf.tidy(() => {
      const positions = options.positionIds ?? defaultPositions(b, s, cacheLen);
      const wpe = this.w.get('wpe.weight') as tf.Tensor2D;
      let h: tf.Tensor = tf.add(inputEmbeds, embedLookup(wpe, positions));
      const makeBias = () => attentionBias(s, cacheLen, 1, options.attentionMask, capacity);
      const fixed = capacity === undefined ? undefined : fixedCacheWrite(capacity, cacheLen, s);
      // A checkpointed layer runs again in the backward pass, after this tidy
      // has freed everything it made, so it rebuilds its (cheap) mask there.
      const shared = options.checkpointLayers ? null : makeBias();
      const layers: KVCache['layers'] = [];
      const split = (t: tf.Tensor) => t.reshape([b, s, cfg.numHeads, cfg.headDim]) as tf.Tensor4D;
      const layer = (L: Gpt2Layer, l: number, x0: tf.Tensor) => {
        const x = layerNorm(x0, L.ln1w, L.ln1b, cfg.normEps);
        const [q, k, v] = tf.split(L.qkv.apply(x), 3, 2);
        const bias = shared ?? makeBias();
        const a = attend({
          q: split(q),
          k: split(k),
          v: split(v),
          past: past?.layers[l],
          bias,
          fixed,
        });
        const h1 = tf.add(x0, L.proj.apply(a.out));
        const y = layerNorm(h1, L.ln2w, L.ln2b, cfg.normEps);
        return { out: tf.add(h1, L.fcProj.apply(geluNew(L.fc.apply(y)))), k: a.k, v: a.v };
      };
      this.layers.forEach((L, l) => {
        if (options.checkpointLayers) {
          h = checkpointed((x) => layer(L, l, x).out, h);
          return;
        }
        const r = layer(L, l, h);
        h = r.out;
        if (wantCache) layers.push({ k: r.k, v: r.v });
      });
      h = headInput(h, options);
      const normed = layerNorm(
        h,
        this.w.get('ln_f.weight') as tf.Tensor1D,
        this.w.get('ln_f.bias') as tf.Tensor1D,
        cfg.normEps,
      );
      const out = applyHead(this.lmHead, normed as tf.Tensor3D, use);
      return wantCache ? { out, cache: { layers, length: cacheLen + s, capacity } } : { out };
    });
  }

  /** Disposes every weight except tf.Variables (those belong to whoever trains them). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.lmHead.dispose();
    this.wte.dispose();
    for (const t of this.w.values()) if (!(t instanceof tf.Variable)) t.dispose();
  }
}

/**
 * Builds GPT-2 over HF-named weights (with or without the "transformer."
 * prefix). Takes ownership of the map's tensors like createLlamaModel.
 */
export function createGpt2Model(
  config: ModelConfig,
  weights: Map<string, tf.Tensor>,
  partLimits: VocabPartLimits = currentPartLimits(),
): CausalLM {
  if (config.modelType !== 'gpt2')
    throw new Error(`createGpt2Model: config is ${config.modelType}, not gpt2`);
  return new Gpt2Model(config, weights, partLimits);
}
