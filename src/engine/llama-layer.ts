// One Llama decoder layer over frozen weights with a hand-written backward,
// for prefix training: the gradient flows to the layer input only.
//
// Why: tfjs's tape keeps every tensor each op saves and every intermediate
// gradient until the whole step ends (tape.ts backpropagateGradients), about
// N·(57·H + 19·kvDim + 14·I + 6·heads·T) floats per layer for N tokens. Here
// the layer is one tf.customGrad: its forward saves only what the backward
// reads (below), and its backward computes dx0 by explicit formulas inside a
// tf.tidy and then frees the layer's saved tensors, so the backward's
// intermediates and this layer's activations are gone before the next
// layer's backward starts.
//
// Saved per layer, per token, in float32 values:
//   x0 (H), the two rsqrt factors (1 + 1), h1 (H): the RMSNorm backwards
//   q rotated and scaled (heads·hd), k rotated (kvDim), v (kvDim), in the
//   grouped head layout the products use (attention.ts toKvGroups)
//   the attention probabilities (heads·T)
//   gate g and up u (I + I)
// = 2·H + heads·hd + 2·kvDim + 2·I + heads·T + 2, and the shared RoPE
// tables (referenced, not copied). The normed inputs of the projections are
// not kept: a frozen weight's product needs only the output gradient.
import { fromKvGroups, toKvGroups } from './attention';
import type { Linear } from './linear';
import { batchMatMul, swapLast } from './matmul';
import { applyRope } from './rope';
import { tf } from './tf';
import type { ModelConfig } from './types';

export interface LlamaLayer {
  inputNorm: tf.Tensor1D;
  q: Linear;
  k: Linear;
  v: Linear;
  o: Linear;
  postNorm: tf.Tensor1D;
  gate: Linear;
  up: Linear;
  down: Linear;
}

/** The per-forward tables every layer shares. */
export interface LayerTables {
  /** [B, S, 1, hd/2] */
  cos: tf.Tensor4D;
  sin: tf.Tensor4D;
  /** Additive attention bias [B|1, 1, group*S, S] (attention.ts attentionBias). */
  bias: tf.Tensor4D;
}

/**
 * True while a gradient tape records the ops being run (inside tf.grad and
 * its kin, and not inside a kernel or a customGrad forward): the forward is
 * a training step's.
 */
export function isRecordingGradients(): boolean {
  const state = tf.engine().state as unknown as { gradientDepth: number; kernelDepth: number };
  return state.gradientDepth > 0 && state.kernelDepth === 0;
}

/** rsqrt(mean(x², -1) + eps), [..., 1]. */
function rmsFactor(x: tf.Tensor, eps: number): tf.Tensor {
  return tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps));
}

/**
 * The gradient of y = x·r·w (r = rmsFactor(x)) for the output gradient dy:
 * r·(dy·w − x·r²·mean(dy·w·x)).
 */
function rmsNormBackward(dy: tf.Tensor, x: tf.Tensor, r: tf.Tensor, w: tf.Tensor1D): tf.Tensor {
  const dyw = tf.mul(dy, w);
  const m = tf.mean(tf.mul(dyw, x), -1, true);
  return tf.mul(r, tf.sub(dyw, tf.mul(x, tf.mul(tf.square(r), m))));
}

/**
 * fs applied in turn to x, each intermediate result freed as soon as the
 * next exists (x itself is kept): a chain of elementwise ops then holds two
 * temporaries at a time instead of all of them.
 */
function pipe(x: tf.Tensor, ...fs: ((t: tf.Tensor) => tf.Tensor)[]): tf.Tensor {
  let cur = x;
  for (const f of fs) {
    const next = tf.tidy(() => f(cur));
    if (cur !== x) cur.dispose();
    cur = next;
  }
  return cur;
}

/**
 * The layer's output for x0 [B, S, H] with no KV cache; its gradient reaches
 * x0 only (the weights must be frozen: Linear.inputGrad refuses trainable
 * ones). Same maths as llama.ts's autograd layer: RMSNorm, q/k/v (+ biases),
 * RoPE, causal/padding bias, softmax attention with grouped KV heads, o,
 * residual, RMSNorm, SwiGLU, residual.
 */
