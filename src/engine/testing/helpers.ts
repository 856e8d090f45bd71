// Small helpers shared by the engine tests.
import { tf } from '../tf';
import type { NaiveTensor } from './naive-reference';

/** Max |a - b| / max |b|: the "relative" error used against the float64 reference. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: ${actual.length} vs ${expected.length}`);
  }
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < actual.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxDiff / maxRef;
}

/** Raw tensors -> (tf weight map for the engine, float map for the naive reference). */
export function toWeightMaps(tensors: { name: string; shape: number[]; data: Float32Array }[]): {
  tfWeights: Map<string, tf.Tensor>;
  naive: Map<string, NaiveTensor>;
} {
  const tfWeights = new Map<string, tf.Tensor>();
  const naive = new Map<string, NaiveTensor>();
  for (const t of tensors) {
    tfWeights.set(t.name, tf.tensor(t.data, t.shape));
    naive.set(t.name, { shape: t.shape, data: t.data });
  }
  return { tfWeights, naive };
}
