// The classifier judges run for real in Node: transformers.js (its Node build,
// ONNX Runtime's native CPU binding) loads the tiny fixtures from the fixture
// server in the hub's URL layout, through the lab's loader, and its scores
// are compared with the ones PyTorch computed when the fixtures were built
// (scripts/fixtures/build-classifier-fixtures.py).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCachedModels } from '../hub/model-cache';
import { type FixtureServer, startFixtureServer } from '../hub/testing/fixture-server';
import { MemoryCacheStorage } from '../hub/testing/memory-cache-storage';
import { createClassifierScorer } from './classifier-toxicity';
import { createRefusalClassifierJudge, createRefusalJudge } from './refusal-classifier';
import {
  maxAbsDifference,
  REFUSAL_FIXTURE_REPO,
  REFUSAL_REFERENCE,
  TOXIC_FIXTURE_REPO,
  TOXIC_REFERENCE,
  withOtherActivation,
  withShiftedLabels,
} from './testing/classifier-fixtures';
import { createToxicityScorer, OFFLINE_CLASSIFIER_NOTICE } from './toxicity-scorer';
import { loadTransformersPipeline } from './transformers-pipeline';

const dir = (name: string) => fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));
const TOXIC_DIR = dir('toxic-bert-tiny');
const REFUSAL_DIR = dir('refusal-tiny');
const toxicConfig = readFileSync(`${TOXIC_DIR}config.json`, 'utf8');
const refusalConfig = readFileSync(`${REFUSAL_DIR}config.json`, 'utf8');

const SHUFFLED_TOXIC = 'test-org/toxic-bert-tiny-shuffled';
const SOFTMAX_TOXIC = 'test-org/toxic-bert-tiny-softmax';
const SWAPPED_REFUSAL = 'test-org/refusal-tiny-swapped';
const SIGMOID_REFUSAL = 'test-org/refusal-tiny-sigmoid';
const STALLING = 'test-org/toxic-bert-tiny-stalling';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    [TOXIC_FIXTURE_REPO]: { dir: TOXIC_DIR },
    [REFUSAL_FIXTURE_REPO]: { dir: REFUSAL_DIR },
    [SHUFFLED_TOXIC]: { dir: TOXIC_DIR, files: { 'config.json': withShiftedLabels(toxicConfig) } },
    [SOFTMAX_TOXIC]: { dir: TOXIC_DIR, files: { 'config.json': withOtherActivation(toxicConfig) } },
    [SWAPPED_REFUSAL]: {
      dir: REFUSAL_DIR,
      files: { 'config.json': withShiftedLabels(refusalConfig) },
    },
    [SIGMOID_REFUSAL]: {
      dir: REFUSAL_DIR,
      files: { 'config.json': withOtherActivation(refusalConfig) },
    },
    [STALLING]: { dir: TOXIC_DIR, stall: ['onnx/model.onnx'] },
  });
});
afterAll(() => server.close());

const texts = (ref: typeof TOXIC_REFERENCE) => ref.texts.map((t) => t.text);
const requestsFor = (repo: string) => server.requests.filter((r) => r.startsWith(`/${repo}/`));

