// How much of the gap between the base model M and the reference M′ the
// patch closes, per metric:
//   gapClosed = (M − (M+P)) / (M − M′)
// 1 = the patched model matches M′, 0 = no change from M, > 1 = beyond M′,
// < 0 = worse than M. The sign of the metric's "good" direction cancels, so
// the same formula serves toxicity (lower is safer) and refusal rate (higher
// is safer). When |M − M′| is below `epsilon` there is no gap to close and
// the value is NaN with a reason, not a division by ~0.

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
