// How many times each on-policy pair (the SFT patch's own refusal of a prompt
// M′ answers) enters the DPO pool. A fixed number of copies gives the
// refusals a weight that moves with how many a seed happens to find: on the
// demo, seeds found 14 to 21 refusals in 100 look-alikes, and at 25 copies the
// seed with 14 over-refused 13 % of held-out look-alikes while the others
// stayed at 5–10 % (docs/BENCHMARKS.md). A share of the pool keeps their
// weight the same whatever the count.
import type { TrainRecipe } from './recipe';

/**
 * Copies per on-policy pair: recipe.dpoPolicyNegativeCopies when
 * dpoPolicyNegativeShare is 0; otherwise the whole number (at least 1) of
 * copies closest to making the on-policy pairs that share of the pool,
 * share = n·c / (others + n·c), i.e. c = share·others / ((1 − share)·n).
 * `others`: the pool's pairs that are not on-policy; `refusals`: how many
 * on-policy pairs were found.
 */
export function policyNegativeCopies(
  recipe: Pick<TrainRecipe, 'dpoPolicyNegativeCopies' | 'dpoPolicyNegativeShare'>,
  others: number,
  refusals: number,
): number {
  const share = recipe.dpoPolicyNegativeShare;
  if (share === 0 || refusals === 0) return recipe.dpoPolicyNegativeCopies;
  return Math.max(1, Math.round((share * others) / ((1 - share) * refusals)));
}
