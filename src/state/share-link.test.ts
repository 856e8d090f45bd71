import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE } from '../train/recipe';
import { decodeSetup, encodeSetup, type SharedSetup } from './share-link';

const setup: SharedSetup = {
  base: { kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-135M', revision: 'main' },
  reference: { kind: 'embedded', name: 'demo-safe' },
  trainSets: ['demo-toxicity-train', 'demo-bias-train'],
  evalSets: ['demo-toxicity-eval'],
  recipe: { ...DEFAULT_RECIPE, sftSteps: 7, beta: 0.25, seed: 42 },
};

describe('share link', () => {
  it('round-trips a setup and keeps only recipe fields that differ from the defaults', () => {
    const q = encodeSetup(setup);
    const params = new URLSearchParams(q);
    expect(params.get('m')).toBe('hub:HuggingFaceTB/SmolLM2-135M@main');
    expect(params.get('ref')).toBe('embedded:demo-safe');
    expect(JSON.parse(params.get('recipe')!)).toEqual({ sftSteps: 7, beta: 0.25, seed: 42 });
    expect(decodeSetup(q)).toEqual(setup);
  });

  it('gives null for a URL without a setup, so the app uses its defaults', () => {
    expect(decodeSetup('')).toBeNull();
    expect(decodeSetup('?utm=x')).toBeNull();
  });

  it('explains malformed links', () => {
    expect(() => decodeSetup('recipe=%7B%22sftSteps')).toThrow('not valid JSON');
    expect(() => decodeSetup('recipe={"bogus":1}')).toThrow('unknown fields: bogus');
    expect(() => decodeSetup('m=ftp://x')).toThrow('neither embedded:NAME nor hub:REPO@REVISION');
    expect(() => decodeSetup('recipe={"batchSize":0}')).toThrow(
      'batchSize must be a positive integer',
    );
  });
});
