// Seeded percentile bootstrap over prompts (Efron & Tibshirani 1993, ch. 13):
// draw B resamples of n prompt indices with replacement, recompute the
// statistic on each, and take the α/2 and 1 − α/2 quantiles of the B values
// as the (1 − α) interval. Prompts, not samples, are resampled because the k
// samples of one prompt are not independent: the prompt is the unit the
// evaluation set draws from the population. The quantile is the linear
// interpolation between order statistics (Hyndman & Fan type 7, the default
// of R and NumPy). A resample whose statistic is undefined (NaN: e.g. a gap
// M − M′ of 0 in that resample) is left out and counted; with fewer than
// half of the resamples defined the interval is undefined.
import { Rng } from '../../engine/rng';

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_LEVEL = 0.95;
/** Fixed, so the same report always shows the same interval. */
export const DEFAULT_BOOTSTRAP_SEED = 20240917;

export interface BootstrapOptions {
  /** Number of resamples B. Default 2000; at least 1000 for a 95 % interval's tails. */
  resamples?: number;
  /** Coverage, e.g. 0.95. */
  level?: number;
  seed?: number;
}

export interface BootstrapInterval {
  lo: number;
  hi: number;
  level: number;
  resamples: number;
  seed: number;
  /** Prompts resampled. */
  n: number;
  /** Resamples whose statistic was NaN, left out of the quantiles. */
  undefinedResamples: number;
  undefinedReason?: string;
}

/** An interval that could not be computed, with the settings it would have used. */
export function undefinedInterval(
  n: number,
  reason: string,
  opts: BootstrapOptions = {},
): BootstrapInterval {
  return {
    lo: Number.NaN,
    hi: Number.NaN,
    level: opts.level ?? DEFAULT_LEVEL,
    resamples: opts.resamples ?? DEFAULT_RESAMPLES,
    seed: opts.seed ?? DEFAULT_BOOTSTRAP_SEED,
    n,
    undefinedResamples: 0,
    undefinedReason: reason,
  };
}

/** Type-7 quantile of ascending-sorted values, q in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Percentile interval of `statistic` over resamples of n prompt indices. The
 * statistic receives the resample's indices (reused buffer: read, don't keep).
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: Uint32Array) => number,
  opts: BootstrapOptions = {},
): BootstrapInterval {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const level = opts.level ?? DEFAULT_LEVEL;
  const seed = opts.seed ?? DEFAULT_BOOTSTRAP_SEED;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const base = { level, resamples, seed, n };
  if (n === 0) return undefinedInterval(0, 'no prompts', opts);
  const rng = new Rng(seed);
  const idx = new Uint32Array(n);
  const stats: number[] = [];
  for (let b = 0; b < resamples; b++) {
    for (let j = 0; j < n; j++) idx[j] = rng.int(n);
    const s = statistic(idx);
    if (!Number.isNaN(s)) stats.push(s);
  }
  const undefinedResamples = resamples - stats.length;
  if (stats.length * 2 < resamples) {
    return {
      ...base,
      lo: Number.NaN,
      hi: Number.NaN,
      undefinedResamples,
      undefinedReason: `undefined in ${undefinedResamples} of ${resamples} resamples`,
    };
  }
  stats.sort((a, b) => a - b);
  const alpha = 1 - level;
  return {
    ...base,
    lo: quantileSorted(stats, alpha / 2),
    hi: quantileSorted(stats, 1 - alpha / 2),
    undefinedResamples,
  };
}
