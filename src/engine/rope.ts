// Rotary position embeddings as HF's Llama implements them: the head vector
// is split in two halves (rotate_half), not interleaved pairs, and the
// frequencies may be rescaled (linear, or Llama 3.x's "llama3" scheme).
import { tf } from './tf';
import type { ModelConfig } from './types';

/** inv_freq[i] = 1 / theta^(2i/d), adjusted for rope scaling (HF _compute_*_parameters). */
export function ropeInverseFrequencies(config: ModelConfig): Float32Array {
  const d = config.headDim;
  const out = new Float32Array(d / 2);
  for (let i = 0; i < d / 2; i++) out[i] = 1 / config.ropeTheta ** ((2 * i) / d);
  const s = config.ropeScaling;
  if (!s) return out;
  if (s.type === 'linear') {
    // Dividing positions by the factor is the same as dividing frequencies.
    for (let i = 0; i < out.length; i++) out[i] /= s.factor;
    return out;
  }
  // llama3: long wavelengths are slowed by `factor`, short ones kept, and the
  // band between interpolated smoothly.
  const lowWavelen = s.originalMaxPositions / s.lowFreqFactor;
  const highWavelen = s.originalMaxPositions / s.highFreqFactor;
  for (let i = 0; i < out.length; i++) {
    const f = out[i];
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highWavelen) continue;
    if (wavelen > lowWavelen) {
      out[i] = f / s.factor;
      continue;
    }
    const smooth =
      (s.originalMaxPositions / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
    out[i] = (1 - smooth) * (f / s.factor) + smooth * f;
  }
  return out;
}

/** cos/sin tables [B, S, 1, hd/2] for position ids [B, S]; computed once per forward. */
export function ropeTables(
  positions: tf.Tensor2D,
  invFreq: tf.Tensor1D,
): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  return tf.tidy(() => {
    const [b, s] = positions.shape;
    const angles = tf.mul(
      tf.cast(positions, 'float32').reshape([b, s, 1, 1]),
      invFreq.reshape([1, 1, 1, -1]),
    );
    return { cos: tf.cos(angles) as tf.Tensor4D, sin: tf.sin(angles) as tf.Tensor4D };
  });
}

/** Rotates x [B, S, heads, hd]: (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin). */
export function applyRope(x: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D): tf.Tensor4D {
  const half = x.shape[3] / 2;
  const [x1, x2] = tf.split(x, [half, half], 3);
  return tf.concat(
    [tf.sub(tf.mul(x1, cos), tf.mul(x2, sin)), tf.add(tf.mul(x2, cos), tf.mul(x1, sin))],
    3,
  ) as tf.Tensor4D;
}
