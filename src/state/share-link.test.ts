import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE } from '../train/recipe';
import {
  decodeSetup,
  encodeSetup,
  isSavedSetup,
  readSavedSetups,
  rememberSetup,
  SAVED_SETUPS_KEPT,
  type SharedSetup,
} from './share-link';

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
    expect(decodeSetup(q)).toEqual({ setup, issues: [] });
  });

  it('gives null for a URL without a setup, so the app uses its defaults', () => {
    expect(decodeSetup('')).toBeNull();
    expect(decodeSetup('?utm=x')).toBeNull();
  });

  it('refuses a recipe that is not JSON at all (cut off when copied)', () => {
    expect(() => decodeSetup('recipe=%7B%22sftSteps')).toThrow('not valid JSON');
  });

  const decode = (q: string) => {
    const d = decodeSetup(q);
    if (!d) throw new Error('expected a setup');
    return d;
  };
  const recipeLink = (recipe: unknown) => `recipe=${encodeURIComponent(JSON.stringify(recipe))}`;

  it('replaces each invalid value by its default and names it; the valid ones stay', () => {
    const d = decode(recipeLink({ init: { kind: 'text', text: 5 }, sftSteps: 9, seed: -1 }));
    expect(d.setup.recipe).toEqual({ ...DEFAULT_RECIPE, sftSteps: 9 });
    expect(d.issues).toEqual([
      expect.stringMatching(/^recipe\.init must be .*\(got \{"kind":"text","text":5\}\)$/),
      'recipe.seed must be an integer from 0 to 4294967295 (got -1)',
    ]);
    expect(decode('recipe=null')).toEqual({
      setup: { ...decode('recipe={}').setup },
      issues: [expect.stringMatching(/^recipe must be an object of recipe fields \(got null\)/)],
    });
  });

  // The 38 values of issue 13 that the old decoder accepted, and more.
  it.each<[string, unknown]>([
    ['decay', 'bogus'],
    ['dpoReference', 'x'],
    ['seed', -1],
    ['seed', 1.5],
    ['seed', 'abc'],
    ['seed', 2 ** 60],
    ['maxGradNorm', -1],
    ['domains', 'toxicity'],
    ['domains', ['evil']],
    ['domains', ['bias', 'bias']],
    ['domains', null],
    ['domains', []],
    ['init', { kind: 'evil' }],
    ['init', { kind: 'text', text: '   ' }],
    ['init', { kind: 'random', extra: 1 }],
    ['init', null],
    ['nVirtualTokens', 1e9],
    ['batchSize', '8'],
    ['sftLr', 0],
    ['beta', null],
    ['minLrRatio', 1.5],
    ['marginThreshold', 'x'],
    ['checkpointLayers', 'yes'],
    ['checkpointLayers', 1],
    ['dpoNllWeight', -0.5],
    ['dpoNllWeight', 'x'],
  ])('%s: %j is named and replaced by the default', (key, value) => {
    const d = decode(recipeLink({ [key]: value }));
    expect(d.setup.recipe).toEqual(DEFAULT_RECIPE);
    expect(d.issues).toHaveLength(1);
    expect(d.issues[0]).toMatch(new RegExp(`^recipe\\.${key} must be .*\\(got `));
  });

  it('checks Adam field by field and keeps a good one', () => {
    const d = decode(recipeLink({ adam: { beta1: 2, beta2: 0.99 } }));
    expect(d.setup.recipe.adam).toEqual({ ...DEFAULT_RECIPE.adam, beta2: 0.99 });
    expect(d.issues).toEqual(['recipe.adam.beta1 must be in [0, 1) (got 2)']);
    expect(decode(recipeLink({ adam: 'x' })).issues[0]).toMatch(/^recipe\.adam must be an object/);
  });

  it('takes own fields only: __proto__, constructor and toString are unknown fields', () => {
    const d = decode('recipe={"__proto__":{"sftSteps":99},"constructor":1,"toString":2,"bogus":3}');
    expect(d.setup.recipe).toEqual(DEFAULT_RECIPE);
    expect(d.issues).toEqual([
      'recipe has an unknown field "__proto__" (ignored)',
      'recipe has an unknown field "constructor" (ignored)',
      'recipe has an unknown field "toString" (ignored)',
      'recipe has an unknown field "bogus" (ignored)',
    ]);
    expect(Object.getPrototypeOf(d.setup.recipe)).toBe(Object.prototype);
  });

  it('no training steps at all: both step counts get their defaults', () => {
    const d = decode(recipeLink({ sftSteps: 0, dpoSteps: 0, beta: 0.3 }));
    expect(d.setup.recipe).toEqual({ ...DEFAULT_RECIPE, beta: 0.3 });
    expect(d.issues).toEqual(['recipe: no training steps (sftSteps and dpoSteps are both 0)']);
  });

  it('a model it cannot read is named and left to the demo model; set names are bounded', () => {
    const d = decode(`m=ftp://x&ref=embedded:demo-safe&train=${'a'.repeat(201)},ok,ok`);
    expect(d.setup.base).toBeNull();
    expect(d.setup.reference).toEqual({ kind: 'embedded', name: 'demo-safe' });
    expect(d.setup.trainSets).toEqual(['ok']);
    expect(d.issues).toEqual([
      'M is given as "ftp://x", which is neither embedded:NAME nor hub:REPO@REVISION; the demo model is used',
      '1 training set name(s) longer than 200 characters are ignored',
    ]);
  });

  it('a recipe too deep to write out, or too long to be one, gives the defaults, named (no RangeError)', () => {
    // Deep enough that writing the value back out for the notice overflows the stack.
    const deep = decode(`recipe={"init":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(deep.setup.recipe).toEqual(DEFAULT_RECIPE);
    expect(deep.issues).toEqual([
      expect.stringMatching(/^recipe\.init must be .*\(got a nested array\)$/),
    ]);
    const long = decode(recipeLink({ init: { kind: 'text', text: 'x'.repeat(30_000) } }));
    expect(long.setup.recipe).toEqual(DEFAULT_RECIPE);
    expect(long.issues).toEqual([
      expect.stringMatching(
        /^the recipe is \d+ characters, more than any recipe needs \(20000\); the defaults are used$/,
      ),
    ]);
  });
});

describe('isSavedSetup (a reload is not a shared link)', () => {
  const q = encodeSetup(setup);
  it('is true for the text the lab saved, also with the set lists in another order', () => {
    expect(isSavedSetup(setup, [q])).toBe(true);
    const reordered = { ...setup, trainSets: [...setup.trainSets].reverse() };
    expect(isSavedSetup(reordered, [q])).toBe(true);
  });
  it('is false when nothing was saved, or any part of the setup differs', () => {
    expect(isSavedSetup(setup, [])).toBe(false);
    expect(isSavedSetup({ ...setup, recipe: { ...setup.recipe, sftSteps: 8 } }, [q])).toBe(false);
    expect(
      isSavedSetup({ ...setup, reference: { kind: 'embedded', name: 'demo-base' } }, [q]),
    ).toBe(false);
    expect(isSavedSetup({ ...setup, evalSets: [] }, [q])).toBe(false);
  });
  it('treats a saved text that no longer decodes as different, and an empty one as the defaults', () => {
    expect(isSavedSetup(setup, ['recipe=%7B'])).toBe(false);
    const bare: SharedSetup = {
      base: null,
      reference: null,
      trainSets: [],
      evalSets: [],
      recipe: DEFAULT_RECIPE,
    };
    expect(isSavedSetup(bare, [''])).toBe(true);
    expect(isSavedSetup(setup, [''])).toBe(false);
  });
  it('a reload started while the reference model loaded: the address holds the setup before it', () => {
    // The old page wrote the base alone into the address, the browser began
    // reloading that address, and then the reference arrived and the old
    // page saved the setup with both.
    const baseOnly = encodeSetup({ ...setup, reference: null });
    const saved = rememberSetup(rememberSetup([], baseOnly), q);
    expect(saved).toEqual([q, baseOnly]);
    expect(isSavedSetup({ ...setup, reference: null }, saved)).toBe(true);
    expect(isSavedSetup(setup, saved)).toBe(true);
  });
});

describe('rememberSetup / readSavedSetups', () => {
  it('keeps the newest first, each once, at most SAVED_SETUPS_KEPT', () => {
    expect(SAVED_SETUPS_KEPT).toBe(4);
    let saved: string[] = [];
    for (const q of ['a', 'b', 'a', 'c', 'd', 'e']) saved = rememberSetup(saved, q);
    expect(saved).toEqual(['e', 'd', 'c', 'a']);
  });
  it("reads version 1's single text and version 2's list; anything else is nothing", () => {
    expect(readSavedSetups('m=x', 1)).toEqual(['m=x']);
    expect(readSavedSetups(['a', 3, 'b', 'c', 'd', 'e'], 2)).toEqual(['a', 'b', 'c', 'd']);
    expect(readSavedSetups(['a'], 1)).toBeNull();
    expect(readSavedSetups('a', 2)).toBeNull();
    expect(readSavedSetups('a', 0)).toBeNull();
  });
});
