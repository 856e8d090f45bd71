// Differentiable log-probabilities of answers given prompts and a patch: the
// quantity both training losses are built from. Each sequence is
// [patch rows] + prompt + answer, right-padded to the batch's longest. Right
// padding needs no attention mask in a causal model: a real position never
// attends to a later (pad) one, so padding cannot change any answer token's
// log-prob. Only answer positions are scored (the masking of prompt tokens).
import { tf } from '../engine/tf';
import type { CausalLM } from '../engine/types';

export interface AnswerBatch {
  /** Prompt token ids (chat template applied), one array per sequence. */
  prompts: number[][];
  /** Answer token ids to score, one per prompt. */
  answers: number[][];
}

export interface AnswerLogProbs {
  /** [batch] sum of log p(answer token | everything before it). */
  sum: tf.Tensor1D;
  /** Answer tokens scored per sequence. */
  tokenCount: number[];
}

/** The id used for right padding; never scored, so any valid id works. */
const PAD_ID = 0;

/**
 * Sum of answer-token log-probs per sequence, differentiable with respect to
 * `prefix` ([n, hidden], or null for the unpatched model). The caller owns
 * the returned tensor (call inside tf.tidy / valueAndGrad).
 *
 * Works on every backend: the target log-probs are picked with a one-hot
 * product, not tf.gather, whose gradient (UnsortedSegmentSum) the wasm
 * backend lacks; and logSoftmax runs on answer rows only, not the whole
 * [batch, seq, vocab] block.
 */
export function answerLogProbs(
  model: CausalLM,
  batch: AnswerBatch,
  prefix: tf.Tensor2D | null,
): AnswerLogProbs {
  const { prompts, answers } = batch;
  const B = prompts.length;
  if (B === 0 || answers.length !== B)
    throw new Error('answerLogProbs: need one answer per prompt');
  const n = prefix ? prefix.shape[0] : 0;
  const seqs = prompts.map((p, i) => [...p, ...answers[i]]);
  const L = Math.max(...seqs.map((s) => s.length));
  const tokenCount = answers.map((a) => a.length);
  prompts.forEach((p, i) => {
    if (p.length + n === 0 && answers[i].length > 0) {
      throw new Error(
        'answerLogProbs: an answer needs at least one token (or patch row) before it',
      );
    }
  });
  const V = model.config.vocabSize;

  const sum = tf.tidy(() => {
    const ids = tf.tensor2d(
      seqs.map((s) => [...s, ...new Array(L - s.length).fill(PAD_ID)]),
      [B, L],
      'int32',
    );
    let x = model.embed(ids);
    if (prefix) {
      const tiled = prefix.expandDims(0).tile([B, 1, 1]) as tf.Tensor3D;
      x = tf.concat([tiled, x], 1);
    }
    const { logits } = model.forward(x);
    // Logits at position j predict the token at j+1; the first answer token
    // of sequence b sits at n + |prompt_b| and is predicted one earlier.
    const rows: tf.Tensor2D[] = [];
    const targets: number[] = [];
    const owner: number[] = [];
    for (let b = 0; b < B; b++) {
      const la = answers[b].length;
      if (la === 0) continue;
      const start = n + prompts[b].length - 1;
      rows.push(logits.slice([b, start, 0], [1, la, V]).reshape([la, V]));
      targets.push(...answers[b]);
      for (let k = 0; k < la; k++) owner.push(b);
    }
    if (rows.length === 0) return tf.zeros([B]) as tf.Tensor1D;
    const logp = tf.logSoftmax(rows.length === 1 ? rows[0] : tf.concat(rows, 0));
    const S = targets.length;
    const picked = logp.mul(tf.oneHot(tf.tensor1d(targets, 'int32'), V)).sum(1); // [S]
    // Segment sum as a mask product ([B, S] 0/1 · [S]), again avoiding
    // unsortedSegmentSum's gradient.
    const seg = new Float32Array(B * S);
    owner.forEach((b, s) => {
      seg[b * S + s] = 1;
    });
    return tf.tensor2d(seg, [B, S]).mul(picked.expandDims(0)).sum(1) as tf.Tensor1D;
  });
  return { sum, tokenCount };
}
