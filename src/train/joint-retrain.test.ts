// Joint retraining with a tiny model: the union of the parents' pairs is
// exactly the items listed by hand, the run starts at the parents'
// concatenation (its first SFT loss equals the loss computed independently on
// that prefix over exactly the union), the after-evaluation sees the trained
// rows, and the new patch's manifest carries parents, order and beforeJoint
// with the hand-worked gaps, through a file round trip.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../data/types';
import { useBackend } from '../engine/backends';
import { Rng } from '../engine/rng';
import { continuationLogProbs } from '../engine/score';
import { tf } from '../engine/tf';
import type { EvalReport } from '../eval/report';
import { decodePatchFile, encodePatchFile } from '../patch/file';
import { tensorSha256 } from '../patch/hash';
import { CURRENT_FORMAT_VERSION, type Patch } from '../patch/types';
import type { ModelSummary } from '../protocol/messages';
import { buildJointPatch, jointComposition } from '../worker/joint-patch';
import type { CollectedItem, CollectedSet } from './collected';
import {
  concatenatedRows,
  JointRetrainError,
  jointDomains,
  jointPairsId,
  jointRecipe,
  unionOfPairs,
} from './joint-retrain';
import { type JointEvalTarget, runJointRetrain } from './joint-run';
import { sftLoss } from './losses';
import type { TrainRecipe } from './recipe';
import { createTinyLM } from './testing/tiny-lm';
import { Trainer } from './trainer';

const VOCAB = 16;
const HIDDEN = 8;

