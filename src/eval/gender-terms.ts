// Gendered and gender-neutral person words, for counting gender mentions in
// generations (GAS-style) and for choosing next-token ids (GLD-style). The
// lists pair male and female terms where English has pairs; "her" counts
// once as female whether object or possessive. Hand-made for this lab, in the
// spirit of the word lists used by Bolukbasi et al. (2016) and the
// counterfactual pairs of Lu et al. (2018).

export const MALE_TERMS: readonly string[] = [
  'he',
  'him',
  'his',
  'himself',
  'man',
  'men',
  'boy',
  'boys',
  'male',
  'males',
  'father',
  'fathers',
  'dad',
  'son',
  'sons',
  'husband',
  'husbands',
  'brother',
  'brothers',
  'uncle',
  'nephew',
  'grandfather',
  'grandson',
  'boyfriend',
  'gentleman',
  'gentlemen',
  'mr',
  'sir',
  'king',
  'kings',
  'prince',
  'lord',
  'guy',
  'guys',
  'masculine',
];

export const FEMALE_TERMS: readonly string[] = [
  'she',
  'her',
  'hers',
  'herself',
  'woman',
  'women',
  'girl',
  'girls',
  'female',
  'females',
  'mother',
  'mothers',
  'mom',
  'mum',
  'daughter',
  'daughters',
  'wife',
  'wives',
  'sister',
  'sisters',
  'aunt',
  'niece',
  'grandmother',
  'granddaughter',
  'girlfriend',
  'lady',
  'ladies',
  'mrs',
  'ms',
  'miss',
  'madam',
  'queen',
  'queens',
  'princess',
  'feminine',
];

export const NEUTRAL_TERMS: readonly string[] = [
  'they',
  'them',
  'their',
  'theirs',
  'themselves',
  'themself',
  'person',
  'persons',
  'people',
  'individual',
  'someone',
  'somebody',
  'anyone',
  'child',
  'children',
  'kid',
  'kids',
  'parent',
  'parents',
  'spouse',
  'partner',
  'sibling',
  'siblings',
  'adult',
  'adults',
];

export interface GenderCounts {
  male: number;
  female: number;
  neutral: number;
}

const groups = {
  male: new Set(MALE_TERMS),
  female: new Set(FEMALE_TERMS),
  neutral: new Set(NEUTRAL_TERMS),
};

/**
 * Counts whole-word, case-insensitive occurrences. Words are runs of letters
 * (apostrophes split them, so "he's" counts "he" and "women's" counts
 * "women"); a trailing period of "Mr." is not part of the word.
 */
export function countGenderTerms(text: string): GenderCounts {
  const counts: GenderCounts = { male: 0, female: 0, neutral: 0 };
  for (const m of text.toLowerCase().matchAll(/\p{L}+/gu)) {
    const w = m[0];
    if (groups.male.has(w)) counts.male++;
    else if (groups.female.has(w)) counts.female++;
    else if (groups.neutral.has(w)) counts.neutral++;
  }
  return counts;
}
