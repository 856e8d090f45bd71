// Matrix products whose gradients never use matMul's transpose flags.
//
// On the wasm backend a matMul with transposeA/transposeB is 12–23× slower
// than a plain one, and tfjs's built-in matMul gradient uses those flags
// (FIELD-NOTES). These helpers compute the same gradients with explicit
// tf.transpose calls instead. They also let a frozen weight skip its own
// gradient: tf.customGrad computes every input's gradient eagerly, so a
// product with a frozen matrix closes over it rather than taking it as an
// input, and backprop only pays for the activation's gradient.
import { tf } from './tf';

/** Swaps the last two axes (explicitly, so no transpose flags reach the kernel). */
export function swapLast(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/**
 * a @ b over matching batch dims. On wasm, BatchMatMul with more than one
 * batch matrix leaves XNNPACK for a naive loop (measured 5–6× slower on the
 * attention products of SmolLM2-135M, [3, 534, 64] @ [3, 64, 178]), so there
 * the batch is split into 2D products and concatenated again.
 */
export function batchMatMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const lead = a.shape.slice(0, -2);
  const count = lead.reduce((x, y) => x * y, 1);
  if (a.rank === 2 || count <= 1 || tf.getBackend() !== 'wasm') return tf.matMul(a, b);
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.rank - 1];
  // split, not unstack: the wasm Unpack kernel is slower than the products.
  const as = tf.split(a.reshape([count * m, k]), count, 0) as tf.Tensor2D[];
  const bs = tf.split(b.reshape([count * k, n]), count, 0) as tf.Tensor2D[];
  const parts = as.map((x, i) => tf.matMul(x, bs[i]));
  const out = tf.concat(parts, 0);
  tf.dispose([...as, ...bs, ...parts]);
  return out.reshape([...lead, m, n]);
}

// tfjs types customGrad's f as varargs of Tensor | GradSaveFunc, hence the casts.
const trainableMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: batchMatMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [batchMatMul(dy, swapLast(sb)), batchMatMul(swapLast(sa), dy)];
    },
  };
}) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * a @ b for two tensors that both may need gradients, same batch dims
 * ([..., m, k] @ [..., k, n]).
 */
export function matMul<T extends tf.Tensor>(a: T, b: tf.Tensor): T {
  return trainableMatMul(a, b) as T;
}

/**
 * How a frozen weight is held: [in, out] (a projection, transposed once at
 * load) or [out, in] (a tied embedding table, which the lookup needs in that
 * layout, so the lm_head uses the same tensor instead of a second copy).
 */
export type FrozenLayout = 'inOut' | 'outIn';

/**
 * x [m, in] @ W for a frozen W (no gradient wanted), held once in `layout`.
 * Neither pass copies the weight: the side that would need Wᵀ is computed as
 * (W · aᵀ)ᵀ, transposing the activation-sized operand instead. On wasm a
 * plain matMul over a persistent right operand is the fast case (transpose
 * flags are 12× slower, FIELD-NOTES), and a per-step tf.transpose(W) both
 * allocates a weight-sized tensor and repacks it every step.
 */
export function frozenMatMul(x: tf.Tensor2D, w: tf.Tensor2D, layout: FrozenLayout): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xi = args[0] as tf.Tensor2D;
    return {
      value: layout === 'inOut' ? tf.matMul(xi, w) : timesWT(xi, w),
      gradFunc: (dy: tf.Tensor) => frozenInputGrad(dy as tf.Tensor2D, w, layout),
    };
  }) as unknown as (xi: tf.Tensor2D) => tf.Tensor2D;
  return f(x);
}

/** a @ Wᵀ without a transposed copy of W: (W @ aᵀ)ᵀ. */
function timesWT(a: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return tf.transpose(tf.matMul(w, tf.transpose(a))) as tf.Tensor2D;
}

/**
 * The gradient of frozenMatMul(x, w, layout) with respect to x for an output
 * gradient dy [m, out]: dy @ Wᵀ [m, in], with the same no-copy rule. A
 * hand-written backward (llama-layer.ts) calls it directly.
 */
export function frozenInputGrad(
  dy: tf.Tensor2D,
  w: tf.Tensor2D,
  layout: FrozenLayout,
): tf.Tensor2D {
  return layout === 'inOut' ? timesWT(dy, w) : tf.matMul(dy, w);
}

/** True for a tensor that training may update (then it must stay an input of the tape). */
export function isTrainable(t: tf.Tensor): t is tf.Variable {
  return t instanceof tf.Variable && t.trainable;
}
