import { tf } from './tf';
import type { ForwardOptions, ModelConfig } from './types';

/**
 * The checks every architecture's forward() makes before any work: the model
 * is alive, the input embeddings have its hidden size and a requested
 * output window lies inside the sequence. Returns
 * [batch, sequence length, hidden].
 */
export function checkForwardInput(
  inputEmbeds: tf.Tensor3D,
  config: ModelConfig,
  disposed: boolean,
  options: ForwardOptions = {},
): [number, number, number] {
  if (disposed) throw new Error('forward() on a disposed model');
  const [b, s, hidden] = inputEmbeds.shape;
  if (hidden !== config.hiddenSize) {
    throw new Error(
      `inputEmbeds hidden size ${hidden} does not match the model's ${config.hiddenSize}`,
    );
  }
  const w = options.outputPositions;
  if (w) {
    if (!Number.isInteger(w.start) || !Number.isInteger(w.length) || w.start < 0 || w.length < 1) {
      throw new Error(
        `outputPositions needs integers start >= 0 and length >= 1, got ${w.start}, ${w.length}`,
      );
    }
    if (w.start + w.length > s) {
      throw new Error(
        `outputPositions ${w.start}..${w.start + w.length - 1} exceed the ${s} input positions`,
      );
    }
  }
  return [b, s, hidden];
}

/**
 * The hidden states [batch, seq, hidden] the lm_head must see: the last
 * position, the requested window (checked by checkForwardInput), or all.
 */
export function headInput(h: tf.Tensor, options: ForwardOptions): tf.Tensor {
  const [b, s, hidden] = h.shape;
  if (options.lastPositionOnly) return tf.slice(h, [0, s - 1, 0], [b, 1, hidden]);
  const w = options.outputPositions;
  if (!w) return h;
  return tf.slice(h, [0, w.start, 0], [b, w.length, hidden]);
}

/**
 * The capacity of the cache this forward reads or starts, when it is
 * fixed-length (the given cache's, or options.cacheCapacity for a new one),
 * checked against the input; undefined for a growing cache or none.
 */
export function cacheCapacity(options: ForwardOptions, wantCache: boolean): number | undefined {
  const given = options.cache?.capacity;
  if (given !== undefined) return given;
  if (options.cache || !wantCache || options.cacheCapacity === undefined) return undefined;
  const c = options.cacheCapacity;
  if (!Number.isInteger(c) || c < 1) {
    throw new Error(`cacheCapacity must be a positive integer, got ${c}`);
  }
  return c;
}
