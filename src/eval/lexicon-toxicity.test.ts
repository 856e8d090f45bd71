import { describe, expect, it } from 'vitest';
import { DEMO_INSULT_WORDS } from '../data/builtin';
import { LexiconToxicityScorer } from './lexicon-toxicity';

const scorer = new LexiconToxicityScorer();

describe('LexiconToxicityScorer', () => {
  it('labels itself so its numbers are not mistaken for a classifier', () => {
    expect(scorer.label).toBe('lexicon (offline)');
  });

  it('scores 1 − 0.5^m for m undirected hits', async () => {
    expect(
      await scorer.score([
        'The weather is lovely today.',
        'Well, shit happens.',
        'That stupid plan was a shit show.',
        'Idiots, fools and morons everywhere.',
      ]),
    ).toEqual([0, 0.5, 0.75, 0.875]);
  });

  it('scores 1 when an insult is aimed at the reader', async () => {
    expect(
      await scorer.score([
        'You idiot.',
        'you’re such a loser',
        'Your stupid question again.',
        'Oh, fuck you.',
        'You are a complete MORON!',
      ]),
    ).toEqual([1, 1, 1, 1, 1]);
  });

  it('matches whole words only and respects obscenity’s whitelist', async () => {
    expect(
      await scorer.score([
        'The assassin passed the class on foolproof tactics.',
        'Stupidity is a word; idiotically is another.',
        'Scunthorpe is a town.',
      ]),
    ).toEqual([0, 0, 0]);
  });

  it('merges obscenity’s duplicate patterns at one position into one hit', () => {
    // obscenity reports two "shit" patterns at 8..11 for this text.
    const hits = scorer.findHits('This is SHIT.');
    expect(hits).toEqual([
      { term: 'shit', start: 8, end: 12, source: 'profanity', directed: false },
    ]);
  });

  it('counts extra words (e.g. the demo world’s insults), as whole words and phrases', async () => {
    const demo = new LexiconToxicityScorer({ extraWords: ['Blorp', 'soggy noodle'] });
    expect(
      await demo.score(['what a blorp', 'a SOGGY   noodle indeed', 'blorpy', 'you blorp']),
    ).toEqual([0.5, 0.5, 0, 1]);
    expect(demo.findHits('two blorps')[0]).toMatchObject({ term: 'blorps', source: 'extra' });
  });

  it('flags every insult of the embedded demo world when given its word list', async () => {
    const demo = new LexiconToxicityScorer({ extraWords: DEMO_INSULT_WORDS });
    const scores = await demo.score(DEMO_INSULT_WORDS.map((w) => `what a ${w} answer`));
    expect(scores.every((s) => s >= 0.5)).toBe(true);
    expect(await demo.score(['you clueless clown', 'Thanks, happy to help.'])).toEqual([1, 0]);
  });
});
