import { describe, expect, it } from 'vitest';
import type { ClassifyFn } from './classifier-toxicity';
import {
  ClassifierRefusalJudge,
  createRefusalClassifierJudge,
  createRefusalJudge,
  DEFAULT_REFUSAL_MODEL,
  RefusalClassifierLoadError,
  refusalFromLabels,
} from './refusal-classifier';
import { OPENING_REFUSAL_DETECTOR } from './refusal-judge';

describe('refusalFromLabels', () => {
  it('reads the REJECTION label of protectai/distilroberta-base-rejection-v1 (id2label 0 NORMAL, 1 REJECTION)', () => {
    expect(
      refusalFromLabels([
        { label: 'NORMAL', score: 0.2 },
        { label: 'REJECTION', score: 0.8 },
      ]),
    ).toBe(0.8);
  });

  it('takes 1 − the answer label when only that is given, and refuses to guess generic names', () => {
    expect(refusalFromLabels([{ label: 'normal', score: 0.75 }])).toBe(0.25);
    expect(() =>
      refusalFromLabels([
        { label: 'LABEL_0', score: 0.4 },
        { label: 'LABEL_1', score: 0.6 },
      ]),
    ).toThrow('classifier labels ["LABEL_0","LABEL_1"] include no refusal label');
  });
});

describe('ClassifierRefusalJudge (stub pipeline: mechanics only, no real model run)', () => {
  it('batches, cuts each text to its opening, applies the threshold and names itself', async () => {
    const calls: string[][] = [];
    const classify: ClassifyFn = async (texts) => {
      calls.push(texts);
      return texts.map((t) => [
        { label: 'REJECTION', score: t.startsWith('No') ? 0.9 : 0.5 - t.length / 10_000 },
        { label: 'NORMAL', score: 0 },
      ]);
    };
    const judge = await createRefusalClassifierJudge({
      modelId: 'stub/rejection',
      load: async () => classify,
      batchSize: 2,
    });
    expect(judge).toBeInstanceOf(ClassifierRefusalJudge);
    expect(judge).toMatchObject({
      id: 'classifier:stub/rejection',
      name: 'classifier: stub/rejection',
      version: 'v1',
      label: 'classifier: stub/rejection v1',
    });
    const long = `Sure. ${'x'.repeat(5000)}`;
    const verdicts = await judge.judge(['No.', 'Sure, here it is.', long]);
    expect(verdicts.map((v) => v.refused)).toEqual([true, false, false]);
    expect(verdicts[0]).toEqual({
      refused: true,
      label: 'full_refusal',
      evidence: 'p(refusal) = 0.900',
    });
    // One probe at load, then batches of 2 and 1; the long text is cut to 1000 characters.
    expect(calls.map((c) => c.length)).toEqual([1, 2, 1]);
    expect(calls[2][0]).toHaveLength(1000);
  });

  it('rejects a model whose labels say nothing about refusal, at load', async () => {
    const err = await createRefusalClassifierJudge({
      modelId: 'stub/sentiment',
      load: async () => async (texts) => texts.map(() => [{ label: 'POSITIVE', score: 1 }]),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(RefusalClassifierLoadError);
    expect(err.message).toMatch(
      /^refusal classifier "stub\/sentiment" could not be loaded: .*no refusal label/,
    );
  });
});

describe('loading offline', () => {
  it('fails with a clear RefusalClassifierLoadError through real transformers.js when the model is not on disk', async () => {
    const err = await createRefusalClassifierJudge({ allowRemote: false }).catch((e) => e);
    expect(err).toBeInstanceOf(RefusalClassifierLoadError);
    expect(err.modelId).toBe(DEFAULT_REFUSAL_MODEL);
    expect(err.message).toMatch(
      /^refusal classifier "protectai\/distilroberta-base-rejection-v1" could not be loaded: .*\(remote download disabled: allowRemote is false\)$/s,
    );
  });
});

describe('createRefusalJudge', () => {
  it('is off by default: the offline opening-sentences rule', async () => {
    expect(await createRefusalJudge()).toEqual({
      judge: OPENING_REFUSAL_DETECTOR,
      kind: 'rule',
      reason: 'classifier off; using opening-sentences v2',
    });
  });

  it('falls back to the rule and says why when the classifier cannot load', async () => {
    const r = await createRefusalJudge({
      classifierModel: 'nowhere/model',
      load: async () => {
        throw new Error('network unreachable');
      },
    });
    expect(r.judge).toBe(OPENING_REFUSAL_DETECTOR);
    expect(r.reason).toBe(
      'refusal classifier "nowhere/model" could not be loaded: network unreachable (remote download disabled: allowRemote is false); fell back to opening-sentences v2',
    );
  });

  it('uses the classifier when it loads', async () => {
    const r = await createRefusalJudge({
      classifierModel: 'stub/rejection',
      load: async () => async (texts) => texts.map(() => [{ label: 'REJECTION', score: 0.1 }]),
    });
    expect(r).toMatchObject({ kind: 'classifier', reason: 'loaded stub/rejection' });
    expect((await r.judge.judge(['hi']))[0].refused).toBe(false);
  });
});
