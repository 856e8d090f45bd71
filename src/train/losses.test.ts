import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import { tf } from '../engine/tf';
import {
  chosenNllLoss,
  dpoLoss,
  dpoRewardStats,
  filterPairsByMargin,
  pairMargin,
  sftLoss,
} from './losses';

beforeAll(async () => {
  await useBackend('cpu');
});

const t1 = (x: number[]) => tf.tensor1d(x);
const val = (s: tf.Scalar) => s.dataSync()[0];

describe('sftLoss', () => {
  it('is the token-weighted mean NLL: sums [−3, −5] over [2, 4] tokens → 8/6', () => {
    expect(val(sftLoss(t1([-3, -5]), [2, 4]))).toBeCloseTo(8 / 6, 6);
  });
  it('refuses a batch with no answer tokens', () => {
    expect(() => sftLoss(t1([0]), [0])).toThrow(/no answer tokens/);
  });
});

describe('chosenNllLoss (the RPO term of dpoNllWeight)', () => {
  // Chosen sums [−6, −2] over [3, 4] tokens: per-answer NLL 2 and 0.5, mean 1.25
  // (token-weighted, as sftLoss, would give 8/7 = 1.142857).
  it('is the mean over pairs of the per-token NLL of each chosen answer', () => {
    expect(val(chosenNllLoss(t1([-6, -2]), [3, 4]))).toBeCloseTo(1.25, 6);
  });
  it('has gradient −1/(N·|w_i|): −1/6 and −1/8', () => {
    const g = tf.grad((x: tf.Tensor) => chosenNllLoss(x as tf.Tensor1D, [3, 4]))(t1([-6, -2]));
    const gd = Array.from(g.dataSync());
    expect(gd[0]).toBeCloseTo(-1 / 6, 6);
    expect(gd[1]).toBeCloseTo(-1 / 8, 6);
  });
  it('counts an empty answer as 0 without dividing by zero: (2 + 0) / 2 = 1', () => {
    expect(val(chosenNllLoss(t1([-4, 0]), [2, 0]))).toBeCloseTo(1, 6);
  });
  it('refuses an empty batch and mismatched lengths', () => {
    expect(() => chosenNllLoss(tf.tensor1d([]), [])).toThrow(/no pairs/);
    expect(() => chosenNllLoss(t1([-1, -2]), [3])).toThrow(/2 log-probs for 1/);
  });
});

describe('dpoLoss', () => {
  // β = 0.1.
  // Pair 1: π_w=−10, π_l=−12, ref_w=−11, ref_l=−11 → z = 0.1·[(1) − (−1)] = 0.2
  //   −log σ(0.2) = log(1 + e^−0.2) = log(1.818730753) = 0.598138869
  // Pair 2: π_w=−5, π_l=−4, ref_w=−5, ref_l=−6 → z = 0.1·[(0) − (2)] = −0.2
  //   −log σ(−0.2) = log(1 + e^0.2) = log(2.221402758) = 0.798138869
  // Mean = 0.698138869.
  const pw = [-10, -5];
  const pl = [-12, -4];
  const rw = [-11, -5];
  const rl = [-11, -6];

  it('matches the hand-computed value', () => {
    expect(val(dpoLoss(t1(pw), t1(pl), rw, rl, 0.1))).toBeCloseTo(0.698138869, 6);
    // Reference log-probs as tensors give the same.
    expect(val(dpoLoss(t1(pw), t1(pl), t1(rw), t1(rl), 0.1))).toBeCloseTo(0.698138869, 6);
  });

  it('has the hand-computed gradient: ∂L/∂π_w,i = −β σ(−z_i) / N', () => {
    // σ(−0.2) = 1/(1+e^0.2) = 0.450166003; σ(0.2) = 0.549833997
    // pair 1: −0.1·0.450166/2 = −0.0225083; pair 2: −0.1·0.549834/2 = −0.0274917
    const g = tf.grad((x: tf.Tensor) => dpoLoss(x as tf.Tensor1D, t1(pl), rw, rl, 0.1))(t1(pw));
    const gd = Array.from(g.dataSync());
    expect(gd[0]).toBeCloseTo(-0.0225083, 6);
    expect(gd[1]).toBeCloseTo(-0.0274917, 6);
  });

  it('has gradient −β/2 per pair at z = 0 (policy equals reference), not a zero subgradient', () => {
    const g = tf.grad((x: tf.Tensor) => dpoLoss(x as tf.Tensor1D, t1([-3]), [-2], [-3], 0.5))(
      t1([-2]),
    );
    expect(g.dataSync()[0]).toBeCloseTo(-0.25, 6);
  });

  it('stays finite in the tails: z = −1000 → 1000, z = +1000 → 0', () => {
    expect(val(dpoLoss(t1([-1000]), t1([0]), [0], [0], 1))).toBeCloseTo(1000, 3);
    expect(val(dpoLoss(t1([1000]), t1([0]), [0], [0], 1))).toBeCloseTo(0, 6);
  });
});

describe('dpoRewardStats', () => {
  it('matches the hand-computed rewards of the two pairs above', () => {
    // pair 1: r_w = 0.1·1 = 0.1, r_l = 0.1·(−1) = −0.1 → correct
    // pair 2: r_w = 0.1·0 = 0,   r_l = 0.1·2 = 0.2     → wrong
    const s = dpoRewardStats([-10, -5], [-12, -4], [-11, -5], [-11, -6], 0.1);
    expect(s.chosenReward).toBeCloseTo(0.05, 9);
    expect(s.rejectedReward).toBeCloseTo(0.05, 9);
    expect(s.margin).toBeCloseTo(0, 9);
    expect(s.accuracy).toBe(0.5);
  });
});

describe('filterPairsByMargin', () => {
  const pairs = [
    // −4/2 − (−9/3) = −2 + 3 = +1
    { refChosen: -4, chosenTokens: 2, refRejected: -9, rejectedTokens: 3, id: 'a' },
    // −6/3 − (−4/4) = −2 + 1 = −1
    { refChosen: -6, chosenTokens: 3, refRejected: -4, rejectedTokens: 4, id: 'b' },
    // per token −10/10 − (−4/2) = +1, although the summed margin is −6: kept
    { refChosen: -10, chosenTokens: 10, refRejected: -4, rejectedTokens: 2, id: 'c' },
    // identical answers: margin 0
    { refChosen: -5, chosenTokens: 5, refRejected: -5, rejectedTokens: 5, id: 'd' },
    // a non-finite score is dropped whatever the threshold
    { refChosen: Number.NaN, chosenTokens: 1, refRejected: -1, rejectedTokens: 1, id: 'e' },
  ];

  it('measures the margin per token', () => {
    expect(pairMargin(pairs[0])).toBeCloseTo(1, 12);
    expect(pairMargin(pairs[1])).toBeCloseTo(-1, 12);
    expect(pairMargin(pairs[2])).toBeCloseTo(1, 12);
  });

  it('keeps pairs with margin ≥ threshold and counts the dropped', () => {
    const r = filterPairsByMargin(pairs, 0.5);
    expect(r.kept.map((p) => p.id)).toEqual(['a', 'c']);
    expect(r.keptIndices).toEqual([0, 2]);
    expect(r.keptCount).toBe(2);
    expect(r.droppedCount).toBe(3);
  });

  it('threshold 0 keeps ties; a negative threshold admits mildly dispreferred pairs', () => {
    expect(filterPairsByMargin(pairs, 0).kept.map((p) => p.id)).toEqual(['a', 'c', 'd']);
    expect(filterPairsByMargin(pairs, -1).kept.map((p) => p.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
