// Saves a weight map (HF tensor names) as a model.safetensors file, e.g. the
// demo model trained in the lab, so it loads back through loadModel.
import { writeSafetensors } from './safetensors';
import type { tf } from './tf';

/** Reads every tensor back to the CPU once and writes an F32 safetensors file. */
export function weightsToSafetensors(
  weights: Map<string, tf.Tensor>,
  metadata: Record<string, string> = { format: 'pt' },
): Uint8Array {
  const tensors = [...weights].map(([name, t]) => {
    if (t.dtype !== 'float32') {
      throw new Error(
        `weightsToSafetensors: tensor "${name}" is ${t.dtype}, only float32 is written`,
      );
    }
    return {
      name,
      shape: t.shape,
      data: t.dataSync() as Float32Array,
    };
  });
  return writeSafetensors(tensors, metadata);
}
