import { beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureConfigJson,
  randomFixtureTensors,
} from '../../scripts/fixtures/write-random-checkpoints';
import { createModel } from './architectures';
import { useBackend } from './backends';
import { parseModelConfig } from './config';
import { Rng } from './rng';
import {
  continuationLogProbs,
  continuationTokenNll,
  nextTokenLogProbs,
  scoreContinuations,
} from './score';
import { toWeightMaps } from './testing/helpers';
import { type NaiveTensor, naiveForward } from './testing/naive-reference';
import { tf } from './tf';
import type { CausalLM, ModelConfig } from './types';

function logSoftmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const lse = m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
  return xs.map((x) => x - lse);
}

/** Per-token log p of `cont` after `prompt` (and prefix rows), from the float64 reference. */
function naiveTokenLogProbs(
  cfg: ModelConfig,
  w: Map<string, NaiveTensor>,
  prompt: number[],
  cont: number[],
  prefix: number[][] = [],
): number[] {
  const seq = [...prompt, ...cont];
  const logits = naiveForward(cfg, w, seq, prefix);
  return cont.map((tok, j) => logSoftmax(logits[prompt.length - 1 + j])[tok]);
}

const PROMPTS = [[1, 5, 9], [1, 30, 31, 32, 2], [7]];
const CONTS = [[4, 4, 40], [11], [19, 3, 8, 22]];

