// Batched autoregressive generation over any CausalLM, with an optional
// patch prefix. The prefix and prompts are run once (the prefill) into the KV
// cache; each later step feeds one new column. The cache is fixed-length by
// default (allocated for prompt + maxNewTokens, written in place), so every
// step after the prefill runs the same shapes.
import { leftPad } from './batch';
import { Rng } from './rng';
import { sampleToken } from './sampling';
import { tf } from './tf';
import type { CausalLM, GenerateOptions, KVCache } from './types';

function disposeCache(cache: KVCache | undefined): void {
  if (!cache) return;
  for (const l of cache.layers) tf.dispose([l.k, l.v]);
}

/** Lets abort events and UI messages through between steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Patch rows [n, hidden] tiled over the batch, or null for no/empty prefix. */
export function tilePrefix(
  prefix: tf.Tensor2D | null | undefined,
  batch: number,
  hidden: number,
): tf.Tensor3D | null {
  if (!prefix || prefix.shape[0] === 0) return null;
  if (prefix.shape[1] !== hidden) {
    throw new Error(`prefix has width ${prefix.shape[1]} but the model's hidden size is ${hidden}`);
  }
  return tf.tile(prefix.expandDims(0), [batch, 1, 1]) as tf.Tensor3D;
}

/**
 * Generates up to maxNewTokens per prompt and returns only the new tokens
 * (without the stop token). Rows that stop early report -1 to onStep.
 */
export async function generate(
  model: CausalLM,
  promptIds: number[][],
  options: GenerateOptions,
): Promise<number[][]> {
  const cfg = model.config;
  const n = options.prefix?.shape[0] ?? 0;
  const batch = leftPad(model, promptIds, n);
  const b = promptIds.length;
  const stop = new Set(options.stopTokenIds ?? cfg.eosTokenIds);
  const rng = new Rng(options.seed);
  const useCache = options.useCache ?? true;
  const fixedCache = useCache && (options.cacheLayout ?? 'fixed') === 'fixed';
  const out: number[][] = promptIds.map(() => []);
  const done = new Array<boolean>(b).fill(false);
  if (options.maxNewTokens <= 0) return out;

  // Full-sequence state, kept as plain arrays so no tensor outlives a step but the cache.
  let mask = Array.from(batch.mask);
  let positions = Array.from(batch.positions);
  let ids = Array.from(batch.ids);
  let cols = n + batch.maxLen;
  const nextPos = [...batch.nextPosition];
  let cache: KVCache | undefined;
  // The prefill writes `cols` positions and each later step one more; the
  // last sampled token is never fed back, so this is every position written.
  const capacity = cols + options.maxNewTokens - 1;
  /** The mask over the columns so far, widened with zeros to the fixed cache's capacity. */
  const maskTensor = (): tf.Tensor2D => {
    if (!fixedCache) return tf.tensor2d(mask, [b, cols]);
    const wide = new Float32Array(b * capacity);
    for (let r = 0; r < b; r++) wide.set(mask.slice(r * cols, (r + 1) * cols), r * capacity);
    return tf.tensor2d(wide, [b, capacity]);
  };

  try {
    for (let step = 0; step < options.maxNewTokens; step++) {
      options.signal?.throwIfAborted();
      const first = step === 0 || !useCache;
      const { logits, newCache } = tf.tidy((): tf.TensorContainer => {
        let embeds: tf.Tensor3D;
        let stepMask: tf.Tensor2D;
        let stepPos: tf.Tensor2D;
        if (first) {
          const tokenCols = cols - n;
          const tokens = model.embed(tf.tensor2d(ids, [b, tokenCols], 'int32'));
          const pre = tilePrefix(options.prefix, b, cfg.hiddenSize);
          embeds = pre ? tf.concat([pre, tokens], 1) : tokens;
          stepMask = maskTensor();
          stepPos = tf.tensor2d(positions, [b, cols]);
        } else {
          const last = ids.filter((_, i) => i % (cols - n) === cols - n - 1);
          embeds = model.embed(tf.tensor2d(last, [b, 1], 'int32'));
          stepMask = maskTensor();
          stepPos = tf.tensor2d(
            nextPos.map((p) => p - 1),
            [b, 1],
          );
        }
        const r = model.forward(embeds, {
          cache: first ? undefined : cache,
          useCache,
          cacheCapacity: fixedCache ? capacity : undefined,
          attentionMask: stepMask,
          positionIds: stepPos,
          lastPositionOnly: true,
        });
        const flat = r.logits.reshape([b, cfg.vocabSize]);
        // tidy keeps every tensor reachable from the returned object, cache included.
        return (r.cache
          ? { logits: flat, newCache: r.cache }
          : { logits: flat }) as unknown as tf.TensorContainer;
      }) as unknown as { logits: tf.Tensor2D; newCache?: KVCache };
      disposeCache(cache);
      cache = newCache;
      const values = (await logits.data()) as Float32Array;
      logits.dispose();

      const appended: number[] = [];
      for (let r = 0; r < b; r++) {
        if (done[r]) {
          appended.push(-1);
          continue;
        }
        const tok = sampleToken(
          values.subarray(r * cfg.vocabSize, (r + 1) * cfg.vocabSize),
          options,
          rng,
        );
        appended.push(tok);
        if (stop.has(tok)) done[r] = true;
        else {
          out[r].push(tok);
          if (options.stopWhen?.(out[r])) done[r] = true;
        }
      }
      options.onStep?.(step, appended);
      if (done.every(Boolean) || step === options.maxNewTokens - 1) break;

      // Append one column: finished rows get a masked pad so the batch stays rectangular.
      const tokenCols = cols - n;
      const nextIds: number[] = [];
      const nextMask: number[] = [];
      const nextPositions: number[] = [];
      for (let r = 0; r < b; r++) {
        const live = appended[r] >= 0 && !done[r];
        nextIds.push(...ids.slice(r * tokenCols, (r + 1) * tokenCols), live ? appended[r] : 0);
        nextMask.push(...mask.slice(r * cols, (r + 1) * cols), live ? 1 : 0);
        nextPositions.push(...positions.slice(r * cols, (r + 1) * cols), live ? nextPos[r] : 0);
        if (live) nextPos[r]++;
      }
      ids = nextIds;
      mask = nextMask;
      positions = nextPositions;
      cols++;
      await yieldToEventLoop();
    }
  } finally {
    disposeCache(cache);
  }
  return out;
}
