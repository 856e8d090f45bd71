// Log-probabilities of continuations given prompts (and an optional patch
// prefix): the numbers SFT, DPO and the evaluations are built on. The
// differentiable functions keep everything on the tape so tf.variableGrads
// reaches the prefix; the others read values back and free everything.
import { leftPad, rightPad } from './batch';
import { tilePrefix } from './generate';
import { pickLogProbs } from './target-log-probs';
import { tf } from './tf';
import type { CausalLM, ForwardOptions, ScoreResult } from './types';

/** How a differentiable score runs its layers (ForwardOptions has the details). */
export type LayerOptions = Pick<ForwardOptions, 'checkpointLayers' | 'autogradLayers'>;

interface TokenLogProbs {
  /** [B, span] log p of each predicted continuation token (0 where masked). */
  perToken: tf.Tensor2D;
  weights: Float32Array;
  span: number;
  tokenCount: number[];
}

function continuationTokenLogProbs(
  model: CausalLM,
  prompts: number[][],
  continuations: number[][],
  prefix: tf.Tensor2D | null,
  opts: LayerOptions & { withGrad: boolean },
): TokenLogProbs {
  const n = prefix?.shape[0] ?? 0;
  const batch = rightPad(model, prompts, continuations, n);
  const b = prompts.length;
  const perToken = tf.tidy(() => {
    const tokens = model.embed(tf.tensor2d(batch.ids, [b, batch.T], 'int32'));
    const pre = tilePrefix(prefix, b, model.config.hiddenSize);
    const embeds = pre ? tf.concat([pre, tokens], 1) : tokens;
    // Right padding: pads follow every real token, so causality already hides them.
    // Only the predictor columns reach the lm_head.
    const options = {
      outputPositions: { start: batch.start, length: batch.span },
      checkpointLayers: opts.checkpointLayers,
      autogradLayers: opts.autogradLayers,
    };
    // The model's own target pass when it has one: the head runs in blocks of
    // rows, never holding [b · span, vocab] logits at once (target-log-probs.ts).
    const lp = model.targetLogProbs
      ? model.targetLogProbs(embeds, options, { ids: batch.targets, withGrad: opts.withGrad })
      : pickLogProbs(
          model
            .forward(embeds, options)
            .logits.reshape([b * batch.span, model.config.vocabSize]) as tf.Tensor2D,
          batch.targets,
        ).reshape([b, batch.span]);
    return tf.mul(lp, tf.tensor2d(batch.weights, [b, batch.span])) as tf.Tensor2D;
  });
  return { perToken, weights: batch.weights, span: batch.span, tokenCount: batch.tokenCount };
}

/**
 * Differentiable: sum of log p(continuation | prefix, prompt) per row [B].
 * Use inside tf.variableGrads; gradients flow to `prefix` (and to any
 * trainable weights). `checkpointLayers` recomputes each layer in the
 * backward pass instead of keeping its activations (frozen weights only).
 */
export function continuationLogProbs(
  model: CausalLM,
  batch: { prompts: number[][]; continuations: number[][] },
  prefix: tf.Tensor2D | null,
  opts: LayerOptions = {},
): { sum: tf.Tensor1D; tokenCount: number[] } {
  const r = continuationTokenLogProbs(model, batch.prompts, batch.continuations, prefix, {
    ...opts,
    withGrad: true,
  });
  const sum = tf.tidy(() => tf.sum(r.perToken, 1) as tf.Tensor1D);
  r.perToken.dispose();
  return { sum, tokenCount: r.tokenCount };
}

/**
 * Differentiable SFT loss: the negative log-likelihood of the continuation
 * tokens only (prompt and pads masked), summed over the batch, as a scalar.
 * Divide by the total token count for a per-token mean.
 */
export function continuationTokenNll(
  model: CausalLM,
  batch: { prompts: number[][]; continuations: number[][] },
  prefix: tf.Tensor2D | null,
  opts: LayerOptions = {},
): tf.Scalar {
  const r = continuationTokenLogProbs(model, batch.prompts, batch.continuations, prefix, {
    ...opts,
    withGrad: true,
  });
  const loss = tf.tidy(() => tf.neg(tf.sum(r.perToken)) as tf.Scalar);
  r.perToken.dispose();
  return loss;
}

/** Not differentiable: per-token and summed log-probs, in batches of `batchSize` (default 8). */
export async function scoreContinuations(
  model: CausalLM,
  prompts: number[][],
  continuations: number[][],
  opts: { prefix?: tf.Tensor2D | null; batchSize?: number } = {},
): Promise<ScoreResult> {
  if (prompts.length !== continuations.length) {
    throw new Error(`${prompts.length} prompts but ${continuations.length} continuations`);
  }
  const size = opts.batchSize ?? 8;
  const result: ScoreResult = { sum: [], tokenLogProbs: [] };
  for (let i = 0; i < prompts.length; i += size) {
    const ps = prompts.slice(i, i + size);
    const cs = continuations.slice(i, i + size);
    const r = continuationTokenLogProbs(model, ps, cs, opts.prefix ?? null, { withGrad: false });
    const values = (await r.perToken.data()) as Float32Array;
    r.perToken.dispose();
    for (let row = 0; row < ps.length; row++) {
      const lps: number[] = [];
      for (let c = 0; c < r.span; c++)
        if (r.weights[row * r.span + c]) lps.push(values[row * r.span + c]);
      result.tokenLogProbs.push(lps);
      result.sum.push(lps.reduce((a, x) => a + x, 0));
    }
  }
  return result;
}

/** Log-probabilities [vocab] of the token after each prompt (after the optional prefix). */
export async function nextTokenLogProbs(
  model: CausalLM,
  prompts: number[][],
  opts: { prefix?: tf.Tensor2D | null; batchSize?: number } = {},
): Promise<Float32Array[]> {
  const size = opts.batchSize ?? 8;
  const v = model.config.vocabSize;
  const out: Float32Array[] = [];
  for (let i = 0; i < prompts.length; i += size) {
    const ps = prompts.slice(i, i + size);
    const n = opts.prefix?.shape[0] ?? 0;
    const batch = leftPad(model, ps, n);
    const b = ps.length;
    const logp = tf.tidy(() => {
      const tokens = model.embed(tf.tensor2d(batch.ids, [b, batch.maxLen], 'int32'));
      const pre = tilePrefix(opts.prefix, b, model.config.hiddenSize);
      const { logits } = model.forward(pre ? tf.concat([pre, tokens], 1) : tokens, {
        attentionMask: tf.tensor2d(batch.mask, [b, n + batch.maxLen]),
        positionIds: tf.tensor2d(batch.positions, [b, n + batch.maxLen]),
        lastPositionOnly: true,
      });
      return tf.logSoftmax(logits.reshape([b, v]));
    });
    const values = (await logp.data()) as Float32Array;
    logp.dispose();
    for (let r = 0; r < b; r++) out.push(values.slice(r * v, (r + 1) * v));
  }
  return out;
}
