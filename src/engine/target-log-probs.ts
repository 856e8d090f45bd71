// log softmax(x · Wᵀ)[target] per row, for the rows scoring and training read,
// without ever holding the [rows, vocab] logits of all rows at once.
//
// Why blocks of rows, not of the vocabulary: each row's output is one scalar
// of that row's hidden state alone, so its gradient is dy_i · g_i with
// g_i = (onehot_i − softmax_i) · W, a vector the forward can compute as soon
// as it has the row's logits, and the backward only scales. A block of rows
// therefore needs its logits once: logits → log-sum-exp → the picked logit →
// g, then the block's [rows, vocab] temporaries are freed. Chunking the
// vocabulary instead would need the global normaliser before any softmax, so
// a second pass over the head (Liger-Kernel's fused linear cross-entropy
// blocks rows for the same reason). The head's two products are the ones the
// plain path runs (forward logits, backward logits-gradient · W); only their
// order moves.
//
// Memory: the plain path keeps the logits for the backward and, at the end of
// the step, about six [rows, vocab] tensors (memory.ts); this keeps g
// ([rows, hidden]) and, while a block runs, up to three of its [rows, vocab] tensors.
import { DEFAULT_BLOCK_BYTES, rowsPerBlock } from './head-blocks';
import { tf } from './tf';

/** The two products of a frozen head: logits of x, and an input gradient from a logits gradient. */
export interface HeadProducts {
  readonly vocab: number;
  /** Most bytes one [rows, vocab] logits tensor may take (a device buffer limit); none when absent. */
  readonly maxBlockBytes?: number;
  /** x [m, hidden] -> logits [m, vocab]. */
  logits(x: tf.Tensor2D): tf.Tensor2D;
  /** g [m, vocab] (d loss / d logits) -> d loss / d x [m, hidden], i.e. g · W. */
  inputGrad(g: tf.Tensor2D): tf.Tensor2D;
  /** W's rows for these tokens [m, hidden] (the input gradient of a one-hot logits gradient). */
  targetRows(targets: Int32Array): tf.Tensor2D;
}

export interface TargetLogProbOptions {
  /** Compute the gradient in the forward (training); false for scoring without a tape. */
  withGrad: boolean;
  /** Rows per block; default from DEFAULT_BLOCK_BYTES. */
  blockRows?: number;
}

/**
 * One block's log-probs and, when asked, its input gradient
 * g = W[target] − softmax · W. Disposes as it goes, so at most three
 * [rows, vocab] tensors live at once (inside logSumExp: the logits, their
 * shift and its exp); the one-hot term is the targets' own rows of W, so no
 * one-hot matrix is built.
 */
function block(
  head: HeadProducts,
  x: tf.Tensor2D,
  targets: Int32Array,
  withGrad: boolean,
): { lp: tf.Tensor1D; g: tf.Tensor2D | null } {
  const rows = x.shape[0];
  const v = head.vocab;
  const flat = new Int32Array(rows);
  for (let i = 0; i < rows; i++) flat[i] = i * v + targets[i];
  const logits = head.logits(x);
  const index = tf.tensor1d(flat, 'int32');
  const picked = tf.gather(logits.reshape([-1]), index);
  const lse = tf.logSumExp(logits, 1, true);
  const lp = tf.sub(picked, lse.reshape([rows])) as tf.Tensor1D;
  if (!withGrad) {
    tf.dispose([logits, index, picked, lse]);
    return { lp, g: null };
  }
  const shifted = tf.sub(logits, lse);
  tf.dispose([logits, index, picked, lse]);
  const softmax = tf.exp(shifted);
  shifted.dispose();
  const spread = head.inputGrad(softmax as tf.Tensor2D);
  softmax.dispose();
  const own = head.targetRows(targets);
  const g = tf.sub(own, spread) as tf.Tensor2D;
  tf.dispose([own, spread]);
  return { lp, g };
}

/**
 * log p(target_i | x_i) = log softmax(head(x_i))[target_i] for each row of
 * x [m, hidden], as [m]. Differentiable in x when `withGrad` (the head's
 * weights are frozen: no gradient reaches them).
 */
export function headTargetLogProbs(
  head: HeadProducts,
  x: tf.Tensor2D,
  targets: Int32Array,
  opts: TargetLogProbOptions,
): tf.Tensor1D {
  const [m] = x.shape;
  if (targets.length !== m) throw new Error(`${m} rows but ${targets.length} targets`);
  for (const t of targets) {
    if (!Number.isInteger(t) || t < 0 || t >= head.vocab) {
      throw new Error(`target token ${t} is outside the vocabulary (0..${head.vocab - 1})`);
    }
  }
  const budget = Math.min(DEFAULT_BLOCK_BYTES, head.maxBlockBytes ?? Infinity);
  const step = Math.max(1, opts.blockRows ?? rowsPerBlock(head.vocab, budget));
  const blocks = (xi: tf.Tensor2D, withGrad: boolean) => {
    const lps: tf.Tensor1D[] = [];
    const gs: tf.Tensor2D[] = [];
    for (let start = 0; start < m; start += step) {
      const n = Math.min(step, m - start);
      // A tidy per block: its [n, vocab] temporaries go before the next block.
      const r = tf.tidy(() => {
        const xb = n === m ? xi : (tf.slice(xi, [start, 0], [n, -1]) as tf.Tensor2D);
        const out = block(head, xb, targets.subarray(start, start + n), withGrad);
        return out.g ? [out.lp, out.g] : [out.lp];
      });
      lps.push(r[0] as tf.Tensor1D);
      if (r[1]) gs.push(r[1] as tf.Tensor2D);
    }
    const lp = lps.length === 1 ? lps[0] : (tf.concat(lps) as tf.Tensor1D);
    const g = gs.length === 0 ? null : gs.length === 1 ? gs[0] : (tf.concat(gs) as tf.Tensor2D);
    if (lps.length > 1) tf.dispose([...lps, ...gs]);
    return { lp, g };
  };
  if (!opts.withGrad) return tf.tidy(() => blocks(x, false).lp);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const { lp, g } = blocks(xi, true);
    save([g as tf.Tensor2D]);
    return {
      value: lp,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(saved[0], dy.reshape([m, 1])),
    };
  }) as unknown as (xi: tf.Tensor2D) => tf.Tensor1D;
  return op(x);
}

/**
 * log softmax(logits)[target] per row of [N, V] logits, as one op with a
 * hand-written gradient (onehot - softmax) · dy. It avoids materialising the
 * full log-softmax in the forward, and avoids gather's gradient, which needs
 * UnsortedSegmentSum, missing on the wasm backend.
 */
export function pickLogProbs(logits: tf.Tensor2D, targets: Int32Array): tf.Tensor1D {
  const [rows, vocab] = logits.shape;
  const flatIndex = new Int32Array(rows);
  for (let i = 0; i < rows; i++) flatIndex[i] = i * vocab + targets[i];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([x]);
    const lse = tf.logSumExp(x, 1);
    const picked = tf.gather(x.reshape([-1]), tf.tensor1d(flatIndex, 'int32'));
    return {
      value: tf.sub(picked, lse),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(
          tf.sub(tf.oneHot(tf.tensor1d(targets, 'int32'), vocab).toFloat(), tf.softmax(saved[0])),
          dy.reshape([rows, 1]),
        ),
    };
  }) as unknown as (x: tf.Tensor2D) => tf.Tensor1D;
  return op(logits);
}