describe('the toxic-bert fixture through transformers.js in Node', () => {
  it('tokenises as the PyTorch build script did', async () => {
    const { AutoTokenizer, env } = await import('@huggingface/transformers');
    const before = { local: env.localModelPath, remote: env.allowRemoteModels };
    env.localModelPath = fileURLToPath(new URL('./fixtures/', import.meta.url));
    env.allowRemoteModels = false;
    try {
      const tokenizer = await AutoTokenizer.from_pretrained('toxic-bert-tiny');
      const ids = TOXIC_REFERENCE.texts.map((t) =>
        Array.from(tokenizer(t.text).input_ids.data as BigInt64Array, Number),
      );
      expect(ids).toEqual(TOXIC_REFERENCE.texts.map((t) => t.input_ids));
    } finally {
      env.localModelPath = before.local;
      env.allowRemoteModels = before.remote;
    }
  });

  it('gives PyTorch’s six sigmoid probabilities, by label name, to 1e-4, in one padded batch', async () => {
    const storage = new MemoryCacheStorage();
    const classify = await loadTransformersPipeline(TOXIC_FIXTURE_REPO, true, {
      host: server.url,
      cacheStorage: storage,
    });
    const results = await classify(texts(TOXIC_REFERENCE));
    const diff = maxAbsDifference(results, TOXIC_REFERENCE);
    console.log(
      `toxic-bert-tiny, Node (onnxruntime-node), model.onnx: max |Δ| vs PyTorch = ${diff}`,
    );
    expect(diff).toBeLessThan(1e-4);
    // Node's default dtype is fp32: the loader fetched the hub's files in the hub's layout.
    expect(requestsFor(TOXIC_FIXTURE_REPO)).toEqual(
      expect.arrayContaining([
        `/${TOXIC_FIXTURE_REPO}/resolve/main/config.json`,
        `/${TOXIC_FIXTURE_REPO}/resolve/main/tokenizer.json`,
        `/${TOXIC_FIXTURE_REPO}/resolve/main/tokenizer_config.json`,
        `/${TOXIC_FIXTURE_REPO}/resolve/main/onnx/model.onnx`,
      ]),
    );
    // …and kept them in the lab's model cache, where the cache view lists them.
    const [cached] = await listCachedModels(storage);
    expect(cached).toMatchObject({ repoId: TOXIC_FIXTURE_REPO, revision: 'main' });
    expect(cached.files.map((f) => f.file)).toEqual(
      expect.arrayContaining(['config.json', 'onnx/model.onnx', 'tokenizer.json']),
    );
  });

  it('scores each text with the toxic label’s probability, and loads from the cache with downloads off', async () => {
    const storage = new MemoryCacheStorage();
    const opts = { modelId: TOXIC_FIXTURE_REPO, host: server.url, cacheStorage: storage };
    const first = await createClassifierScorer({ ...opts, allowRemote: true, batchSize: 3 });
    const expected = TOXIC_REFERENCE.texts.map((t) => t.probabilities.toxic);
    const got = await first.score(texts(TOXIC_REFERENCE));
    expect(Math.max(...got.map((g, i) => Math.abs(g - expected[i])))).toBeLessThan(1e-4);

    const seen = server.requests.length;
    const second = await createClassifierScorer({ ...opts, allowRemote: false });
    expect(server.requests.length).toBe(seen);
    expect(await second.score(texts(TOXIC_REFERENCE))).toEqual(got);
  });

  it('reports byte progress per file', async () => {
    const events: { file: string; loaded: number; total: number | null }[] = [];
    await loadTransformersPipeline(TOXIC_FIXTURE_REPO, true, {
      host: server.url,
      cacheStorage: new MemoryCacheStorage(),
      onProgress: (p) => events.push(p),
    });
    const size = readFileSync(`${TOXIC_DIR}onnx/model.onnx`).byteLength;
    const last = events.filter((e) => e.file === 'onnx/model.onnx').at(-1);
    expect(last).toEqual({ file: 'onnx/model.onnx', loaded: size, total: size });
  });

  it('is caught by the comparison when id2label is shuffled or the activation is wrong', async () => {
    for (const repo of [SHUFFLED_TOXIC, SOFTMAX_TOXIC]) {
      const classify = await loadTransformersPipeline(repo, true, {
        host: server.url,
        cacheStorage: new MemoryCacheStorage(),
      });
      expect(maxAbsDifference(await classify(texts(TOXIC_REFERENCE)), TOXIC_REFERENCE), repo)
        // The fixture's label probabilities differ by far more than this.
        .toBeGreaterThan(0.05);
    }
  });

  it('stops a download when cancelled, without falling back to the lexicon', async () => {
    const controller = new AbortController();
    const loading = createToxicityScorer({
      classifierModel: STALLING,
      allowRemote: true,
      host: server.url,
      cacheStorage: new MemoryCacheStorage(),
      signal: controller.signal,
    });
    const stalled = `/${STALLING}/resolve/main/onnx/model.onnx`;
    // Cancel once the weights' download has started (and can never finish by itself).
    await expect.poll(() => server.requests.includes(stalled), { timeout: 30_000 }).toBe(true);
    controller.abort();
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('offline: no request, the lexicon in its place, and the notice once in the reason', async () => {
    const seen = server.requests.length;
    const r = await createToxicityScorer({
      classifierModel: TOXIC_FIXTURE_REPO,
      allowRemote: false,
      host: server.url,
      cacheStorage: new MemoryCacheStorage(),
    });
    expect(server.requests.length).toBe(seen);
    expect(r.kind).toBe('lexicon');
    expect(r.scorer.name).toBe(`lexicon (in place of classifier: ${TOXIC_FIXTURE_REPO})`);
    // Said once and plainly: no "Failed to fetch", no second "fell back to the lexicon".
    expect(r.reason).toBe(
      `${OFFLINE_CLASSIFIER_NOTICE}: ${TOXIC_FIXTURE_REPO} is not stored in this browser and downloads are off`,
    );
    expect(await r.scorer.score(['you idiot', 'hello'])).toEqual([1, 0]);
  });
});

describe('the refusal fixture through transformers.js in Node', () => {
  it('tokenises as the PyTorch build script did, and gives its softmax probabilities to 1e-4', async () => {
    const classify = await loadTransformersPipeline(REFUSAL_FIXTURE_REPO, true, {
      host: server.url,
      cacheStorage: new MemoryCacheStorage(),
      dtype: 'fp32',
    });
    const diff = maxAbsDifference(await classify(texts(REFUSAL_REFERENCE)), REFUSAL_REFERENCE);
    console.log(`refusal-tiny, Node (onnxruntime-node), model.onnx: max |Δ| vs PyTorch = ${diff}`);
    expect(diff).toBeLessThan(1e-4);
  });

  it('judges refusal as p(REJECTION) ≥ 0.5, as PyTorch’s probabilities say', async () => {
    const judge = await createRefusalClassifierJudge({
      modelId: REFUSAL_FIXTURE_REPO,
      allowRemote: true,
      host: server.url,
      cacheStorage: new MemoryCacheStorage(),
    });
    const verdicts = await judge.judge(texts(REFUSAL_REFERENCE));
    const p = REFUSAL_REFERENCE.texts.map((t) => t.probabilities.REJECTION);
    expect(verdicts.map((v) => v.refused)).toEqual(p.map((x) => x >= 0.5));
    expect(verdicts.map((v) => v.evidence)).toEqual(p.map((x) => `p(refusal) = ${x.toFixed(3)}`));
    // The fixture has both verdicts, so a flipped mapping shows.
    expect(new Set(verdicts.map((v) => v.refused)).size).toBe(2);
  });

  it('is caught when NORMAL/REJECTION are swapped or sigmoid replaces softmax', async () => {
    for (const repo of [SWAPPED_REFUSAL, SIGMOID_REFUSAL]) {
      const classify = await loadTransformersPipeline(repo, true, {
        host: server.url,
        cacheStorage: new MemoryCacheStorage(),
        dtype: 'fp32',
      });
      expect(
        maxAbsDifference(await classify(texts(REFUSAL_REFERENCE)), REFUSAL_REFERENCE),
        repo,
      ).toBeGreaterThan(0.05);
    }
  });

  it('offline: falls back to the opening-sentences rule with the notice', async () => {
    const r = await createRefusalJudge({
      classifierModel: REFUSAL_FIXTURE_REPO,
      host: server.url,
      cacheStorage: new MemoryCacheStorage(),
    });
    expect(r.kind).toBe('rule');
    expect(r.reason).toMatch(/^the refusal classifier needs the hub; .* not comparable \(refusal/);
  });
});
