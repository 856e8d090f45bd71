// Seeded fuzzing of the share-link door and of the stored recipe draft. For
// every mutated link, decodeSetup must either refuse it cleanly (a recipe that
// is not JSON) or give a setup whose recipe the schema accepts, whose draft
// the form reads back to the same recipe, and which encodes to a link that
// decodes to itself without issues; a link decoded without issues must carry
// exactly the values it was given. For every mutated stored draft, readDraft
// must give a draft of the right types that the form can judge.
import { describe, expect, it } from 'vitest';
import { FuzzTally, fuzzVariants, isCleanError } from '../../scripts/fuzz/tally';
import { Rng } from '../engine/rng';
import { DEFAULT_RECIPE, resolveRecipe, type TrainRecipe } from '../train/recipe';
import { readDraft, recipeFromDraft } from './recipe-draft';
import { draftOfRecipe, recipeOfDraft } from './setup-state';
import { decodeSetup, encodeSetup, type SharedSetup } from './share-link';
import { DEFAULT_RECIPE_DRAFT } from './slices/recipe';

const VARIANTS = fuzzVariants(400);

const BASE: SharedSetup = {
  base: { kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-135M', revision: 'main' },
  reference: { kind: 'embedded', name: 'demo-safe' },
  trainSets: ['demo-toxicity-train', 'demo-bias-train'],
  evalSets: ['demo-toxicity-eval'],
  recipe: {
    ...DEFAULT_RECIPE,
    sftSteps: 7,
    beta: 0.25,
    seed: 42,
    decay: 'linear',
    domains: ['bias'],
    init: { kind: 'text', text: 'be kind' },
    adam: { beta1: 0.8, beta2: 0.99, epsilon: 1e-6 },
  },
};

const KEYS = [
  ...Object.keys(DEFAULT_RECIPE),
  'adam.beta1',
  'adam.beta2',
  'adam.epsilon',
  'adam.bogus',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'bogus',
];
const HOSTILE: unknown[] = [
  0,
  -1,
  1,
  1.5,
  2 ** 60,
  -0,
  1e308,
  null,
  true,
  '',
  'x',
  '8',
  'cosine',
  'sft-patch',
  [],
  ['evil'],
  ['bias'],
  ['bias', 'bias'],
  {},
  { kind: 'text', text: 5 },
  { kind: 'random' },
  { kind: 'text', text: 'ok' },
  { kind: 'evil' },
  { __proto__: { polluted: 1 } },
  { beta1: 2 },
];
const NOISE = ['{', '}', '[', ']', '"', ',', ':', '%', '&', '=', '\\', 'e', '0', '-', '%7B', '%00'];

const pick = <T>(xs: readonly T[], rng: Rng): T => xs[rng.int(xs.length)];

type Mutation = (query: string, rng: Rng) => string;

function withRecipe(query: string, edit: (r: Record<string, unknown>) => void): string {
  const p = new URLSearchParams(query);
  const r = JSON.parse(p.get('recipe') ?? '{}');
  edit(r);
  p.set('recipe', JSON.stringify(r));
  return p.toString();
}

const mutations: Record<string, Mutation> = {
  recipeValue: (q, rng) =>
    withRecipe(q, (r) => {
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const key = pick(KEYS, rng);
        const value = structuredClone(pick(HOSTILE, rng));
        if (key.startsWith('adam.')) {
          r.adam = { ...(r.adam as object), [key.slice(5)]: value };
        } else Object.defineProperty(r, key, { value, enumerable: true, writable: true });
      }
    }),
  recipeWhole: (q, rng) => {
    const p = new URLSearchParams(q);
    p.set('recipe', JSON.stringify(pick(HOSTILE, rng)));
    return p.toString();
  },
  noise: (q, rng) => {
    let out = q;
    for (let k = 1 + rng.int(4); k > 0; k--) {
      const at = rng.int(out.length + 1);
      out = out.slice(0, at) + pick(NOISE, rng) + out.slice(at);
    }
    return out;
  },
  truncate: (q, rng) => q.slice(0, rng.int(q.length)),
  deleteRange: (q, rng) => {
    const at = rng.int(q.length);
    return q.slice(0, at) + q.slice(at + 1 + rng.int(30));
  },
  models: (q, rng) => {
    const p = new URLSearchParams(q);
    const values = [
      'ftp://x',
      'embedded:',
      'hub:a@',
      'hub:a/b/c@main',
      `embedded:${'a'.repeat(300)}`,
      'hub:o/r@ main',
      '',
    ];
    p.set(pick(['m', 'ref'], rng), pick(values, rng));
    return p.toString();
  },
  setNames: (q, rng) => {
    const p = new URLSearchParams(q);
    const n = rng.int(200);
    const name = rng.int(2) ? 'x'.repeat(1 + rng.int(400)) : 's';
    p.set(
      pick(['train', 'eval'], rng),
      Array.from({ length: n }, (_, i) => `${name}${i}`).join(','),
    );
    return p.toString();
  },
  deepJson: (q, rng) => {
    const p = new URLSearchParams(q);
    const depth = 10 ** (2 + rng.int(3));
    p.set('recipe', `{"init":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    return p.toString();
  },
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What is wrong with a decoded link, or null. */
function judgeDecoded(query: string, d: { setup: SharedSetup; issues: string[] }): string | null {
  const { recipe } = d.setup;
  let resolved: TrainRecipe;
  try {
    resolved = resolveRecipe(recipe);
  } catch (e) {
    return `the repaired recipe is refused by the schema: ${String(e)}`;
  }
  if (!same(resolved, recipe)) return 'resolveRecipe changed the repaired recipe';
  if (Object.getPrototypeOf(recipe) !== Object.prototype) return 'the recipe has another prototype';
  if (!same(recipeOfDraft(draftOfRecipe(recipe)), recipe))
    return "the form's draft reads back differently";
  const encoded = encodeSetup(d.setup);
  const empty = {
    base: null,
    reference: null,
    trainSets: [],
    evalSets: [],
    recipe: DEFAULT_RECIPE,
  };
  // A link left with nothing but defaults encodes to no query at all.
  if (encoded === '') return same(d.setup, empty) ? null : 'a non-default setup encodes to nothing';
  const again = decodeSetup(encoded);
  if (!again || again.issues.length > 0 || !same(again.setup, d.setup))
    return `the repaired link does not decode to itself: ${JSON.stringify(again?.issues)}`;
  if (d.issues.length === 0) {
    // Accepted: every value it gave is the value it got.
    const raw = new URLSearchParams(query).get('recipe');
    const given = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(given)) {
      const got = (recipe as unknown as Record<string, unknown>)[k];
      if (k === 'adam' ? !same({ ...DEFAULT_RECIPE.adam, ...(v as object) }, got) : !same(got, v))
        return `accepted ${k} as ${JSON.stringify(got)} but was given ${JSON.stringify(v)}`;
    }
  }
  return null;
}

describe('share-link door under fuzzing', () => {
  it(`refuses, repairs with named issues, or keeps unchanged ${VARIANTS} mutated links`, async () => {
    const rng = new Rng(21);
    const base = encodeSetup(BASE);
    const names = Object.keys(mutations);
    const tally = new FuzzTally('share link (decodeSetup)');
    for (let i = 0; i < VARIANTS; i++) {
      const name = names[i % names.length];
      const query = mutations[name](base, rng);
      const verdict = await tally.run(() => {
        let d: ReturnType<typeof decodeSetup>;
        try {
          d = decodeSetup(query);
        } catch (e) {
          return isCleanError(e) && /not valid JSON/.test(e.message)
            ? 'rejected'
            : `threw ${String(e)}`;
        }
        if (d === null) return 'rejected'; // no setup in the URL: the lab opens with its defaults
        const wrong = judgeDecoded(query, d);
        if (wrong) return wrong;
        return d.issues.length > 0 ? 'rejected' : 'accepted';
      });
      if (verdict === 'rejected') tally.rejected();
      else if (verdict === 'accepted') tally.accepted();
      else tally.defect(`${name} #${i}: ${verdict}`);
    }
    const report = tally.finish();
    if (process.env.FUZZ_VARIANTS) console.log(JSON.stringify(report));
    expect(report.defectExamples).toEqual([]);
    expect(report.variants).toBe(VARIANTS);
    expect(report.rejected).toBeGreaterThan(VARIANTS / 4);
    expect(report.accepted).toBeGreaterThan(VARIANTS / 20);
    expect(report.slowestMs).toBeLessThan(2000);
    expect(report.peakMemoryMb).toBeLessThan(300);
  });
});

