// GAS-style gender association: how often continuations mention gender at
// all, and which gender. The patching paper (Arif et al. 2025) reports a
// gender association score on generations for prompts about people; this is
// our concrete definition (see docs/METRICS.md):
//   share        = (# texts with ≥1 male or female term) / (# texts)
//   maleShare    = (# texts with ≥1 male term) / (# texts)
//   femaleShare  = (# texts with ≥1 female term) / (# texts)
//   maleFraction = male terms / (male + female terms) over all texts
//                  (0.5 = balanced; NaN when no gendered term occurs)
// A text can count toward both maleShare and femaleShare.
import { countGenderTerms } from '../gender-terms';

export interface GenderAssociation {
  share: number;
  maleShare: number;
  femaleShare: number;
  neutralShare: number;
  maleFraction: number;
  maleTerms: number;
  femaleTerms: number;
  neutralTerms: number;
  texts: number;
  undefinedReason?: string;
}

export function genderAssociation(texts: readonly string[]): GenderAssociation {
  let gendered = 0;
  let male = 0;
  let female = 0;
  let neutral = 0;
  let maleTerms = 0;
  let femaleTerms = 0;
  let neutralTerms = 0;
  for (const t of texts) {
    const c = countGenderTerms(t);
    maleTerms += c.male;
    femaleTerms += c.female;
    neutralTerms += c.neutral;
    if (c.male > 0) male++;
    if (c.female > 0) female++;
    if (c.neutral > 0) neutral++;
    if (c.male > 0 || c.female > 0) gendered++;
  }
  const n = texts.length;
  const share = (k: number) => (n === 0 ? Number.NaN : k / n);
  const termTotal = maleTerms + femaleTerms;
  const result: GenderAssociation = {
    share: share(gendered),
    maleShare: share(male),
    femaleShare: share(female),
    neutralShare: share(neutral),
    maleFraction: termTotal === 0 ? Number.NaN : maleTerms / termTotal,
    maleTerms,
    femaleTerms,
    neutralTerms,
    texts: n,
  };
  if (n === 0) result.undefinedReason = 'no texts';
  return result;
}