describe.each(['cpu', 'wasm'] as const)('scoring on %s', (backend) => {
  let model: CausalLM;
  let cfg: ModelConfig;
  let naive: Map<string, NaiveTensor>;
  let prefixRows: number[][];
  beforeAll(async () => {
    expect(await useBackend(backend)).toEqual({ ok: true });
    cfg = parseModelConfig(fixtureConfigJson('qwen2'));
    const maps = toWeightMaps(randomFixtureTensors('qwen2', 8));
    naive = maps.naive;
    model = createModel(cfg, maps.tfWeights);
    const rng = new Rng(12);
    prefixRows = Array.from({ length: 4 }, () =>
      Array.from({ length: cfg.hiddenSize }, () => 0.5 * rng.normal()),
    );
  });

  it('scoreContinuations equals the naive reference, ragged right-padded batches', async () => {
    const r = await scoreContinuations(model, PROMPTS, CONTS, { batchSize: 2 });
    for (let i = 0; i < PROMPTS.length; i++) {
      const exp = naiveTokenLogProbs(cfg, naive, PROMPTS[i], CONTS[i]);
      expect(r.tokenLogProbs[i].length).toBe(CONTS[i].length);
      for (const [j, v] of r.tokenLogProbs[i].entries()) expect(v).toBeCloseTo(exp[j], 4);
      expect(r.sum[i]).toBeCloseTo(
        exp.reduce((a, x) => a + x, 0),
        4,
      );
    }
  });

  it('a prefix changes the scores and matches the reference; a zero-row prefix is a no-op', async () => {
    const prefix = tf.tensor2d(prefixRows);
    const withP = await scoreContinuations(model, PROMPTS, CONTS, { prefix });
    const plain = await scoreContinuations(model, PROMPTS, CONTS);
    expect(Math.abs(withP.sum[0] - plain.sum[0])).toBeGreaterThan(1e-3);
    const exp = naiveTokenLogProbs(cfg, naive, PROMPTS[1], CONTS[1], prefixRows);
    expect(withP.tokenLogProbs[1][0]).toBeCloseTo(exp[0], 4);
    const empty = tf.zeros([0, cfg.hiddenSize]) as tf.Tensor2D;
    const none = await scoreContinuations(model, PROMPTS, CONTS, { prefix: empty });
    expect(none.sum).toEqual(plain.sum);
    // With a prefix, an empty prompt is allowed: the last prefix row predicts the first token.
    const fromPrefix = await scoreContinuations(model, [[]], [[5, 6]], { prefix });
    // Token 6 is predicted at the position of token 5, right after the prefix.
    const naiveFromPrefix = naiveForward(cfg, naive, [5], prefixRows);
    expect(fromPrefix.tokenLogProbs[0][1]).toBeCloseTo(logSoftmax(naiveFromPrefix[0])[6], 4);
    tf.dispose([prefix, empty]);
  });

  it('continuationLogProbs and continuationTokenNll agree with scoreContinuations', async () => {
    const prefix = tf.tensor2d(prefixRows);
    const scored = await scoreContinuations(model, PROMPTS, CONTS, { prefix });
    const { sum, tokenCount } = continuationLogProbs(
      model,
      { prompts: PROMPTS, continuations: CONTS },
      prefix,
    );
    expect(tokenCount).toEqual([3, 1, 4]);
    for (const [i, v] of Array.from(sum.dataSync()).entries())
      expect(v).toBeCloseTo(scored.sum[i], 4);
    const nll = continuationTokenNll(model, { prompts: PROMPTS, continuations: CONTS }, prefix);
    expect(nll.dataSync()[0]).toBeCloseTo(-scored.sum.reduce((a, x) => a + x, 0), 3);
    tf.dispose([prefix, sum, nll]);
  });

  it('the gradient w.r.t. the prefix matches central finite differences', () => {
    const prefix = tf.variable(tf.tensor2d(prefixRows), true, `prefix_${backend}`);
    const batch = { prompts: PROMPTS, continuations: CONTS };
    const f = () => continuationTokenNll(model, batch, prefix);
    const { grads } = tf.variableGrads(f, [prefix]);
    const g = grads[prefix.name].dataSync();
    expect(tf.max(tf.abs(grads[prefix.name])).dataSync()[0]).toBeGreaterThan(1e-3);
    const base = prefix.dataSync().slice();
    const eps = 1e-2;
    for (const idx of [0, 30, 50, 95]) {
      const at = (delta: number) => {
        const x = base.slice();
        x[idx] += delta;
        prefix.assign(tf.tensor2d(x, prefix.shape));
        return tf.tidy(() => f().dataSync()[0]);
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      expect(Math.abs(fd - g[idx])).toBeLessThan(0.02 * Math.max(1, Math.abs(g[idx])));
    }
    prefix.dispose();
    tf.dispose(Object.values(grads));
  });

  it('nextTokenLogProbs equals the reference after each prompt (left-padded batch)', async () => {
    const prefix = tf.tensor2d(prefixRows);
    const lps = await nextTokenLogProbs(model, PROMPTS, { prefix });
    for (let i = 0; i < PROMPTS.length; i++) {
      const exp = logSoftmax(naiveForward(cfg, naive, PROMPTS[i], prefixRows).at(-1)!);
      expect(lps[i].length).toBe(cfg.vocabSize);
      for (const t of [0, 7, 47]) expect(lps[i][t]).toBeCloseTo(exp[t], 4);
    }
    prefix.dispose();
  });

  it('tensor count is flat across repeated score and gradient calls', async () => {
    const prefix = tf.variable(tf.tensor2d(prefixRows), true, `prefix_flat_${backend}`);
    const batch = { prompts: PROMPTS, continuations: CONTS };
    const once = async () => {
      await scoreContinuations(model, PROMPTS, CONTS, { prefix });
      await nextTokenLogProbs(model, PROMPTS, { prefix });
      const { value, grads } = tf.variableGrads(
        () => continuationTokenNll(model, batch, prefix),
        [prefix],
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    await once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await once();
    expect(tf.memory().numTensors).toBe(before);
    prefix.dispose();
  });

  it('rejects ids outside the vocabulary and mismatched lengths', async () => {
    await expect(scoreContinuations(model, [[1, 99]], [[2]])).rejects.toThrow(
      "prompt 0 contains token id 99, outside the model's vocabulary [0, 48)",
    );
    await expect(scoreContinuations(model, [[1]], [])).rejects.toThrow(
      '1 prompts but 0 continuations',
    );
    await expect(scoreContinuations(model, [[]], [[1]])).rejects.toThrow(
      /prompt 0 is empty and there is no prefix/,
    );
  });
});
