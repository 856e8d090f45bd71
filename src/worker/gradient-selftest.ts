import { tf } from '../engine/tf';
import type { SelftestValues } from '../protocol/device';

/**
 * A fixed small computation exercising the ops the engine differentiates
 * (matMul, tanh, softmax, log, mean): loss = mean(-log softmax(tanh(x·W))[:,0]).
 * Running it on each backend and comparing with cpu catches broken kernels
 * before a user trusts a training run on that backend.
 *
 * Reads results with the async data(): on WebGPU in a worker, dataSync()
 * returned all zeros on SwiftShader (found by this very test).
 */
export async function runGradientSelftest(): Promise<SelftestValues> {
  const [loss, gx, gw] = tf.tidy(() => {
    const x = tf.tensor2d([0.1, -0.2, 0.3, 0.4, 0.5, -0.6], [2, 3]);
    const w = tf.tensor2d([0.7, -0.8, 0.9, 1.0, -1.1, 1.2], [3, 2]);
    const f = (xx: tf.Tensor, ww: tf.Tensor) => {
      const logits = tf.tanh(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D));
      const logp = tf.logSoftmax(logits);
      return tf.neg(tf.mean(logp.slice([0, 0], [2, 1])));
    };
    const [gx, gw] = tf.grads(f)([x, w]);
    return [f(x, w), gx, gw];
  });
  try {
    const [l, dx, dw] = await Promise.all([loss.data(), gx.data(), gw.data()]);
    return { loss: l[0], gradX: Array.from(dx), gradW: Array.from(dw) };
  } finally {
    tf.dispose([loss, gx, gw]);
  }
}

export function maxAbsDifference(a: SelftestValues, b: SelftestValues): number {
  const xs = [a.loss, ...a.gradX, ...a.gradW];
  const ys = [b.loss, ...b.gradX, ...b.gradW];
  return Math.max(...xs.map((v, i) => Math.abs(v - ys[i])));
}
