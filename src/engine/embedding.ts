// Token (and GPT-2 position) embedding lookup.
import { isTrainable, matMul } from './matmul';
import { tf } from './tf';

/**
 * Embedding lookup. A frozen table uses gather; a trainable one uses a
 * one-hot product, because gather's gradient needs UnsortedSegmentSum, which
 * the wasm backend lacks (FIELD-NOTES).
 */
export function embedLookup(table: tf.Tensor2D, ids: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, s] = ids.shape;
    const flat = tf.cast(ids, 'int32').reshape([-1]) as tf.Tensor1D;
    if (!isTrainable(table)) return tf.gather(table, flat).reshape([b, s, table.shape[1]]);
    const oneHot = tf.oneHot(flat, table.shape[0]).toFloat() as tf.Tensor2D;
    return matMul(oneHot, table).reshape([b, s, table.shape[1]]);
  });
}