/** A set whose items are named `${tag}-${domain}-${i}` so the union can be listed by hand. */
function set(tag: string, kinds: string[], opts: { base?: string } = {}): CollectedSet {
  const rng = new Rng(tag.charCodeAt(0));
  const word = () => 2 + rng.int(VOCAB - 2);
  const items: CollectedItem[] = kinds.map((domain, i) => {
    const chosenIds = [word(), word(), 1];
    const rejectedIds = [word(), word(), word()];
    return {
      domain: domain as CollectedItem['domain'],
      promptText: `${tag}-${domain}-${i}`,
      promptIds: [0, word(), word()],
      chosenIds,
      chosenText: chosenIds.join(' '),
      rejectedIds,
      rejectedText: rejectedIds.join(' '),
      refChosen: -2,
      refRejected: -6,
    };
  });
  return {
    version: 1,
    id: `collected-${tag.padEnd(16, '0')}`,
    baseModelId: opts.base ?? 'test/base',
    referenceModelId: 'test/safe',
    promptSets: [...new Set(kinds)].map((k) => ({
      name: `${tag} ${k}`,
      kind: k as CollectedSet['promptSets'][number]['kind'],
      source: 'test',
      count: kinds.filter((x) => x === k).length,
    })),
    settings: {
      temperature: 0,
      topK: 0,
      topP: 1,
      maxAnswerTokens: 8,
      maxPromptTokens: 8,
      batchSize: 4,
      seed: 1,
    },
    items,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

const SA = set('a', ['toxicity', 'bias', 'toxicity', 'harmful', 'safe']);
const SB = set('b', ['harmful', 'toxicity', 'safe', 'bias']);

function parent(name: string, domains: Domain[], nVirtual: number, seed: number) {
  const rng = new Rng(seed);
  return {
    name,
    domains,
    nVirtual,
    hidden: HIDDEN,
    embeddings: Float32Array.from({ length: nVirtual * HIDDEN }, () => rng.normal() * 0.5),
  };
}
const A = parent('tox', ['toxicity'], 2, 11);
const B = parent('harm', ['harmful'], 3, 12);

describe('the plan', () => {
  it("takes each parent's pairs in its own domains, a shared item once, harmless look-alikes with harmful", () => {
    const u = unionOfPairs([
      { parent: A, set: SA },
      { parent: B, set: SB },
      // Shares SA with A: its toxicity items are already in.
      { parent: { name: 'tox+bias', domains: ['toxicity', 'bias'] }, set: SA },
    ]);
    expect(u.items.map((it) => it.promptText)).toEqual([
      'a-toxicity-0',
      'a-toxicity-2',
      'b-harmful-0',
      'b-safe-2',
      'a-bias-1',
    ]);
    expect(u.id).toMatch(/^joint-[0-9a-f]{16}$/);
    expect(u.promptSets.map((s) => s.name).sort()).toEqual([
      'a bias',
      'a toxicity',
      'b harmful',
      'b safe',
    ]);
  });

  it('names the union by its parts, not by the stack order', () => {
    const ab = jointPairsId([
      { parent: A, set: SA },
      { parent: B, set: SB },
    ]);
    const ba = jointPairsId([
      { parent: B, set: SB },
      { parent: A, set: SA },
    ]);
    const other = jointPairsId([
      { parent: { ...A, domains: ['bias'] }, set: SA },
      { parent: B, set: SB },
    ]);
    expect(ab).toBe(ba);
    expect(other).not.toBe(ab);
  });

  it('refuses a parent without pairs in its domains, and pairs of another base model', () => {
    expect(() =>
      unionOfPairs([
        { parent: A, set: SA },
        { parent: { name: 'bias only', domains: ['bias'] }, set: set('c', ['toxicity']) },
      ]),
    ).toThrow(/"bias only" hold none in its domains \(bias\)/);
    expect(() =>
      unionOfPairs([
        { parent: A, set: SA },
        { parent: B, set: set('d', ['harmful'], { base: 'other/base' }) },
      ]),
    ).toThrow(JointRetrainError);
  });

  it('concatenates the rows in stack order and sets length and domains of the recipe', () => {
    const c = concatenatedRows([A, B]);
    expect(c.nVirtual).toBe(5);
    expect(Array.from(c.rows)).toEqual([...A.embeddings, ...B.embeddings]);
    const r = jointRecipe({ nVirtualTokens: 50, domains: ['bias'], sftSteps: 3 }, [A, B]);
    expect([r.nVirtualTokens, r.domains, r.sftSteps]).toEqual([5, ['toxicity', 'harmful'], 3]);
    expect(jointDomains([B, A])).toEqual(['toxicity', 'harmful']);
    expect(() =>
      concatenatedRows([A, { ...B, hidden: 4, embeddings: new Float32Array(12) }]),
    ).toThrow(/same base model/);
  });
});

/** A report with one toxicity and one refusal metric, per prompt (mean aggregate). */
function report(label: string, tox: number[], refusal: number[]): EvalReport {
  const metric = (id: string, values: number[]) => ({
    id,
    label: id,
    value: values.reduce((a, b) => a + b, 0) / values.length,
    better: 'lower' as const,
    perPrompt: { aggregate: 'mean' as const, keys: values.map((_, i) => `p${i}`), values },
  });
  return {
    label,
    patched: label !== 'M' && label !== 'M′',
    sampling: { maxNewTokens: 1, temperature: 1, topK: 0, topP: 1, seed: 1 },
    samplesPerPrompt: 1,
    scorers: { toxicity: 't', refusal: 'r', gender: 'g' },
    metrics: [metric('toxicity.expectedMax', tox), metric('harmful.refusalRate', refusal)],
    elapsedMs: 0,
  } as EvalReport;
}
const M = report('M', [1, 1, 1, 1], [0, 0, 0, 0]);
const REF = report('M′', [0, 0, 0, 0], [1, 1, 1, 1]);
// Gaps closed (toxicity, refusal): tox alone 1, harm alone 3/4; the plain
// stack 1/2 and 1/4; the jointly retrained patch 3/4 and 1/2.
const FAKE: Record<string, EvalReport> = {
  T: report('T', [0, 0, 0, 0], [0, 0, 0, 0]),
  H: report('H', [1, 1, 1, 1], [1, 1, 1, 0]),
  'T,H': report('T→H', [0, 0, 1, 1], [1, 0, 0, 0]),
  joint: report('joint', [0, 0, 0, 1], [1, 1, 0, 0]),
};

const RECIPE: Partial<TrainRecipe> = {
  init: { kind: 'random' },
  sftSteps: 2,
  dpoSteps: 1,
  // The union of PAIRS has 4 items: one batch is all of it.
  batchSize: 4,
  gradAccumulation: 1,
  sftLr: 0.05,
  dpoLr: 0.02,
  warmupSteps: 0,
  marginThreshold: 0,
  dpoReference: 'reference-model',
  seed: 3,
  checkpointEvery: 0,
  evalEvery: 0,
  maxPromptTokens: 8,
  maxAnswerTokens: 8,
};

const members = [
  { id: 'T', name: 'tox', domains: ['toxicity' as const] },
  { id: 'H', name: 'harm', domains: ['harmful' as const] },
];
// Both parents' pairs are in SA: tox takes its toxicity items, harm its harmful and safe ones.
const PAIRS = [SA, SA];

describe('runJointRetrain on a tiny model', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('starts at the concatenation and trains on exactly the union', async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const union = unionOfPairs([
      { parent: A, set: SA },
      { parent: B, set: SA },
    ]);
    expect(union.items.map((i) => i.promptText)).toEqual([
      'a-toxicity-0',
      'a-toxicity-2',
      'a-harmful-3',
      'a-safe-4',
    ]);
    const recipe = jointRecipe(RECIPE, [A, B]);
    const start = concatenatedRows([A, B]).rows;
    const trainer = await Trainer.create(recipe, { model, data: union }, { startFrom: start });
    expect(Array.from(trainer.getPatch())).toEqual(Array.from(start));

    // The first SFT loss, computed here on the concatenated prefix over the union's items.
    const lossOn = (items: CollectedItem[]) =>
      tf.tidy(() => {
        const lp = continuationLogProbs(
          model,
          { prompts: items.map((i) => i.promptIds), continuations: items.map((i) => i.chosenIds) },
          tf.tensor2d(start, [5, HIDDEN]),
        );
        return sftLoss(lp.sum, lp.tokenCount).dataSync()[0];
      });
    const expected = lossOn(union.items);
    const first = await trainer.step();
    expect(first.stage).toBe('sft');
    expect(first.loss).toBeCloseTo(expected, 5);
    // Not merely any loss: over all of SA's items (bias included) it differs.
    expect(Math.abs(lossOn(SA.items) - expected)).toBeGreaterThan(1e-3);
    expect(Array.from(trainer.getPatch())).not.toEqual(Array.from(start));
  });

  it('evaluates alone, the stack, then the trained rows, and reports before and after', async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const seen: JointEvalTarget[] = [];
    const progress: string[] = [];
    const result = await runJointRetrain({
      model,
      members,
      parents: [A, B],
      pairs: PAIRS,
      recipe: RECIPE,
      base: M,
      reference: REF,
      evaluate: async (t) => {
        seen.push(t);
        return FAKE[t.kind === 'joint' ? 'joint' : t.order.join()];
      },
      onProgress: (p) => progress.push(`${p.phase} ${p.done}/${p.total}`),
      bootstrap: { seed: 1, resamples: 200 },
    });
    expect(seen.slice(0, 3)).toEqual([
      { kind: 'stack', order: ['T'] },
      { kind: 'stack', order: ['H'] },
      { kind: 'stack', order: ['T', 'H'] },
    ]);
    const last = seen[3];
    expect(last.kind).toBe('joint');
    if (last.kind !== 'joint') return;
    expect(last.nVirtual).toBe(5);
    expect(Array.from(last.rows)).toEqual(Array.from(result.trainer.getPatch()));
    expect(result.trainer.completedSteps).toBe(3);
    expect(progress).toEqual([
      'before 0/7',
      'before 1/7',
      'before 2/7',
      'train 4/7',
      'train 5/7',
      'train 6/7',
      'after 6/7',
      'after 7/7',
    ]);
    const r = result.report;
    expect(r.before.rows.map((x) => [x.domain, x.alone.value, x.cells[0].stacked.value])).toEqual([
      ['toxicity', 1, 0.5],
      ['harmful', 0.75, 0.25],
    ]);
    expect(r.after.rows.map((x) => x.cells[0].stacked.value)).toEqual([0.75, 0.5]);
    expect(r.changes.map((c) => c.gain.value)).toEqual([0.25, 0.25]);
    expect(r.changes[0].gain.interval.lo).toBeLessThanOrEqual(0.25);
    expect(r.changes[0].gain.interval.hi).toBeGreaterThanOrEqual(0.25);
  });

  it('cancels between updates', async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    let updates = 0;
    await expect(
      runJointRetrain({
        model,
        members,
        parents: [A, B],
        pairs: PAIRS,
        recipe: RECIPE,
        base: M,
        reference: REF,
        evaluate: async (t) => FAKE[t.kind === 'joint' ? 'joint' : t.order.join()],
        onProgress: (p) => {
          if (p.phase === 'train') updates++;
        },
        checkCancelled: () => {
          if (updates >= 1) throw new Error('cancelled');
        },
      }),
    ).rejects.toThrow('cancelled');
    expect(updates).toBe(1);
  });

  it("the new patch's manifest lists the parents in order, the union's pairs and beforeJoint", async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const result = await runJointRetrain({
      model,
      members,
      parents: [A, B],
      pairs: PAIRS,
      recipe: RECIPE,
      base: M,
      reference: REF,
      evaluate: async (t) => FAKE[t.kind === 'joint' ? 'joint' : t.order.join()],
      bootstrap: { seed: 1, resamples: 50 },
    });
    const asPatch = async (p: typeof A): Promise<Patch> => ({
      embeddings: p.embeddings,
      nVirtual: p.nVirtual,
      hidden: HIDDEN,
      manifest: {
        formatVersion: CURRENT_FORMAT_VERSION,
        name: p.name,
        createdAt: '2026-01-01T00:00:00.000Z',
        base: {
          id: 'test/base',
          revision: 'r',
          architecture: 'llama',
          hiddenSize: HIDDEN,
          fingerprint: 'fp',
        },
        domains: p.domains,
        recipe: null,
        metrics: {},
        parents: [],
        tensorSha256: await tensorSha256(p.embeddings),
      },
    });
    const parents = [await asPatch(A), await asPatch(B)];
    const hashes = { T: parents[0].manifest.tensorSha256, H: parents[1].manifest.tensorSha256 };
    const composition = jointComposition(result.report, (id) => hashes[id as 'T' | 'H'], {
      evaluatedOrders: 2,
      recommendedOrder: [hashes.H, hashes.T],
    });
    const patch = await buildJointPatch({
      state: result.trainer.getState(),
      base: BASE,
      data: result.data,
      name: 'tox + harm (joint)',
      parents,
      composition,
    });
    const back = await decodePatchFile(await encodePatchFile(patch), {
      fileName: 'joint.patch.safetensors',
      expectedBase: { id: 'test/base', revision: 'r', hiddenSize: HIDDEN, fingerprint: 'fp' },
    });
    const m = back.patch.manifest;
    expect(m.parents).toEqual([
      { name: 'tox', tensorSha256: hashes.T, nVirtual: 2 },
      { name: 'harm', tensorSha256: hashes.H, nVirtual: 3 },
    ]);
    expect(m.composition).toEqual({
      order: [hashes.T, hashes.H],
      domains: [
        { domain: 'toxicity', alone: 1, stacked: 0.75 },
        { domain: 'harmful', alone: 0.75, stacked: 0.5 },
      ],
      evaluatedOrders: 2,
      recommendedOrder: [hashes.H, hashes.T],
      beforeJoint: [
        { domain: 'toxicity', stacked: 0.5 },
        { domain: 'harmful', stacked: 0.25 },
      ],
    });
    expect(m.domains).toEqual(['toxicity', 'harmful']);
    expect(m.recipe?.init).toEqual({ method: 'concatenation' });
    expect(m.recipe?.stages).toEqual([
      { kind: 'sft', steps: 2 },
      { kind: 'dpo', steps: 1 },
    ]);
    expect(m.recipe?.collectedSetId).toBe(result.data.id);
    expect(back.patch.nVirtual).toBe(5);
    expect(Array.from(back.patch.embeddings)).toEqual(Array.from(result.trainer.getPatch()));
  });
});

const BASE: ModelSummary = {
  role: 'base',
  sourceId: 'test',
  sourceKind: 'embedded',
  backend: 'cpu',
  loadMs: 1,
  label: 'Test base',
  modelId: 'test/base',
  revision: 'r',
  modelType: 'llama',
  params: 1000,
  hiddenSize: HIDDEN,
  numLayers: 1,
  vocabSize: VOCAB,
  embeddingFingerprint: 'fp',
};
