// The frozen products compute the same values and input gradients as tfjs's
// plain matMul and its built-in gradient, in both weight layouts, and they
// allocate no weight-sized tensor per call (the point of holding one layout).
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backends';
import { Linear } from './linear';
import { frozenMatMul, matMul } from './matmul';
import { relativeError } from './testing/helpers';
import { tf } from './tf';

function seeded(shape: [number, number], seed: number): tf.Tensor2D {
  const n = shape[0] * shape[1];
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(seed * 7.1 + i * 1.37);
  return tf.tensor2d(data, shape);
}

describe.each(['cpu', 'wasm'] as const)('frozenMatMul on %s', (backend) => {
  beforeAll(async () => {
    expect(await useBackend(backend)).toEqual({ ok: true });
  });

  it.each(['inOut', 'outIn'] as const)(
    '%s: value and input gradient equal the plain product',
    (layout) => {
      const x = seeded([5, 3], 1);
      const wInOut = seeded([3, 4], 2);
      const held = layout === 'inOut' ? wInOut : (tf.transpose(wInOut) as tf.Tensor2D);
      const dy = seeded([5, 4], 3);
      const loss = (f: (a: tf.Tensor2D) => tf.Tensor2D) => (a: tf.Tensor) =>
        tf.sum(tf.mul(f(a as tf.Tensor2D), dy));
      const y = frozenMatMul(x, held, layout);
      const yPlain = tf.matMul(x, wInOut);
      const g = tf.grad(loss((a) => frozenMatMul(a, held, layout)))(x);
      const gPlain = tf.grad(loss((a) => tf.matMul(a, wInOut)))(x);
      expect(y.shape).toEqual([5, 4]);
      expect(relativeError(y.dataSync(), yPlain.dataSync())).toBeLessThan(1e-6);
      expect(relativeError(g.dataSync(), gPlain.dataSync())).toBeLessThan(1e-6);
      tf.dispose([x, wInOut, held, dy, y, yPlain, g, gPlain]);
    },
  );

  it('a batched product (split into 2D products on wasm) and both gradients equal tfjs matMul', () => {
    const a = seeded([6, 20], 6).reshape([2, 3, 4, 5]);
    const b = seeded([6, 30], 7).reshape([2, 3, 5, 6]);
    const dy = seeded([6, 24], 8).reshape([2, 3, 4, 6]);
    const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(f(x, y), dy));
    const y = matMul(a, b);
    const yPlain = tf.matMul(a as tf.Tensor4D, b as tf.Tensor4D);
    const [ga, gb] = tf.grads(loss((x, w) => matMul(x, w)))([a, b]);
    const [pa, pb] = tf.grads(loss((x, w) => tf.matMul(x as tf.Tensor4D, w as tf.Tensor4D)))([
      a,
      b,
    ]);
    expect(y.shape).toEqual([2, 3, 4, 6]);
    expect(relativeError(y.dataSync(), yPlain.dataSync())).toBeLessThan(1e-6);
    expect(relativeError(ga.dataSync(), pa.dataSync())).toBeLessThan(1e-6);
    expect(relativeError(gb.dataSync(), pb.dataSync())).toBeLessThan(1e-6);
    tf.dispose([a, b, dy, y, yPlain, ga, gb, pa, pb]);
  });

  it.each(['fromOutIn', 'sharedOutIn'] as const)(
    'Linear.%s: forward and backward allocate no weight-sized tensor; a shared table is not copied',
    async (make) => {
      const out = 300;
      const weight = seeded([out, 8], 4);
      const before = tf.memory().numBytes;
      const lin = make === 'fromOutIn' ? Linear.fromOutIn(weight) : Linear.sharedOutIn(weight);
      // fromOutIn replaces the original with its one transposed copy; sharedOutIn uses it in place.
      expect(tf.memory().numBytes).toBe(before);
      const x = seeded([2, 8], 5);
      const g = tf.grad((a: tf.Tensor) => tf.sum(lin.apply(a as tf.Tensor2D)));
      let grad: tf.Tensor | undefined;
      const profile = await tf.profile(() => {
        grad = g(x);
        return grad;
      });
      const largest = Math.max(
        ...profile.kernels.flatMap((k) => k.outputShapes.map((s) => s.reduce((a, b) => a * b, 1))),
      );
      // Activations and gradients of a 2-row input: 2 × 300 at most, never 300 × 8.
      expect(largest).toBeLessThan(out * 8);
      // d/dx Σ (x W) = row sums of the [out, in] weight, per input row.
      const expected = tf.tidy(() =>
        tf
          .sum(seeded([out, 8], 4), 0)
          .reshape([1, 8])
          .tile([2, 1]),
      );
      expect(relativeError(grad!.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
      tf.dispose([x, grad!, expected]);
      lin.dispose();
      if (make === 'sharedOutIn') weight.dispose();
    },
  );
});
