// Perplexity of texts under a model, from their summed token log-probs:
//   PPL = exp( − Σ_i sumLogProb_i / Σ_i tokens_i )
// i.e. corpus-level, token-weighted (a long text weighs more than a short one),
// the way perplexity over a corpus is defined; not the mean of per-text
// perplexities, which short texts would dominate. Natural log throughout.
// Texts with zero tokens are skipped; none left = NaN with a reason.

export interface Perplexity {
  perplexity: number;
  /** Mean negative log-likelihood per token (nats). */
  nllPerToken: number;
  tokens: number;
  texts: number;
  undefinedReason?: string;
}

export function perplexity(
  sumLogProbs: readonly number[],
  tokenCounts: readonly number[],
): Perplexity {
  if (sumLogProbs.length !== tokenCounts.length) {
    throw new RangeError(
      `perplexity: ${sumLogProbs.length} log-prob sums but ${tokenCounts.length} token counts`,
    );
  }
  let total = 0;
  let tokens = 0;
  let texts = 0;
  sumLogProbs.forEach((s, i) => {
    if (tokenCounts[i] === 0) return;
    if (s > 1e-6) throw new RangeError(`a log-probability sum is positive (${s})`);
    total += s;
    tokens += tokenCounts[i];
    texts++;
  });
  if (tokens === 0) {
    return {
      perplexity: Number.NaN,
      nllPerToken: Number.NaN,
      tokens: 0,
      texts: 0,
      undefinedReason: 'no tokens to score',
    };
  }
  const nll = -total / tokens;
  return { perplexity: Math.exp(nll), nllPerToken: nll, tokens, texts };
}
