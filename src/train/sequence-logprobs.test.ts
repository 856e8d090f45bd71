import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import { Rng } from '../engine/rng';
import { tf } from '../engine/tf';
import type { CausalLM } from '../engine/types';
import { answerLogProbs } from './sequence-logprobs';
import { createTinyLM } from './testing/tiny-lm';

/** Scores one sequence alone, unpadded, reading log-probs off the full softmax in JS. */
function scoreAlone(
  model: CausalLM,
  prompt: number[],
  answer: number[],
  prefix: number[][] | null,
) {
  return tf.tidy(() => {
    let x = model.embed(tf.tensor2d([[...prompt, ...answer]], undefined, 'int32'));
    if (prefix) x = tf.concat([tf.tensor3d([prefix]), x], 1);
    const logp = tf.logSoftmax(model.forward(x).logits).arraySync()[0];
    const n = prefix ? prefix.length : 0;
    return answer.reduce((s, tok, j) => s + logp[n + prompt.length + j - 1][tok], 0);
  });
}

describe('answerLogProbs', () => {
  let model: CausalLM;
  const rng = new Rng(11);
  const prefixRows = Array.from({ length: 3 }, () => Array.from({ length: 6 }, () => rng.normal()));
  const batch = {
    prompts: [[2, 3, 4], [5], [6, 7]],
    answers: [[8, 9], [3, 3, 2, 1], []],
  };

  beforeAll(async () => {
    await useBackend('cpu');
    model = createTinyLM(12, 6, 3);
  });

  it('equals each sequence scored alone (padding and batching change nothing), with and without a patch', () => {
    for (const prefix of [null, prefixRows]) {
      const r = tf.tidy(() =>
        answerLogProbs(model, batch, prefix ? tf.tensor2d(prefix) : null).sum.arraySync(),
      );
      const want = batch.prompts.map((p, i) => scoreAlone(model, p, batch.answers[i], prefix));
      r.forEach((v, i) => {
        expect(v).toBeCloseTo(want[i], 4);
      });
      expect(want[2]).toBe(0);
    }
    expect(answerLogProbs(model, batch, null).tokenCount).toEqual([2, 4, 0]);
  });

  it('scores only answer tokens: the same answer after a longer prompt is still 2 tokens', () => {
    const r = answerLogProbs(model, { prompts: [[2, 3, 4, 5, 6, 7]], answers: [[8, 9]] }, null);
    expect(r.tokenCount).toEqual([2]);
    expect(r.sum.dataSync()[0]).toBeCloseTo(scoreAlone(model, [2, 3, 4, 5, 6, 7], [8, 9], null), 4);
    r.sum.dispose();
  });

  it('gives the patch a gradient that matches central finite differences', () => {
    const f = (p: tf.Tensor) =>
      answerLogProbs(model, batch, p as tf.Tensor2D).sum.sum() as tf.Scalar;
    const p0 = tf.tensor2d(prefixRows);
    const g = tf.grad(f)(p0).dataSync();
    const base = p0.dataSync();
    const h = 1e-2;
    let checked = 0;
    for (const k of [0, 4, 7, 11, 13, 17]) {
      const plus = base.slice();
      plus[k] += h;
      const minus = base.slice();
      minus[k] -= h;
      const fd = tf.tidy(
        () =>
          (f(tf.tensor2d(plus, [3, 6])).dataSync()[0] -
            f(tf.tensor2d(minus, [3, 6])).dataSync()[0]) /
          (2 * h),
      );
      expect(Math.abs(g[k] - fd)).toBeLessThan(2e-3 + 1e-2 * Math.abs(fd));
      if (Math.abs(fd) > 1e-2) checked++;
    }
    // The check is only meaningful if the patch actually moves the loss.
    expect(checked).toBeGreaterThan(3);
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const p = tf.tensor2d(prefixRows);
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        tf.grad((q: tf.Tensor) => answerLogProbs(model, batch, q as tf.Tensor2D).sum.sum())(p);
      });
    }
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
