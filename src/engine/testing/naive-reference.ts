// A deliberately naive transformer forward in plain TypeScript with float64
// loops, written from the HF modelling code and not from the engine, so the
// engine's tensor code can be checked against something obvious. One
// sequence at a time, no cache, no batching. Slow: use tiny models only.
import type { ModelConfig } from '../types';

export interface NaiveTensor {
  shape: number[];
  data: Float32Array;
}

type Vec = Float64Array<ArrayBuffer>;

function get(w: Map<string, NaiveTensor>, name: string): NaiveTensor {
  const t = w.get(name);
  if (!t) throw new Error(`naive reference: missing ${name}`);
  return t;
}

/** y = W x for a PyTorch Linear weight W [out, in] (+ bias). */
function linearOutIn(w: NaiveTensor, x: Vec, bias?: NaiveTensor): Vec {
  const [out, inn] = w.shape;
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let acc = bias ? bias.data[o] : 0;
    for (let i = 0; i < inn; i++) acc += w.data[o * inn + i] * x[i];
    y[o] = acc;
  }
  return y;
}

/** y = x W for a GPT-2 Conv1D weight W [in, out] (+ bias). */
function conv1d(w: NaiveTensor, x: Vec, bias: NaiveTensor): Vec {
  const [inn, out] = w.shape;
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let acc = bias.data[o];
    for (let i = 0; i < inn; i++) acc += x[i] * w.data[i * out + o];
    y[o] = acc;
  }
  return y;
}

function rmsnorm(x: Vec, w: NaiveTensor, eps: number): Vec {
  let ss = 0;
  for (const v of x) ss += v * v;
  const r = 1 / Math.sqrt(ss / x.length + eps);
  return x.map((v, i) => v * r * w.data[i]);
}

function layernorm(x: Vec, w: NaiveTensor, b: NaiveTensor, eps: number): Vec {
  let mu = 0;
  for (const v of x) mu += v;
  mu /= x.length;
  let varr = 0;
  for (const v of x) varr += (v - mu) * (v - mu);
  varr /= x.length;
  return x.map((v, i) => ((v - mu) / Math.sqrt(varr + eps)) * w.data[i] + b.data[i]);
}

