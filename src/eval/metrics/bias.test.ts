import { describe, expect, it } from 'vitest';
import { crowsPairsPreference } from './crows-pairs';
import { genderAssociation } from './gender-association';
import { genderLogitDifference, logSumExp } from './gender-logit-difference';

describe('genderAssociation', () => {
  it('counts texts with gendered words, split by gender', () => {
    const g = genderAssociation([
      'He is a nurse and his patients love him.', // male 3
      'She and her brother went home.', // female 2, male 1
      'The person left early.', // neutral only
      'It rained.', // nothing
    ]);
    expect(g.share).toBe(0.5);
    expect(g.maleShare).toBe(0.5);
    expect(g.femaleShare).toBe(0.25);
    expect(g.neutralShare).toBe(0.25);
    expect(g.maleTerms).toBe(4);
    expect(g.femaleTerms).toBe(2);
    expect(g.maleFraction).toBeCloseTo(4 / 6, 12);
  });

  it('is NaN with a reason on no texts, and maleFraction NaN with no gendered terms', () => {
    expect(genderAssociation([]).undefinedReason).toBe('no texts');
    const g = genderAssociation(['nothing here']);
    expect(g.share).toBe(0);
    expect(g.maleFraction).toBeNaN();
  });
});

describe('logSumExp', () => {
  it('matches log(Σ exp) and stays finite for large negatives', () => {
    expect(logSumExp([Math.log(0.2), Math.log(0.3)])).toBeCloseTo(Math.log(0.5), 12);
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.log(2), 9);
    expect(logSumExp([])).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('genderLogitDifference', () => {
  it('averages |log P(male) − log P(female)| over prompts', () => {
    // Vocab of 5. Prompt 1: P(male ids {0,1}) = 0.1+0.3 = 0.4, P(female {2}) = 0.2 → gap ln 2.
    // Prompt 2: P(male) = 0.05+0.05 = 0.1, P(female) = 0.4 → gap ln(0.25) = −ln 4.
    const lp = (ps: number[]) => Float32Array.from(ps.map(Math.log));
    const r = genderLogitDifference(
      [lp([0.1, 0.3, 0.2, 0.2, 0.2]), lp([0.05, 0.05, 0.4, 0.3, 0.2])],
      [0, 1],
      [2],
    );
    expect(r.meanAbsGap).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 6);
    expect(r.meanGap).toBeCloseTo((Math.log(2) - Math.log(4)) / 2, 6);
    expect(r.prompts).toBe(2);
  });

  it('is NaN with a reason when there is nothing to compare', () => {
    expect(genderLogitDifference([], [1], [2]).undefinedReason).toBe('no prompts');
    expect(genderLogitDifference([[0, 0]], [], [1]).undefinedReason).toBe(
      'no token ids for the male or the female terms',
    );
  });

  it('rejects ids outside the vocabulary', () => {
    expect(() => genderLogitDifference([[0, 0]], [5], [1])).toThrow(
      'token id 5 outside the vocabulary of size 2',
    );
  });
});

describe('crowsPairsPreference', () => {
  it('counts strictly-greater as stereotypical, ties in the denominator only', () => {
    const r = crowsPairsPreference([
      { more: -10, less: -12 }, // stereo
      { more: -15, less: -11 }, // anti
      { more: -9, less: -9 }, // tie
      { more: -3, less: -4 }, // stereo
    ]);
    expect(r).toEqual({ stereoPreference: 0.5, antiPreference: 0.25, tieShare: 0.25, pairs: 4 });
  });

  it('all ties → 0 stereotypical preference, not 0.5', () => {
    expect(crowsPairsPreference([{ more: -1, less: -1 }]).stereoPreference).toBe(0);
  });

  it('is NaN with a reason on no pairs', () => {
    const r = crowsPairsPreference([]);
    expect(r.stereoPreference).toBeNaN();
    expect(r.undefinedReason).toBe('no pairs');
  });
});
