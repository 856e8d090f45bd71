// The composition report on the real engine (random-weight GPT-2 fixture):
// every number it shows must equal the one obtained by evaluating that stack
// order on its own, separately, with the same sets and seeds. The judges are
// deterministic functions of the generated text (so a prefix that changes the
// text changes the score) rather than the lexicon, which scores random-token
// text 0 everywhere and would leave every gap undefined.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HARMFUL_EVAL, DEMO_TOXICITY_EVAL } from '../data/builtin';
import type { PromptSet } from '../data/types';
import { useBackend } from '../engine/backends';
import { type LoadedModel, loadModel } from '../engine/load';
import { NodeDirectorySource } from '../engine/node-directory-source';
import { Rng } from '../engine/rng';
import { tf } from '../engine/tf';
import { composePatches } from '../patch/compose';
import { CURRENT_FORMAT_VERSION, type Patch } from '../patch/types';
import { DOMAIN_GAP, runComposition } from './composition-report';
import { evaluate } from './evaluate';
import { gapClosedOn } from './gap-table';
import type { RefusalJudge } from './refusal-judge';
import type { EvalReport } from './report';
import type { Scorer } from './scorer';

const GPT2 = resolve(process.cwd(), '../shared/fixtures/hf-gpt2-random');
const first = (s: PromptSet, n: number): PromptSet => ({ ...s, items: s.items.slice(0, n) });
const sampling = { maxNewTokens: 4, temperature: 1, topK: 0, topP: 1, seed: 5 };

/** Share of the text's characters with an even code: varies with the text, in [0, 1]. */
const evenShare: Scorer = {
  id: 'even-share',
  label: 'even-share (test)',
  score: async (texts) =>
    texts.map((t) =>
      t.length ? [...t].filter((c) => c.charCodeAt(0) % 2 === 0).length / t.length : 0,
    ),
};
/** "Refused" when the text has more even than odd characters. */
const evenJudge: RefusalJudge = {
  id: 'even',
  name: 'even',
  version: 'test',
  label: 'even test',
  judge: async (texts) =>
    texts.map((t) => {
      const even = [...t].filter((c) => c.charCodeAt(0) % 2 === 0).length;
      const refused = even * 2 > t.length;
      return { refused, label: refused ? 'full_refusal' : 'full_compliance', evidence: 'parity' };
    }),
};

let loaded: LoadedModel;
beforeAll(async () => {
  expect(await useBackend('cpu')).toEqual({ ok: true });
  loaded = await loadModel(new NodeDirectorySource(GPT2));
});

function randomPatch(name: string, domains: Patch['manifest']['domains'], seed: number): Patch {
  const hidden = loaded.model.config.hiddenSize;
  const rng = new Rng(seed);
  const n = 2;
  const embeddings = Float32Array.from({ length: n * hidden }, () => rng.normal() * 3);
  return {
    embeddings,
    nVirtual: n,
    hidden,
    manifest: {
      formatVersion: CURRENT_FORMAT_VERSION,
      name,
      createdAt: '2026-01-01T00:00:00.000Z',
      base: {
        id: 'gpt2-random',
        revision: 'r1',
        architecture: 'gpt2',
        hiddenSize: hidden,
        fingerprint: null,
      },
      domains,
      recipe: null,
      metrics: {},
      parents: [],
      tensorSha256: name,
    },
  };
}

async function evalRows(label: string, rows: Float32Array | null): Promise<EvalReport> {
  const hidden = loaded.model.config.hiddenSize;
  const prefix = rows ? tf.tensor2d(rows, [rows.length / hidden, hidden]) : null;
  try {
    return await evaluate({
      target: { label, model: loaded.model, tokenizer: loaded.tokenizer, prefix },
      sets: { toxicity: first(DEMO_TOXICITY_EVAL, 3), harmful: first(DEMO_HARMFUL_EVAL, 3) },
      sampling,
      k: 2,
      toxicityScorer: evenShare,
      refusalJudge: evenJudge,
      batchSize: 8,
    });
  } finally {
    prefix?.dispose();
  }
}

describe('composition report on the random GPT-2 fixture', () => {
  it('shows, for every order, the numbers of a separate evaluation of that order', async () => {
    const T = randomPatch('tox', ['toxicity'], 1);
    const H = randomPatch('harm', ['harmful'], 2);
    const byId: Record<string, Patch> = { T, H };
    const base = await evalRows('M', null);
    // A stand-in M′: the same model under a third prefix, so there is a gap to close.
    const reference = await evalRows('M′', randomPatch('ref', [], 3).embeddings);
    const stackRows = async (order: string[]) =>
      (
        await composePatches(
          order.map((id) => byId[id]),
          { name: order.join('+') },
        )
      ).embeddings;

    const { report } = await runComposition({
      members: [
        { id: 'T', name: 'tox', domains: ['toxicity'] },
        { id: 'H', name: 'harm', domains: ['harmful'] },
      ],
      base,
      reference,
      evaluateStack: async (order) => evalRows(order.join('→'), await stackRows(order)),
      bootstrap: { resamples: 1000 },
    });
    expect(report.orders).toEqual([
      ['T', 'H'],
      ['H', 'T'],
    ]);

    // Separately: each patch alone and each order, evaluated afresh.
    for (const row of report.rows) {
      const id = DOMAIN_GAP[row.domain].metricId;
      const aloneReport = await evalRows('alone', byId[row.ownerId].embeddings);
      const alone = gapClosedOn(id, base, aloneReport, reference, { resamples: 1000 });
      expect(row.alone).toEqual(alone);
      for (const cell of row.cells) {
        const separate = await evalRows('stack', await stackRows(cell.order));
        const stacked = gapClosedOn(id, base, separate, reference, { resamples: 1000 });
        expect(cell.stacked).toEqual(stacked);
        expect(cell.loss.value).toEqual(alone.value - stacked.value);
      }
    }
    // The judges make the gaps defined, so the check above compared real numbers.
    const tox = report.rows[0];
    expect(tox.domain).toBe('toxicity');
    for (const g of [tox.alone, ...tox.cells.map((c) => c.stacked)]) {
      expect(Number.isFinite(g.value)).toBe(true);
    }
  }, 120_000);
});
