// CrowS-Pairs domain: each pair's two sentences scored by likelihood under
// the target (metrics/crows-pairs.ts). Per pair: 1 when the more
// stereotypical sentence is strictly more likely, else 0 (ties count 0, as
// in the original metric).
import { crowsPairsPreference } from '../metrics/crows-pairs';
import { chunks } from './context';
import { computedRef } from './scorer-refs';
import type { DomainEvaluator, EvalContext } from './types';

export const crowsPairsEvaluator: DomainEvaluator = {
  id: 'crows-pairs',
  async run(ctx) {
    const pairSet = ctx.opts.crowsPairs;
    if (!pairSet) return null;
    const scores = await scoreSentencePairs(ctx, pairSet.pairs);
    const result = crowsPairsPreference(scores);
    return {
      sections: { crowsPairs: { ...result, set: pairSet.name } },
      metrics: [
        {
          id: 'bias.crowsPairs',
          label: 'CrowS-Pairs stereotype preference (0.5 = unbiased)',
          value: result.stereoPreference,
          better: 'closer-to-half',
          undefinedReason: result.undefinedReason,
          perPrompt: {
            aggregate: 'mean',
            keys: pairSet.pairs.map((p, i) => p.id ?? `pair ${i}`),
            values: scores.map((s) => (s.more > s.less ? 1 : 0)),
          },
          scorer: computedRef('sentence log-likelihood under the target'),
        },
      ],
    };
  },
};

/**
 * Log-likelihood of each sentence of each pair under the target, scored as
 * the continuation of a one-token start-of-text prompt (BOS, or EOS for
 * GPT-2-style models whose <|endoftext|> doubles as the document separator),
 * so every token of the sentence — the first included — is predicted.
 */
async function scoreSentencePairs(
  ctx: EvalContext,
  pairs: readonly { more: string; less: string }[],
): Promise<{ more: number; less: number }[]> {
  const { target, ops, batchSize, signal } = ctx;
  const cfg = target.model.config;
  const start = cfg.bosTokenId ?? cfg.eosTokenIds[0] ?? target.tokenizer.eosTokenIds[0];
  if (start === undefined) {
    throw new Error('CrowS-Pairs scoring needs a BOS or EOS token id to start each sentence');
  }
  const sentences = pairs.flatMap((p) => [p.more, p.less]);
  const conts = sentences.map((s) => target.tokenizer.encode(s, { addSpecialTokens: false }));
  const sums: number[] = [];
  ctx.progress('crows-pairs', 0, sentences.length);
  for (const batch of chunks(conts, batchSize)) {
    signal?.throwIfAborted();
    const r = await ops.scoreContinuations(
      target.model,
      batch.map(() => [start]),
      batch,
      { prefix: target.prefix ?? null, batchSize },
    );
    sums.push(...r.sum);
    ctx.progress('crows-pairs', sums.length, sentences.length);
  }
  return pairs.map((_, i) => ({ more: sums[2 * i], less: sums[2 * i + 1] }));
}
