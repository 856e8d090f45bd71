// The worker's M+R evaluation end to end on the random GPT-2 fixture (hidden
// size 2): the evaluate command for target 'control' builds a random patch
// at M's embedding norm (no patch applied), reports it as a control, and
// caches it under a key that holds the seed and the rows' norms.
import 'fake-indexeddb/auto';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import { loadModel } from '../engine/load';
import { NodeDirectorySource } from '../engine/node-directory-source';
import { rowNorms } from '../eval/random-control';
import { DEFAULT_EVAL_CONFIG } from '../protocol/eval-defaults';
import type { EvalConfig, EvalResult, LabEvent, ModelSummary } from '../protocol/messages';
import { evalHandlers } from './handlers/eval';
import { session } from './session';

const GPT2 = resolve(process.cwd(), '../shared/fixtures/hf-gpt2-random');

const config = (seed: number): EvalConfig => ({
  ...DEFAULT_EVAL_CONFIG,
  sets: {
    toxicity: { source: 'builtin' },
    bias: { source: 'off' },
    harmful: { source: 'off' },
    safe: { source: 'off' },
    general: { source: 'off' },
  },
  k: 1,
  sampling: { maxNewTokens: 2, temperature: 0, topK: 0, topP: 1, seed: 1 },
  scorer: { kind: 'lexicon' },
  maxPromptsPerSet: 2,
  control: { seed },
});

let n = 0;
async function evaluateControl(seed: number, nVirtual = 3): Promise<EvalResult> {
  const events: LabEvent[] = [];
  await evalHandlers.evaluate(
    {
      type: 'evaluate',
      runId: `r${n++}`,
      target: 'control',
      config: config(seed),
      force: false,
      controlShape: { nVirtual },
    },
    (e) => events.push(e),
  );
  const result = events.find((e) => e.type === 'eval-result');
  if (result?.type !== 'eval-result') throw new Error(`no result: ${JSON.stringify(events)}`);
  return result.result;
}

beforeAll(async () => {
  expect(await useBackend('cpu')).toEqual({ ok: true });
  const loaded = await loadModel(new NodeDirectorySource(GPT2));
  session.models.base = {
    role: 'base',
    model: loaded.model,
    tokenizer: loaded.tokenizer,
    config: loaded.model.config,
    source: new NodeDirectorySource(GPT2),
    summary: { embeddingFingerprint: 'fp-gpt2', label: 'gpt2-random' } as ModelSummary,
  };
});

describe('evaluate target control in the worker', () => {
  it('reports kind control with the seed and shape, at the embedding norm without a patch', async () => {
    const r = await evaluateControl(5);
    expect(r.target).toBe('control');
    expect(r.cached).toBe(false);
    expect(r.report.targetKind).toBe('control');
    expect(r.report.control).toEqual({ kind: 'random-patch', seed: 5, n: 3, hidden: 2 });
    expect(r.control?.from).toBe('embedding');
    expect(r.modelLabel).toMatch(/^M\+R · random patch, untrained/);
    expect(
      r.report.metrics.find((m) => m.id === 'toxicity.expectedMax')?.perPrompt?.keys,
    ).toHaveLength(2);
  });

  it('is cached by seed and norms: same seed hits, another seed or length does not', async () => {
    const again = await evaluateControl(5);
    expect(again.cached).toBe(true);
    const otherSeed = await evaluateControl(6);
    expect(otherSeed.cached).toBe(false);
    expect(otherSeed.report.control?.seed).toBe(6);
    const longer = await evaluateControl(5, 4);
    expect(longer.cached).toBe(false);
    expect(longer.control?.normsHash).not.toBe(again.control?.normsHash);
  });

  it('uses rows at the mean embedding row norm', async () => {
    // Hand check of the template scale on the fixture's own embedding table.
    const table = session.models.base!.model.embeddingMatrix();
    const data = await table.data();
    const [vocab, hidden] = table.shape;
    const norms = rowNorms(data as Float32Array, vocab, hidden);
    const mean = norms.reduce((a, b) => a + b, 0) / vocab;
    expect(mean).toBeGreaterThan(0);
    // Same norms → same hash → the second evaluation above was a cache hit; a
    // different length changed it. Here: the hash is a function of the norms only.
    const { embeddingScaleTemplate, normsHash } = await import('./eval-control');
    expect(normsHash(embeddingScaleTemplate(3, hidden, mean))).toBe(
      (await evaluateControl(5)).control?.normsHash,
    );
  });
});