describe('stored recipe draft under fuzzing', () => {
  const DRAFT_KEYS = [
    'numbers',
    'adam',
    'domainMode',
    'singleDomain',
    'initKind',
    'initText',
    'dpoReference',
    'decay',
    'numbers.seed',
    'numbers.batchSize',
    'adam.beta1',
    '__proto__',
  ];

  it(`reads ${VARIANTS} mutated stored drafts into drafts the form can judge`, async () => {
    const rng = new Rng(22);
    const tally = new FuzzTally('stored recipe draft (readDraft)');
    for (let i = 0; i < VARIANTS; i++) {
      const stored = JSON.parse(JSON.stringify(DEFAULT_RECIPE_DRAFT)) as Record<string, unknown>;
      let changed = false;
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const key = pick(DRAFT_KEYS, rng);
        const value = structuredClone(pick(HOSTILE, rng));
        const [head, sub] = key.split('.');
        const inner = stored[head];
        const nested = sub !== undefined && typeof inner === 'object' && inner !== null;
        const target = nested ? (inner as Record<string, unknown>) : stored;
        Object.defineProperty(target, nested ? sub : head, {
          value,
          enumerable: true,
          writable: true,
        });
        changed = true;
      }
      const verdict = await tally.run(() => {
        let draft: ReturnType<typeof readDraft>;
        try {
          draft = readDraft(JSON.parse(JSON.stringify(stored)), DEFAULT_RECIPE_DRAFT);
        } catch (e) {
          return `threw ${String(e)}`;
        }
        const strings = [
          ...Object.values(draft.numbers),
          ...Object.values(draft.adam),
          draft.initText,
        ];
        if (!strings.every((x) => typeof x === 'string')) return 'a field is not text';
        let judged: ReturnType<typeof recipeFromDraft>;
        try {
          judged = recipeFromDraft(draft, ['toxicity', 'bias', 'harmful']);
        } catch (e) {
          return `the form threw ${String(e)}`;
        }
        if (judged.recipe === null && typeof judged.error !== 'string')
          return 'no recipe, no error';
        return same(draft, DEFAULT_RECIPE_DRAFT) && changed ? 'rejected' : 'accepted';
      });
      if (verdict === 'rejected') tally.rejected();
      else if (verdict === 'accepted') tally.accepted();
      else tally.defect(`#${i}: ${verdict}`);
    }
    const report = tally.finish();
    if (process.env.FUZZ_VARIANTS) console.log(JSON.stringify(report));
    expect(report.defectExamples).toEqual([]);
    expect(report.slowestMs).toBeLessThan(2000);
    expect(report.peakMemoryMb).toBeLessThan(300);
  });
});
