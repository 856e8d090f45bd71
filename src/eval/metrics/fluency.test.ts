import { describe, expect, it } from 'vitest';
import { distinctN, ngrams } from './distinct-n';
import { perplexity } from './perplexity';

describe('perplexity', () => {
  it('is exp of the token-weighted mean NLL', () => {
    // Text 1: 2 tokens each p = 1/4 → sum 2·ln(1/4). Text 2: 2 tokens p = 1/16 → sum 2·ln(1/16).
    // NLL per token = −(2 ln¼ + 2 ln(1/16)) / 4 = (ln 4 + ln 16) / 2 = ln 8, so PPL = 8.
    const r = perplexity([2 * Math.log(1 / 4), 2 * Math.log(1 / 16)], [2, 2]);
    expect(r.perplexity).toBeCloseTo(8, 9);
    expect(r.nllPerToken).toBeCloseTo(Math.log(8), 12);
    expect(r).toMatchObject({ tokens: 4, texts: 2 });
  });

  it('weights by tokens, not by texts', () => {
    // One token at p = 1/2 and three tokens at p = 1 → NLL per token ln2/4 → PPL 2^(1/4).
    expect(perplexity([Math.log(0.5), 0], [1, 3]).perplexity).toBeCloseTo(2 ** 0.25, 12);
  });

  it('is 1 for a model certain of every token, NaN with no tokens', () => {
    expect(perplexity([0, 0], [3, 1]).perplexity).toBe(1);
    const r = perplexity([0], [0]);
    expect(r.perplexity).toBeNaN();
    expect(r.undefinedReason).toBe('no tokens to score');
  });

  it('checks its inputs', () => {
    expect(() => perplexity([0], [1, 2])).toThrow('1 log-prob sums but 2 token counts');
    expect(() => perplexity([0.5], [1])).toThrow('a log-probability sum is positive (0.5)');
  });
});

describe('distinctN', () => {
  it('divides unique n-grams by all n-grams, pooled over texts', () => {
    const texts = ['the cat sat', 'The cat ran'];
    // unigrams: the, cat, sat, the, cat, ran → 4 unique / 6
    expect(distinctN(texts, 1)).toBeCloseTo(4 / 6, 12);
    // bigrams: "the cat", "cat sat", "the cat", "cat ran" → 3 / 4
    expect(distinctN(texts, 2)).toBe(0.75);
    // trigrams: two, both unique → 1
    expect(distinctN(texts, 3)).toBe(1);
  });

  it('does not form n-grams across texts and is NaN when there are none', () => {
    expect(ngrams('a  b\nc', 2)).toEqual(['a b', 'b c']);
    expect(distinctN(['a', 'b'], 2)).toBeNaN();
    expect(distinctN(['la la la la'], 1)).toBe(0.25);
    expect(() => distinctN(['a'], 0)).toThrow(RangeError);
  });
});
