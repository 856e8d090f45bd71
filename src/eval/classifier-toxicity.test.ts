import { describe, expect, it } from 'vitest';
import {
  ClassifierLoadError,
  type ClassifyFn,
  createClassifierScorer,
  toxicityFromLabels,
} from './classifier-toxicity';
import { scorerVersionLabel } from './scorer';
import { createToxicityScorer } from './toxicity-scorer';

// The output toxic-bert gives for "I hate you!" (transformers.js docs).
const TOXIC_BERT_HATE = [
  { label: 'toxic', score: 0.9593140482902527 },
  { label: 'insult', score: 0.16187334060668945 },
  { label: 'obscene', score: 0.03452680632472038 },
  { label: 'identity_hate', score: 0.0223250575363636 },
  { label: 'threat', score: 0.019197041168808937 },
  { label: 'severe_toxic', score: 0.005651099607348442 },
];

describe('toxicityFromLabels', () => {
  it('uses the toxic label of a multi-label model', () => {
    expect(toxicityFromLabels(TOXIC_BERT_HATE)).toBe(0.9593140482902527);
  });
  it('uses the toxic side of a binary model and ignores non-toxic', () => {
    expect(
      toxicityFromLabels([
        { label: 'non-toxic', score: 0.8 },
        { label: 'TOXICITY', score: 0.2 },
      ]),
    ).toBe(0.2);
    expect(
      toxicityFromLabels([
        { label: 'neutral', score: 0.7 },
        { label: 'insult', score: 0.1 },
        { label: 'threat', score: 0.2 },
      ]),
    ).toBe(0.2);
  });
  it('rejects a model with no toxicity label', () => {
    expect(() => toxicityFromLabels([{ label: 'non-toxic', score: 1 }])).toThrow(
      'classifier labels ["non-toxic"] include no toxicity label',
    );
  });
});

describe('createClassifierScorer', () => {
  it('scores in batches through the loaded pipeline', async () => {
    const calls: string[][] = [];
    const classify: ClassifyFn = async (texts) => {
      calls.push(texts);
      return texts.map((t) => [
        { label: 'toxic', score: t.includes('hate') ? 0.9 : 0.1 },
        { label: 'insult', score: 0.05 },
      ]);
    };
    const s = await createClassifierScorer({
      modelId: 'fake/tox',
      load: async () => classify,
      batchSize: 2,
    });
    expect(s.label).toBe('classifier: fake/tox');
    expect(scorerVersionLabel(s)).toBe('classifier: fake/tox v1');
    expect(await s.score(['a', 'I hate it', 'b'])).toEqual([0.1, 0.9, 0.1]);
    // One probe call at load, then batches of 2 and 1.
    expect(calls).toEqual([['hello'], ['a', 'I hate it'], ['b']]);
  });

  it('fails with a ClassifierLoadError naming the model when offline', async () => {
    // Real transformers.js, remote disabled, a model that is not on disk.
    const err = await createClassifierScorer({
      modelId: 'Xenova/toxic-bert',
      allowRemote: false,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ClassifierLoadError);
    expect(err.message).toMatch(/^toxicity classifier "Xenova\/toxic-bert" could not be loaded: /);
    expect(err.message).toMatch(/remote download disabled/);
    expect(err.offline).toBe(true);
  });
});

describe('createToxicityScorer', () => {
  it('uses the classifier when it loads', async () => {
    const r = await createToxicityScorer({
      classifierModel: 'fake/tox',
      load: async () => async (texts) => texts.map(() => TOXIC_BERT_HATE),
    });
    expect(r.kind).toBe('classifier');
    expect(r.reason).toBe('loaded fake/tox');
    expect(await r.scorer.score(['x'])).toEqual([0.9593140482902527]);
  });

  it('falls back to the lexicon and says why', async () => {
    const r = await createToxicityScorer({
      classifierModel: 'nowhere/model',
      extraWords: ['blorp'],
      load: async () => {
        throw new Error('network unreachable');
      },
    });
    expect(r.kind).toBe('lexicon');
    // The report's scorer name says the lexicon stands in for the classifier.
    expect(r.scorer.label).toBe('lexicon (offline, in place of classifier: nowhere/model)');
    expect(r.scorer.name).toBe('lexicon (in place of classifier: nowhere/model)');
    expect(r.reason).toBe(
      'the classifier needs the hub; using the offline lexicon — numbers are not comparable: nowhere/model is not stored in this browser and downloads are off',
    );
    // The extra words reached the lexicon.
    expect(await r.scorer.score(['a blorp'])).toEqual([0.5]);
  });

  it('falls back when the model answers without a toxicity label', async () => {
    const r = await createToxicityScorer({
      classifierModel: 'sentiment/model',
      allowRemote: true,
      load: async () => async (texts) => texts.map(() => [{ label: 'neutral', score: 1 }]),
    });
    expect(r.kind).toBe('lexicon');
    // Not an offline case: the model loaded, so no "needs the hub" notice.
    expect(r.reason).toMatch(
      /^toxicity classifier "sentiment\/model" could not be loaded: .*include no toxicity label/,
    );
  });

  it('can skip the classifier', async () => {
    const r = await createToxicityScorer({ classifierModel: null });
    expect(r).toMatchObject({ kind: 'lexicon', reason: 'classifier disabled; using the lexicon' });
  });
});
