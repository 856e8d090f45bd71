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
 * Additive attention bias [B|1, 1, group*S, keys]: 0 where query i may see
 * key j (j <= cacheLen + i and the key is not padding), MASKED elsewhere.
 * `keys` is cacheLen + S, or a fixed-length cache's capacity (its columns
 * past cacheLen + i are masked like any future position). Computed once per
 * forward and shared by all layers.
 */
export function attentionBias(
  seq: number,
  cacheLen: number,
  group: number,
  attentionMask?: tf.Tensor2D,
  capacity?: number,
): tf.Tensor4D {
  const total = capacity ?? cacheLen + seq;
  if (attentionMask && attentionMask.shape[1] !== total) {
    throw new Error(
      capacity === undefined
        ? `attentionMask has ${attentionMask.shape[1]} columns but cache (${cacheLen}) + input (${seq}) = ${total}`
        : `attentionMask has ${attentionMask.shape[1]} columns but the fixed-length cache holds ${capacity} positions`,
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

/**
 * Where one forward writes into a fixed-length cache: `capacity` positions,
 * the first `cacheLen` already filled, this input's `seq` going to
 * cacheLen .. cacheLen+seq-1. The masks are tensors (not slice bounds), so
 * every decoding step runs the same shapes: on WebGPU each new shape means
 * new shaders, which made a growing (concatenated) cache slower than none.
 */
export interface FixedCacheWrite {
  capacity: number;
  cacheLen: number;
  seq: number;
  /** [1, 1, capacity, 1]: 1 at the positions written now, else 0. */
  write: tf.Tensor4D;
  /** 1 - write. */
  keep: tf.Tensor4D;
}

export function fixedCacheWrite(capacity: number, cacheLen: number, seq: number): FixedCacheWrite {
  if (cacheLen + seq > capacity) {
    throw new Error(
      `the fixed-length cache holds ${capacity} positions; ${cacheLen} are filled and ${seq} more do not fit`,
    );
  }
  const w = new Float32Array(capacity);
  w.fill(1, cacheLen, cacheLen + seq);
  const write = tf.tensor4d(w, [1, 1, capacity, 1]);
  return { capacity, cacheLen, seq, write, keep: tf.sub(1, write) as tf.Tensor4D };
}

/** Keys or values [B, kvHeads, S, hd] written into the fixed cache `past` ([B, kvHeads, capacity, hd], or zeros). */
function writeFixed(fresh: tf.Tensor4D, past: tf.Tensor4D | undefined, f: FixedCacheWrite) {
  // One new position broadcasts along the capacity axis; several are padded into place.
  const placed =
    f.seq === 1
      ? fresh
      : tf.pad(fresh, [
          [0, 0],
          [0, 0],
          [f.cacheLen, f.capacity - f.cacheLen - f.seq],
          [0, 0],
        ]);
  const written = tf.mul(placed, f.write);
  return (past ? tf.add(tf.mul(past, f.keep), written) : written) as tf.Tensor4D;
}

export interface AttentionInputs {
  /** [B, S, heads, hd], positions already encoded, not yet scaled. */
  q: tf.Tensor4D;
  /** [B, S, kvHeads, hd] */
  k: tf.Tensor4D;
  v: tf.Tensor4D;
  /** Earlier keys/values [B, kvHeads, P, hd] (P = capacity for a fixed cache), or none. */
  past?: { k: tf.Tensor4D; v: tf.Tensor4D };
  bias: tf.Tensor4D;
  /** Set for a fixed-length cache: keys/values are written into it instead of concatenated. */
  fixed?: FixedCacheWrite;
}

/**
 * Returns the attention output [B, S, heads*hd] and the full keys/values
 * for the cache: [B, kvHeads, P+S, hd], or [B, kvHeads, capacity, hd] with
 * a fixed-length cache.
 */
export function attend({ q, k, v, past, bias, fixed }: AttentionInputs): {
  out: tf.Tensor3D;
  k: tf.Tensor4D;
  v: tf.Tensor4D;
} {
  const [, , heads, hd] = q.shape;
  const kvHeads = k.shape[2];
  let kh = tf.transpose(k, [0, 2, 1, 3]) as tf.Tensor4D;
  let vh = tf.transpose(v, [0, 2, 1, 3]) as tf.Tensor4D;
  if (fixed) {
    kh = writeFixed(kh, past?.k, fixed);
    vh = writeFixed(vh, past?.v, fixed);
  } else if (past) {
    kh = tf.concat([past.k, kh], 2);
    vh = tf.concat([past.v, vh], 2);
  }
  // Scale q rather than the scores: S*hd multiplies instead of S*T.
  const qh = toKvGroups(tf.mul(q, 1 / Math.sqrt(hd)) as tf.Tensor4D, kvHeads);
  const scores = tf.add(matMul(qh, swapLast(kh)), bias);
  const probs = tf.softmax(scores);
  const ctx = matMul(probs, vh); // [B, kvHeads, group*S, hd]
  return { out: fromKvGroups(ctx as tf.Tensor4D, heads), k: kh, v: vh };
}

/**
 * Query-shaped x [B, S, heads, hd] -> [B, kvHeads, group*S, hd]: the `group`
 * query heads of each KV head stacked along the sequence axis (see the top).
 */
export function toKvGroups(x: tf.Tensor4D, kvHeads: number): tf.Tensor4D {
  const [b, s, heads, hd] = x.shape;
  const group = heads / kvHeads;
  if (group === 1) return tf.transpose(x, [0, 2, 1, 3]) as tf.Tensor4D;
  return tf
    .transpose(x.reshape([b, s, kvHeads, group, hd]), [0, 2, 3, 1, 4])
    .reshape([b, kvHeads, group * s, hd]) as tf.Tensor4D;
}

/** The inverse of toKvGroups, flattened: [B, kvHeads, group*S, hd] -> [B, S, heads*hd]. */
export function fromKvGroups(x: tf.Tensor4D, heads: number): tf.Tensor3D {
  const [b, kvHeads, gs, hd] = x.shape;
  const group = heads / kvHeads;
  const s = gs / group;
  if (group === 1) return tf.transpose(x, [0, 2, 1, 3]).reshape([b, s, heads * hd]) as tf.Tensor3D;
  return tf
    .transpose(x.reshape([b, kvHeads, group, s, hd]), [0, 3, 1, 2, 4])
    .reshape([b, s, heads * hd]) as tf.Tensor3D;
}

/** Default position ids: cacheLen .. cacheLen+seq-1 for every row, [B, S] float32. */
export function defaultPositions(batch: number, seq: number, cacheLen: number): tf.Tensor2D {
  const p = new Float32Array(batch * seq);
  for (let r = 0; r < batch; r++) for (let i = 0; i < seq; i++) p[r * seq + i] = cacheLen + i;
  return tf.tensor2d(p, [batch, seq]);
}
