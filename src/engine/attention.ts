// Scaled dot-product attention shared by every architecture: causal and
// padding masks, grouped-query heads and the KV cache.
//
// Grouped-query attention without copying K/V: the `group` query heads that
// share one KV head are stacked along the sequence axis, so
// q [B, kvHeads, group*S, hd] @ kᵀ [B, kvHeads, hd, T] serves them all. Query
// head h uses KV head floor(h / group), as in HF's repeat_kv.
import { matMul, swapLast } from './matmul';
import { tf } from './tf';

/** Added to the scores of masked positions. Finite, so a fully masked row (a pad query) stays finite. */
const MASKED = -1e9;

/**
 * Additive attention bias [B|1, 1, group*S, cacheLen+S]: 0 where query i may
 * see key j (j <= cacheLen + i and the key is not padding), MASKED elsewhere.
 * Computed once per forward and shared by all layers.
 */
export function attentionBias(
  seq: number,
  cacheLen: number,
  group: number,
  attentionMask?: tf.Tensor2D,
): tf.Tensor4D {
  const total = cacheLen + seq;
  if (attentionMask && attentionMask.shape[1] !== total) {
    throw new Error(
      `attentionMask has ${attentionMask.shape[1]} columns but cache (${cacheLen}) + input (${seq}) = ${total}`,
    );
  }
  const causal = new Float32Array(group * seq * total);
  for (let g = 0; g < group; g++) {
    for (let i = 0; i < seq; i++) {
      const row = (g * seq + i) * total;
      for (let j = cacheLen + i + 1; j < total; j++) causal[row + j] = MASKED;
    }
  }
  const causalT = tf.tensor4d(causal, [1, 1, group * seq, total]);
  if (!attentionMask) return causalT;
  return tf.tidy(() => {
    const pad = tf
      .sub(1, tf.cast(attentionMask, 'float32'))
      .mul(MASKED)
      .reshape([attentionMask.shape[0], 1, 1, total]);
    return tf.add(causalT, pad) as tf.Tensor4D;
  });
}

export interface AttentionInputs {
  /** [B, S, heads, hd], positions already encoded, not yet scaled. */
  q: tf.Tensor4D;
  /** [B, S, kvHeads, hd] */
  k: tf.Tensor4D;
  v: tf.Tensor4D;
  /** Earlier keys/values [B, kvHeads, P, hd], or none. */
  past?: { k: tf.Tensor4D; v: tf.Tensor4D };
  bias: tf.Tensor4D;
}

/** Returns the attention output [B, S, heads*hd] and the full keys/values [B, kvHeads, P+S, hd] for the cache. */
export function attend({ q, k, v, past, bias }: AttentionInputs): {
  out: tf.Tensor3D;
  k: tf.Tensor4D;
  v: tf.Tensor4D;
} {
  const [b, s, heads, hd] = q.shape;
  const kvHeads = k.shape[2];
  const group = heads / kvHeads;
  let kh = tf.transpose(k, [0, 2, 1, 3]) as tf.Tensor4D;
  let vh = tf.transpose(v, [0, 2, 1, 3]) as tf.Tensor4D;
  if (past) {
    kh = tf.concat([past.k, kh], 2);
    vh = tf.concat([past.v, vh], 2);
  }
  // Scale q rather than the scores: S*hd multiplies instead of S*T.
  const scaled = tf.mul(q, 1 / Math.sqrt(hd));
  const qh =
    group === 1
      ? tf.transpose(scaled, [0, 2, 1, 3])
      : tf
          .transpose(scaled.reshape([b, s, kvHeads, group, hd]), [0, 2, 3, 1, 4])
          .reshape([b, kvHeads, group * s, hd]);
  const scores = tf.add(matMul(qh, swapLast(kh)), bias);
  const probs = tf.softmax(scores);
  const ctx = matMul(probs, vh); // [B, kvHeads, group*S, hd]
  const out =
    group === 1
      ? tf.transpose(ctx, [0, 2, 1, 3]).reshape([b, s, heads * hd])
      : tf
          .transpose(ctx.reshape([b, kvHeads, group, s, hd]), [0, 3, 1, 2, 4])
          .reshape([b, s, heads * hd]);
  return { out: out as tf.Tensor3D, k: kh, v: vh };
}

/** Default position ids: cacheLen .. cacheLen+seq-1 for every row, [B, S] float32. */
export function defaultPositions(batch: number, seq: number, cacheLen: number): tf.Tensor2D {
  const p = new Float32Array(batch * seq);
  for (let r = 0; r < batch; r++) for (let i = 0; i < seq; i++) p[r * seq + i] = cacheLen + i;
  return tf.tensor2d(p, [batch, seq]);
}
