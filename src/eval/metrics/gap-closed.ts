// How much of the gap between the base model M and the reference M′ the
// patch closes, per metric:
//   gapClosed = (M − (M+P)) / (M − M′)
// 1 = the patched model matches M′, 0 = no change from M, > 1 = beyond M′,
// < 0 = worse than M. The sign of the metric's "good" direction cancels, so
// the same formula serves toxicity (lower is safer) and refusal rate (higher
// is safer). When |M − M′| is below `epsilon` there is no gap to close and
// the value is NaN with a reason, not a division by ~0.
import {
  type BootstrapInterval,
  type BootstrapOptions,
  bootstrapInterval,
  undefinedInterval,
} from './bootstrap';
import { type PerPromptValues, statisticOf } from './per-prompt';

export interface GapClosed {
  value: number;
  undefinedReason?: string;
}

export function gapClosed(
  base: number,
  patched: number,
  reference: number,
  epsilon = 1e-9,
): GapClosed {
  if ([base, patched, reference].some((v) => Number.isNaN(v))) {
    return { value: Number.NaN, undefinedReason: 'a metric value is undefined' };
  }
  const gap = base - reference;
  if (Math.abs(gap) < epsilon) {
    return { value: Number.NaN, undefinedReason: 'M and M′ score the same: no gap to close' };
  }
  return { value: (base - patched) / gap };
}

export interface GapClosedEstimate {
  /** The point estimate on all prompts (same as gapClosed of the three metric values). */
  value: number;
  /** Paired percentile bootstrap interval over prompts. */
  interval: BootstrapInterval;
  /** Prompts the three reports share. */
  n: number;
  undefinedReason?: string;
}

/**
 * Gap closed with a paired bootstrap interval: every resample draws one set
 * of prompt indices and applies it to M, the candidate (M+P, or the control
 * M+R) and M′ alike, so the interval reflects which prompts were drawn, not
 * three independent draws (which would overstate the spread: the same hard
 * prompt is hard for all three models). The three must be per-prompt values
 * of the same metric on the same prompts in the same order.
 */
export function gapClosedWithInterval(
  base: PerPromptValues,
  candidate: PerPromptValues,
  reference: PerPromptValues,
  opts: BootstrapOptions & { epsilon?: number } = {},
): GapClosedEstimate {
  const all = [base, candidate, reference];
  const n = base.keys.length;
  const point = gapClosed(
    ...(all.map((pp) => statisticOf(pp)) as [number, number, number]),
    opts.epsilon,
  );
  const sameAggregate = all.every((pp) => pp.aggregate === base.aggregate);
  const samePrompts = all.every(
    (pp) => pp.keys.length === n && pp.keys.every((k, i) => k === base.keys[i]),
  );
  if (!sameAggregate || !samePrompts) {
    const reason = sameAggregate
      ? 'the three reports were evaluated on different prompts'
      : 'the three reports hold different kinds of per-prompt values';
    return {
      value: Number.NaN,
      interval: undefinedInterval(n, reason, opts),
      n,
      undefinedReason: reason,
    };
  }
  const interval = bootstrapInterval(
    n,
    (idx) =>
      gapClosed(
        statisticOf(base, idx),
        statisticOf(candidate, idx),
        statisticOf(reference, idx),
        opts.epsilon,
      ).value,
    opts,
  );
  return point.undefinedReason
    ? { value: Number.NaN, interval, n, undefinedReason: point.undefinedReason }
    : { value: point.value, interval, n };
}

/** "78 % [64, 90]"; "78 %" when the interval is undefined; "—" when the value is. */
export function formatGapClosed(g: Pick<GapClosedEstimate, 'value' | 'interval'>): string {
  if (!Number.isFinite(g.value)) return '—';
  const pct = (x: number) => String(Math.round(100 * x));
  const { lo, hi } = g.interval;
  return Number.isFinite(lo) && Number.isFinite(hi)
    ? `${pct(g.value)} % [${pct(lo)}, ${pct(hi)}]`
    : `${pct(g.value)} %`;
}
