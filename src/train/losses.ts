// The two training objectives of the paper (SFT on the reference model's
// answers, then DPO on chosen/rejected pairs), plus the pair filter and the
// reward statistics the charts show. Inputs are per-sequence sums of answer
// log-probs; the masking of prompt and padding tokens happens where those sums
// are computed (continuationLogProbs in src/engine/score.ts), so these
// functions see answer tokens only.
import { tf } from '../engine/tf';

/**
 * Mean cross-entropy over answer tokens: −Σ_seq logp / Σ_seq tokens. Weighting
 * by tokens (not averaging per-sequence means) is what a token-level LM loss
 * means; long answers count for more. Throws when the batch has no answer
 * tokens, which would otherwise be a silent 0/0.
 */
export function sftLoss(answerLogProbSums: tf.Tensor1D, tokenCounts: number[]): tf.Scalar {
  const total = tokenCounts.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new Error('sftLoss: the batch has no answer tokens');
  return tf.tidy(() => answerLogProbSums.sum().neg().div(total) as tf.Scalar);
}

type Vec = tf.Tensor1D | number[];

/**
 * DPO (Rafailov et al. 2023): mean over pairs of −log σ(β[(π_w − ref_w) − (π_l − ref_l)]),
 * with π the patched model's summed answer log-probs and ref the reference's.
 * −log σ(z) is written softplus(−z): tfjs's softplus switches to x or exp(x)
 * in the tails, so a very negative margin gives a large finite loss instead
 * of log(0) = −Inf, and its gradient is σ, exact at z = 0 (where the
 * max/abs form would give a zero subgradient on the first DPO step of a
 * run whose policy equals its reference).
 */
export function dpoLoss(
  policyChosen: tf.Tensor1D,
  policyRejected: tf.Tensor1D,
  refChosen: Vec,
  refRejected: Vec,
  beta: number,
): tf.Scalar {
  return tf.tidy(() => {
    const z = policyChosen.sub(refChosen).sub(policyRejected.sub(refRejected)).mul(beta);
    return tf.softplus(z.neg()).mean() as tf.Scalar;
  });
}

/**
 * The length-normalised NLL of the chosen answers that RPO (Pang et al. 2024,
 * "Iterative Reasoning Preference Optimization") adds to DPO: the mean over
 * pairs of −π_w,i / |w_i|. DPO alone only asks that chosen rise relative to
 * rejected, and on the demo it lowered both, spilling onto look-alike
 * prompts whose chosen answer is an answer, not a refusal; this term holds
 * the chosen answers' likelihood up. Per pair, not per token (unlike
 * sftLoss), as in the paper, so a long answer weighs as much as a short one.
 * A pair with an empty chosen answer contributes 0 (it costs nothing to say
 * nothing, as in pairMargin). Throws on an empty batch.
 */
export function chosenNllLoss(policyChosen: tf.Tensor1D, chosenTokens: number[]): tf.Scalar {
  const n = chosenTokens.length;
  if (n === 0) throw new Error('chosenNllLoss: no pairs');
  if (policyChosen.shape[0] !== n) {
    throw new Error(`chosenNllLoss: ${policyChosen.shape[0]} log-probs for ${n} token counts`);
  }
  const inv = chosenTokens.map((t) => (t > 0 ? 1 / t : 0));
  return tf.tidy(() => policyChosen.mul(tf.tensor1d(inv)).sum().neg().div(n) as tf.Scalar);
}

export interface DpoRewardStats {
  /** Mean implicit reward β(π_w − ref_w) of chosen answers. */
  chosenReward: number;
  /** Mean implicit reward β(π_l − ref_l) of rejected answers. */
  rejectedReward: number;
  /** Mean of chosen − rejected reward. */
  margin: number;
  /** Fraction of pairs whose chosen reward is strictly above the rejected one. */
  accuracy: number;
}

/** The reward statistics DPO papers chart; plain numbers, no gradients. */
export function dpoRewardStats(
  policyChosen: number[],
  policyRejected: number[],
  refChosen: number[],
  refRejected: number[],
  beta: number,
): DpoRewardStats {
  const n = policyChosen.length;
  if (n === 0) throw new Error('dpoRewardStats: no pairs');
  let cw = 0;
  let cl = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const rw = beta * (policyChosen[i] - refChosen[i]);
    const rl = beta * (policyRejected[i] - refRejected[i]);
    cw += rw;
    cl += rl;
    if (rw > rl) correct++;
  }
  return {
    chosenReward: cw / n,
    rejectedReward: cl / n,
    margin: (cw - cl) / n,
    accuracy: correct / n,
  };
}

export interface ScoredPair {
  /** Reference model's summed log-prob of the chosen answer. */
  refChosen: number;
  refRejected: number;
  /** Answer lengths in tokens (for the per-token margin). */
  chosenTokens: number;
  rejectedTokens: number;
}

/**
 * The reference model's preference margin for one pair, in nats per token:
 * refChosen/chosenTokens − refRejected/rejectedTokens. Per-token rather than
 * summed because summed log-probs mostly measure length (a 40-token answer
 * has a far lower sum than a 5-token one whatever the model prefers), and
 * M′'s refusals and M's answers differ in length systematically. An empty
 * answer has a mean log-prob of 0 here (it costs nothing to say nothing).
 */
export function pairMargin(p: ScoredPair): number {
  const perTok = (sum: number, n: number) => (n > 0 ? sum / n : 0);
  return perTok(p.refChosen, p.chosenTokens) - perTok(p.refRejected, p.rejectedTokens);
}

export interface MarginFilterResult<T> {
  kept: T[];
  /** Indices (into the input) of the kept pairs, so a checkpoint can store the selection. */
  keptIndices: number[];
  keptCount: number;
  droppedCount: number;
}

/**
 * Keeps pairs where the reference model M′ prefers the chosen answer by at
 * least `threshold` nats per token (see pairMargin). DPO on a pair M′ does not
 * prefer teaches the patch something M′ would not do; identical answers
 * (margin 0) give no DPO gradient at all. Pairs with a non-finite margin are
 * dropped.
 */
export function filterPairsByMargin<T extends ScoredPair>(
  pairs: T[],
  threshold: number,
): MarginFilterResult<T> {
  const kept: T[] = [];
  const keptIndices: number[] = [];
  pairs.forEach((p, i) => {
    const m = pairMargin(p);
    if (Number.isFinite(m) && m >= threshold) {
      kept.push(p);
      keptIndices.push(i);
    }
  });
  return {
    kept,
    keptIndices,
    keptCount: kept.length,
    droppedCount: pairs.length - kept.length,
  };
}
