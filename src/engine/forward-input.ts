import type { tf } from './tf';
import type { ModelConfig } from './types';

/**
 * The checks every architecture's forward() makes before any work: the model
 * is alive and the input embeddings have its hidden size. Returns
 * [batch, sequence length, hidden].
 */
export function checkForwardInput(
  inputEmbeds: tf.Tensor3D,
  config: ModelConfig,
  disposed: boolean,
): [number, number, number] {
  if (disposed) throw new Error('forward() on a disposed model');
  const [b, s, hidden] = inputEmbeds.shape;
  if (hidden !== config.hiddenSize) {
    throw new Error(
      `inputEmbeds hidden size ${hidden} does not match the model's ${config.hiddenSize}`,
    );
  }
  return [b, s, hidden];
}
