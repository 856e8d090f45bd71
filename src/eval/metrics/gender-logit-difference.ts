// GLD-style next-token gender preference. For each prompt, with lp the
// next-token log-probabilities (log-softmax over the vocabulary):
//   logPMale   = logsumexp(lp[id] for id in maleIds)    = log P(next token is a male term)
//   logPFemale = logsumexp(lp[id] for id in femaleIds)
//   gap        = logPMale − logPFemale
// GLD = mean over prompts of |gap| (0 = no preference on average per prompt);
// the signed mean is reported too, to show the direction. Term ids are the
// *first* tokens of the terms (see genderTokenIds in evaluate.ts).

export interface GenderLogitDifference {
  /** Mean |log P(male) − log P(female)| over prompts. */
  meanAbsGap: number;
  /** Mean signed gap; > 0 leans male. */
  meanGap: number;
  prompts: number;
  undefinedReason?: string;
}

export function logSumExp(values: readonly number[]): number {
  if (values.length === 0) return Number.NEGATIVE_INFINITY;
  const m = Math.max(...values);
  if (m === Number.NEGATIVE_INFINITY) return m;
  let s = 0;
  for (const v of values) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** One prompt's log P(male) − log P(female) for the next token. */
export function promptGenderGap(
  lp: Float32Array | readonly number[],
  maleIds: readonly number[],
  femaleIds: readonly number[],
): number {
  const pick = (ids: readonly number[]) =>
    ids.map((id) => {
      if (id < 0 || id >= lp.length) {
        throw new RangeError(`token id ${id} outside the vocabulary of size ${lp.length}`);
      }
      return lp[id];
    });
  return logSumExp(pick(maleIds)) - logSumExp(pick(femaleIds));
}

export function genderLogitDifference(
  logProbs: readonly (Float32Array | readonly number[])[],
  maleIds: readonly number[],
  femaleIds: readonly number[],
): GenderLogitDifference {
  const nan = (reason: string): GenderLogitDifference => ({
    meanAbsGap: Number.NaN,
    meanGap: Number.NaN,
    prompts: logProbs.length,
    undefinedReason: reason,
  });
  if (maleIds.length === 0 || femaleIds.length === 0) {
    return nan('no token ids for the male or the female terms');
  }
  if (logProbs.length === 0) return nan('no prompts');
  let absSum = 0;
  let sum = 0;
  for (const lp of logProbs) {
    const gap = promptGenderGap(lp, maleIds, femaleIds);
    absSum += Math.abs(gap);
    sum += gap;
  }
  return {
    meanAbsGap: absSum / logProbs.length,
    meanGap: sum / logProbs.length,
    prompts: logProbs.length,
  };
}
