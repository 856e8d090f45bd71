// The random-patch control "M+R": an untrained patch with the same length and
// the same per-row L2 norms as a given patch, pointing in random directions.
// Evaluated beside M, M+P and M′, it answers "does *any* prefix of this size
// and scale move the model?" — if M+R closes the gap too, a gap closed by M+P
// is no evidence that training found anything. Matching each row's norm (not
// just the mean) keeps the control on the patch's exact scale, which matters
// because the first RMS/LayerNorm weighs the prefix against the prompt by
// magnitude. Directions are standard normal vectors normalised to unit length,
// i.e. uniform on the sphere, and depend only on the seed: the control never
// sees the patch's directions.
import { Rng } from '../engine/rng';

/** What the report says about the control, so a number is never mistaken for M+P's. */
export interface RandomControlInfo {
  kind: 'random-patch';
  seed: number;
  /** Rows (virtual tokens) and width, equal to the patch's. */
  n: number;
  hidden: number;
}

export interface RandomControl {
  /** [n, hidden] row-major. */
  rows: Float32Array;
  info: RandomControlInfo;
}

/**
 * Each row's L2 norm: all the control takes from the patch, so (with the seed)
 * all a cache of M+R's evaluation needs in its key besides M and the settings.
 */
export function rowNorms(patch: Float32Array, n: number, hidden: number): number[] {
  return Array.from({ length: n }, (_, r) => {
    let s = 0;
    for (let c = 0; c < hidden; c++) s += patch[r * hidden + c] ** 2;
    return Math.sqrt(s);
  });
}

/** The control for `patch` ([n, hidden] row-major). A zero row stays zero. */
export function randomControl(
  patch: Float32Array,
  n: number,
  hidden: number,
  seed: number,
): RandomControl {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(hidden) || hidden < 1) {
    throw new RangeError(`patch shape must be positive integers, got [${n}, ${hidden}]`);
  }
  if (patch.length !== n * hidden) {
    throw new RangeError(`patch has ${patch.length} values, not ${n} × ${hidden}`);
  }
  const rng = new Rng(seed);
  const rows = new Float32Array(n * hidden);
  const dir = new Float64Array(hidden);
  const norms = rowNorms(patch, n, hidden);
  for (let r = 0; r < n; r++) {
    const target = norms[r];
    let norm = 0;
    // Redraw the (practically impossible) all-zero direction rather than divide by 0.
    while (norm === 0) {
      norm = 0;
      for (let c = 0; c < hidden; c++) {
        dir[c] = rng.normal();
        norm += dir[c] ** 2;
      }
      norm = Math.sqrt(norm);
    }
    for (let c = 0; c < hidden; c++) rows[r * hidden + c] = (dir[c] / norm) * target;
  }
  return { rows, info: { kind: 'random-patch', seed, n, hidden } };
}
