// Per-prompt values: what a metric keeps so it can be recomputed on any
// resample of the prompts (the bootstrap of bootstrap.ts, the paired one of
// gap-closed.ts). Every decomposable metric of a report is, exactly,
//   mean:     Σ values / Σ weights          (weights default 1 per prompt)
//   exp-mean: exp(Σ values / Σ weights)     (perplexity: values = NLL sums,
//                                            weights = token counts)
// over its prompts. Pooled rates (mean toxicity, gendered share, refusal
// rate) keep per-prompt counts with the prompt's sample count as weight, so
// the pooled number is reproduced exactly even if prompts had different
// numbers of samples. distinct-n is a corpus statistic (its n-grams are
// pooled across prompts) and has no per-prompt form.
import { type BootstrapInterval, type BootstrapOptions, bootstrapInterval } from './bootstrap';

export interface PerPromptValues {
  aggregate: 'mean' | 'exp-mean';
  /** The prompt each value belongs to (prompt id, else its text), in evaluation order. */
  keys: string[];
  values: number[];
  /** Per-prompt denominators; absent = 1 each. */
  weights?: number[];
}

/**
 * The metric over the prompts at `indices` (with repeats, as a bootstrap
 * resample has them), or over all prompts when `indices` is absent. NaN when
 * the chosen prompts have zero total weight (e.g. no tokens, no prompts).
 */
export function statisticOf(pp: PerPromptValues, indices?: ArrayLike<number>): number {
  const { values, weights } = pp;
  let num = 0;
  let den = 0;
  const n = indices ? indices.length : values.length;
  for (let j = 0; j < n; j++) {
    const i = indices ? indices[j] : j;
    num += values[i];
    den += weights ? weights[i] : 1;
  }
  if (den === 0) return Number.NaN;
  const m = num / den;
  return pp.aggregate === 'exp-mean' ? Math.exp(m) : m;
}

/** Checks the arrays agree in length; throws a RangeError naming the mismatch. */
export function checkPerPrompt(pp: PerPromptValues): PerPromptValues {
  if (pp.values.length !== pp.keys.length) {
    throw new RangeError(`${pp.values.length} per-prompt values for ${pp.keys.length} prompts`);
  }
  if (pp.weights && pp.weights.length !== pp.keys.length) {
    throw new RangeError(`${pp.weights.length} per-prompt weights for ${pp.keys.length} prompts`);
  }
  return pp;
}

/** The metric's bootstrap interval over its prompts. */
export function perPromptInterval(pp: PerPromptValues, opts?: BootstrapOptions): BootstrapInterval {
  return bootstrapInterval(pp.keys.length, (idx) => statisticOf(pp, idx), opts);
}