export function llamaLayerWithBackward(
  L: LlamaLayer,
  cfg: ModelConfig,
  x0: tf.Tensor3D,
  tables: LayerTables,
): tf.Tensor3D {
  const { numHeads: heads, numKvHeads: kvHeads, headDim: hd, normEps: eps } = cfg;
  const [b, s] = x0.shape;
  const scale = 1 / Math.sqrt(hd);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    const { cos, sin, bias } = tables;
    // Each stage in its own tidy, so a stage's temporaries are freed when it
    // ends rather than when the whole layer does.
    const r1 = tf.tidy(() => rmsFactor(x, eps));
    const [qh, kh, vh] = tf.tidy(() => {
      const xn = tf.mul(tf.mul(x, r1), L.inputNorm);
      const q = L.q.apply(xn).reshape([b, s, heads, hd]) as tf.Tensor4D;
      const k = L.k.apply(xn).reshape([b, s, kvHeads, hd]) as tf.Tensor4D;
      const v = L.v.apply(xn).reshape([b, s, kvHeads, hd]) as tf.Tensor4D;
      // [B, kvHeads, group*S, hd] and [B, kvHeads, S, hd], as attention.ts attend().
      return [
        toKvGroups(tf.mul(applyRope(q, cos, sin), scale) as tf.Tensor4D, kvHeads),
        tf.transpose(applyRope(k, cos, sin), [0, 2, 1, 3]) as tf.Tensor4D,
        tf.transpose(v, [0, 2, 1, 3]) as tf.Tensor4D,
      ];
    });
    const probs = tf.tidy(() => tf.softmax(tf.add(batchMatMul(qh, swapLast(kh)), bias)));
    const h1 = tf.tidy(() =>
      tf.add(x, L.o.apply(fromKvGroups(batchMatMul(probs, vh) as tf.Tensor4D, heads))),
    );
    const r2 = tf.tidy(() => rmsFactor(h1, eps));
    const [g, u] = tf.tidy(() => {
      const y = tf.mul(tf.mul(h1, r2), L.postNorm);
      return [L.gate.apply(y), L.up.apply(y)];
    });
    const out = tf.tidy(() => tf.add(h1, L.down.apply(tf.mul(tf.mul(g, tf.sigmoid(g)), u))));
    save([x, r1, qh, kh, vh, probs, h1, r2, g, u, cos, sin]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sr1, sqh, skh, svh, sp, sh1, sr2, sg, su, scos, ssin] = saved;
        // The layer's saved tensors are freed as soon as the last stage
        // reading them is done: the tape itself would free them only when
        // the whole step ends (Tensor.dispose is idempotent, so its own
        // clean-up is unaffected).
        const free = (...ts: tf.Tensor[]) => {
          for (const t of ts) t.dispose();
        };
        // SwiGLU: m = silu(g)·u, silu'(g) = σ(g)(1 + g(1 − σ(g))).
        // The [N, I] temporaries are the backward's largest, so they are
        // chained (pipe) rather than held to the end of one tidy.
        const dm = tf.tidy(() => L.down.inputGrad(dy));
        const sig = tf.sigmoid(sg);
        const dxu = tf.tidy(() =>
          L.up.inputGrad(
            pipe(
              sig,
              (t) => tf.mul(t, sg),
              (t) => tf.mul(t, dm),
            ),
          ),
        );
        const dsilu = pipe(
          sig,
          (t) => tf.sub(1, t),
          (t) => tf.mul(t, sg),
          (t) => tf.add(t, 1),
          (t) => tf.mul(t, sig),
        );
        free(sig, sg);
        const dxg = tf.tidy(() =>
          L.gate.inputGrad(
            pipe(
              dm,
              (t) => tf.mul(t, su),
              (t) => tf.mul(t, dsilu),
            ),
          ),
        );
        free(dm, dsilu, su);
        const dyn = tf.add(dxg, dxu);
        free(dxg, dxu);
        const dh1 = tf.tidy(() => tf.add(dy, rmsNormBackward(dyn, sh1, sr2, L.postNorm)));
        free(dyn, sh1, sr2);
        // Attention: ctx = P·V, P = softmax(qh·khᵀ + bias).
        const dctx = tf.tidy(() =>
          toKvGroups(L.o.inputGrad(dh1).reshape([b, s, heads, hd]) as tf.Tensor4D, kvHeads),
        );
        // The group's query heads are stacked along the rows, so this
        // product already sums dv over the heads sharing a KV head.
        const dv = tf.tidy(() =>
          tf.transpose(batchMatMul(swapLast(sp), dctx), [0, 2, 1, 3]).reshape([b, s, kvHeads * hd]),
        );
        // Softmax backward: dS = P·(dP − Σ dP·P).
        const dp = tf.tidy(() => batchMatMul(dctx, swapLast(svh)));
        const rowSum = tf.tidy(() => tf.sum(tf.mul(dp, sp), -1, true));
        const ds = pipe(
          dp,
          (t) => tf.sub(t, rowSum),
          (t) => tf.mul(t, sp),
        );
        free(dp, rowSum);
        free(dctx, svh, sp);
        // RoPE backward: the rotation by −θ.
        const nsin = tf.neg(ssin) as tf.Tensor4D;
        const c4 = scos as tf.Tensor4D;
        const dxq = tf.tidy(() => {
          const dqh = tf.mul(batchMatMul(ds, skh), scale) as tf.Tensor4D;
          const dq = fromKvGroups(dqh, heads).reshape([b, s, heads, hd]) as tf.Tensor4D;
          return L.q.inputGrad(applyRope(dq, c4, nsin).reshape([b, s, heads * hd]));
        });
        free(skh);
        const dxk = tf.tidy(() => {
          const dk = tf.transpose(batchMatMul(swapLast(ds), sqh), [0, 2, 1, 3]) as tf.Tensor4D;
          return L.k.inputGrad(applyRope(dk, c4, nsin).reshape([b, s, kvHeads * hd]));
        });
        free(ds, sqh, nsin, scos, ssin);
        const dx = tf.tidy(() => {
          const dxn = tf.addN([dxq, dxk, L.v.inputGrad(dv)]);
          return tf.add(dh1, rmsNormBackward(dxn, sx, sr1, L.inputNorm));
        });
        free(dv, dxq, dxk, dh1, sx, sr1);
        return dx;
      },
    };
  }) as unknown as (x: tf.Tensor3D) => tf.Tensor3D;
  return op(x0);
}