function softmaxInPlace(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** HF's rope frequencies, recomputed here (incl. linear and llama3 scaling). */
function invFreqs(cfg: ModelConfig): number[] {
  const d = cfg.headDim;
  const base: number[] = [];
  for (let i = 0; i < d; i += 2) base.push(1 / cfg.ropeTheta ** (i / d));
  const sc = cfg.ropeScaling;
  if (sc === null) return base;
  if (sc.type === 'linear') return base.map((f) => f / sc.factor);
  const lowWl = sc.originalMaxPositions / sc.lowFreqFactor;
  const highWl = sc.originalMaxPositions / sc.highFreqFactor;
  return base.map((f) => {
    const wl = (2 * Math.PI) / f;
    const scaled = wl > lowWl ? f / sc.factor : f;
    const medium = !(wl < highWl) && !(wl > lowWl);
    if (!medium) return scaled;
    const smooth =
      (sc.originalMaxPositions / wl - sc.lowFreqFactor) / (sc.highFreqFactor - sc.lowFreqFactor);
    return (1 - smooth) * (scaled / sc.factor) + smooth * scaled;
  });
}

/** rotate_half convention: pairs (i, i + d/2). */
function rope(v: Vec, pos: number, freqs: number[]): Vec {
  const half = v.length / 2;
  const out = new Float64Array(v.length);
  for (let i = 0; i < half; i++) {
    const c = Math.cos(pos * freqs[i]);
    const s = Math.sin(pos * freqs[i]);
    out[i] = v[i] * c - v[i + half] * s;
    out[i + half] = v[i + half] * c + v[i] * s;
  }
  return out;
}

function geluNew(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

function row(t: NaiveTensor, r: number): Vec {
  const d = t.shape[1];
  return Float64Array.from(t.data.subarray(r * d, (r + 1) * d));
}

/**
 * Logits [seq][vocab] for `ids`, with optional `prefix` rows (already
 * embeddings) in front: positions 0.. cover prefix then tokens, and only the
 * token positions' logits are returned.
 */
export function naiveForward(
  cfg: ModelConfig,
  w: Map<string, NaiveTensor>,
  ids: number[],
  prefix: number[][] = [],
): number[][] {
  const isGpt2 = cfg.modelType === 'gpt2';
  const pre = isGpt2 ? (w.has('transformer.wte.weight') ? 'transformer.' : '') : 'model.';
  const wte = get(w, isGpt2 ? `${pre}wte.weight` : 'model.embed_tokens.weight');
  let xs: Vec[] = [...prefix.map((r) => Float64Array.from(r)), ...ids.map((id) => row(wte, id))];
  const n = xs.length;
  if (isGpt2) {
    const wpe = get(w, `${pre}wpe.weight`);
    xs = xs.map((x, p) => x.map((v, i) => v + wpe.data[p * cfg.hiddenSize + i]));
  }
  const hd = cfg.headDim;
  const group = cfg.numHeads / cfg.numKvHeads;
  const freqs = isGpt2 ? [] : invFreqs(cfg);

  for (let l = 0; l < cfg.numLayers; l++) {
    const P = isGpt2 ? `${pre}h.${l}.` : `model.layers.${l}.`;
    const normed = xs.map((x) =>
      isGpt2
        ? layernorm(x, get(w, `${P}ln_1.weight`), get(w, `${P}ln_1.bias`), cfg.normEps)
        : rmsnorm(x, get(w, `${P}input_layernorm.weight`), cfg.normEps),
    );
    let qs: Vec[];
    let ks: Vec[];
    let vs: Vec[];
    if (isGpt2) {
      const qkv = normed.map((x) =>
        conv1d(get(w, `${P}attn.c_attn.weight`), x, get(w, `${P}attn.c_attn.bias`)),
      );
      const H = cfg.hiddenSize;
      qs = qkv.map((t) => t.slice(0, H));
      ks = qkv.map((t) => t.slice(H, 2 * H));
      vs = qkv.map((t) => t.slice(2 * H, 3 * H));
    } else {
      const lin = (name: string) => (x: Vec) =>
        linearOutIn(get(w, `${P}self_attn.${name}.weight`), x, w.get(`${P}self_attn.${name}.bias`));
      qs = normed.map(lin('q_proj'));
      ks = normed.map(lin('k_proj'));
      vs = normed.map(lin('v_proj'));
    }
    const attnOut: Vec[] = [];
    for (let t = 0; t < n; t++) {
      const o = new Float64Array(cfg.numHeads * hd);
      for (let h = 0; h < cfg.numHeads; h++) {
        const kvh = Math.floor(h / group);
        let q = qs[t].slice(h * hd, (h + 1) * hd);
        if (!isGpt2) q = rope(q, t, freqs);
        const scores: number[] = [];
        for (let j = 0; j <= t; j++) {
          let k = ks[j].slice(kvh * hd, (kvh + 1) * hd);
          if (!isGpt2) k = rope(k, j, freqs);
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += q[i] * k[i];
          scores.push(dot / Math.sqrt(hd));
        }
        const p = softmaxInPlace(scores);
        for (let j = 0; j <= t; j++) {
          for (let i = 0; i < hd; i++) o[h * hd + i] += p[j] * vs[j][kvh * hd + i];
        }
      }
      attnOut.push(o);
    }
    xs = xs.map((x, t) => {
      const proj = isGpt2
        ? conv1d(get(w, `${P}attn.c_proj.weight`), attnOut[t], get(w, `${P}attn.c_proj.bias`))
        : linearOutIn(
            get(w, `${P}self_attn.o_proj.weight`),
            attnOut[t],
            w.get(`${P}self_attn.o_proj.bias`),
          );
      return x.map((v, i) => v + proj[i]);
    });
    xs = xs.map((x) => {
      let mlp: Vec;
      if (isGpt2) {
        const y = layernorm(x, get(w, `${P}ln_2.weight`), get(w, `${P}ln_2.bias`), cfg.normEps);
        const hdn = conv1d(get(w, `${P}mlp.c_fc.weight`), y, get(w, `${P}mlp.c_fc.bias`)).map(
          geluNew,
        );
        mlp = conv1d(get(w, `${P}mlp.c_proj.weight`), hdn, get(w, `${P}mlp.c_proj.bias`));
      } else {
        const y = rmsnorm(x, get(w, `${P}post_attention_layernorm.weight`), cfg.normEps);
        const g = linearOutIn(get(w, `${P}mlp.gate_proj.weight`), y);
        const u = linearOutIn(get(w, `${P}mlp.up_proj.weight`), y);
        const act = g.map((gv, i) => (gv / (1 + Math.exp(-gv))) * u[i]);
        mlp = linearOutIn(get(w, `${P}mlp.down_proj.weight`), act);
      }
      return x.map((v, i) => v + mlp[i]);
    });
  }
  const finals = xs
    .slice(prefix.length)
    .map((x) =>
      isGpt2
        ? layernorm(x, get(w, `${pre}ln_f.weight`), get(w, `${pre}ln_f.bias`), cfg.normEps)
        : rmsnorm(x, get(w, 'model.norm.weight'), cfg.normEps),
    );
  const head = cfg.tieWordEmbeddings ? wte : get(w, 'lm_head.weight');
  return finals.map((x) => Array.from(linearOutIn(head, x)));
}
