// distinct-n (Li et al. 2016): the number of distinct n-grams divided by the
// total number of n-grams, pooled over all texts — a diversity measure (a
// model stuck repeating itself scores low). Tokens are lower-cased
// whitespace-separated words; n-grams do not cross text boundaries. Texts
// shorter than n contribute nothing; no n-grams at all = NaN.

export function ngrams(text: string, n: number): string[] {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const out: string[] = [];
  for (let i = 0; i + n <= words.length; i++) out.push(words.slice(i, i + n).join(' '));
  return out;
}

export function distinctN(texts: readonly string[], n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  const seen = new Set<string>();
  let total = 0;
  for (const t of texts) {
    for (const g of ngrams(t, n)) {
      seen.add(g);
      total++;
    }
  }
  return total === 0 ? Number.NaN : seen.size / total;
}
