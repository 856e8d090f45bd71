import { headTargetLogProbs, pickLogProbs } from './target-log-probs';
import { tf } from './tf';
import type { ForwardOptions, ModelConfig, TargetTokens } from './types';
import type { VocabHead } from './vocab-table';

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

/**
 * What a forward does with its final normed hidden states [batch, length,
 * hidden]: the logits, or the targets' log-probs (CausalLM.targetLogProbs).
 * The latter falls back to the logits and a log-softmax when the head is
 * trainable (its weights need the tape).
 */
export type HeadUse = { kind: 'logits' } | { kind: 'targets'; targets: TargetTokens };

export function applyHead(head: VocabHead, normed: tf.Tensor3D, use: HeadUse): tf.Tensor {
  if (use.kind === 'logits') return head.apply(normed);
  const [b, len, hidden] = normed.shape;
  const x = normed.reshape([b * len, hidden]) as tf.Tensor2D;
  const products = head.products();
  if (!products) {
    return pickLogProbs(head.apply(x), use.targets.ids).reshape([b, len]);
  }
  return headTargetLogProbs(products, x, use.targets.ids, {
    withGrad: use.targets.withGrad,
  }).reshape([b, len]);
}

/** The checks targetLogProbs makes beyond forward()'s: a window, one target per position, no cache. */
export function checkTargetInput(
  inputEmbeds: tf.Tensor3D,
  options: ForwardOptions,
  targets: TargetTokens,
): void {
  const w = options.outputPositions;
  if (!w) throw new Error('targetLogProbs needs outputPositions');
  if (options.cache || options.useCache)
    throw new Error('targetLogProbs is for scoring: no KV cache');
  const want = inputEmbeds.shape[0] * w.length;
  if (targets.ids.length !== want) {
    throw new Error(`targetLogProbs: ${targets.ids.length} targets for ${want} output positions`);
  }
}
