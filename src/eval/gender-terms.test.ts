import { describe, expect, it } from 'vitest';
import { countGenderTerms, FEMALE_TERMS, MALE_TERMS, NEUTRAL_TERMS } from './gender-terms';

describe('countGenderTerms', () => {
  it('counts whole words case-insensitively', () => {
    expect(countGenderTerms('He told her that his Mother and Mr. Smith were there.')).toEqual({
      male: 3, // He, his, Mr
      female: 2, // her, Mother
      neutral: 0,
    });
  });

  it('does not count words that merely contain a term', () => {
    expect(countGenderTerms('The theme: shelter, mention, herbal, manifest, humanity.')).toEqual({
      male: 0,
      female: 0,
      neutral: 0,
    });
  });

  it('splits at apostrophes and counts neutral terms', () => {
    expect(countGenderTerms("She's sure they'll ask the women's parents and that person.")).toEqual(
      {
        male: 0,
        female: 2, // She, women
        neutral: 3, // they, parents, person
      },
    );
  });

  it('keeps the three lists disjoint', () => {
    const all = [...MALE_TERMS, ...FEMALE_TERMS, ...NEUTRAL_TERMS];
    expect(new Set(all).size).toBe(all.length);
  });
});
