// Greedy decoding and perplexity over the CausalLM contract, for certifying
// the demo pair. Kept here (not in engine/) because it only needs to be
// simple and exact: one sequence at a time, KV cache, optional prefix rows.
import { tf } from '../../src/engine/tf';
import type { CausalLM, KVCache } from '../../src/engine/types';

function disposeCache(c: KVCache | undefined): void {
  if (!c) return;
  for (const l of c.layers) {
    l.k.dispose();
    l.v.dispose();
  }
}

/** Greedy continuation of `ids` (token ids), stopping at a stop id or after maxNew tokens. */
export function greedy(
  model: CausalLM,
  ids: number[],
  opts: { maxNew: number; stopIds: number[]; prefix?: tf.Tensor2D | null },
): number[] {
  const out: number[] = [];
  let cache: KVCache | undefined;
  let input = tf.tidy(() => {
    const e = model.embed(tf.tensor2d([ids], undefined, 'int32'));
    return opts.prefix ? (tf.concat([opts.prefix.expandDims(0), e], 1) as tf.Tensor3D) : e;
  });
  try {
    for (let step = 0; step < opts.maxNew; step++) {
      const res = model.forward(input, { cache, useCache: true });
      input.dispose();
      disposeCache(cache);
      cache = res.cache;
      const next = tf.tidy(() => {
        const s = res.logits.shape[1];
        return tf.argMax(res.logits.slice([0, s - 1, 0], [1, 1, -1]).reshape([-1])).dataSync()[0];
      });
      res.logits.dispose();
      if (opts.stopIds.includes(next)) break;
      out.push(next);
      if (step === opts.maxNew - 1) break;
      input = tf.tidy(() => model.embed(tf.tensor2d([[next]], undefined, 'int32')));
    }
  } finally {
    disposeCache(cache);
  }
  return out;
}

/** Sum of -log p over every token after the first, and the token count. */
export function negLogLik(model: CausalLM, ids: number[]): { nll: number; count: number } {
  return tf.tidy(() => {
    const x = tf.tensor2d([ids.slice(0, -1)], undefined, 'int32');
    const { logits } = model.forward(model.embed(x));
    const logp = tf.logSoftmax(logits.reshape([ids.length - 1, -1]));
    const onehot = tf.oneHot(tf.tensor1d(ids.slice(1), 'int32'), logp.shape[1] as number);
    const nll = -tf.sum(tf.mul(logp, onehot)).dataSync()[0];
    return { nll, count: ids.length - 1 };
  });
}
