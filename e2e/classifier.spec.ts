// The classifier judges in Chromium: transformers.js's web build with ONNX
// Runtime Web (wasm; WebGPU where the adapter allows) loads the tiny
// fixtures from the fixture server in the hub's URL layout (another origin,
// as the hub is), keeps them in the browser's Cache API, and must give the
// probabilities PyTorch computed (src/eval/fixtures/*/reference.json) to 1e-4.
// The page is e2e/classifier-harness, built here by Vite from the lab's own
// eval modules.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { build } from 'vite';
import {
  REFUSAL_FIXTURE_REPO,
  TOXIC_FIXTURE_REPO,
  withOtherActivation,
  withShiftedLabels,
} from '../src/eval/testing/classifier-fixtures';
import { type FixtureServer, startFixtureServer } from '../src/hub/testing/fixture-server';
import type { harness } from './classifier-harness/main';

declare global {
  var classifierHarness: typeof harness;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const TOXIC_DIR = here('../src/eval/fixtures/toxic-bert-tiny/');
const REFUSAL_DIR = here('../src/eval/fixtures/refusal-tiny/');
const OUT = here(`../test-results-classifier-harness-${process.env.PW_PORT ?? 'default'}/`);
const SHUFFLED = 'test-org/toxic-bert-tiny-shuffled';
const SOFTMAX = 'test-org/toxic-bert-tiny-softmax';
const SWAPPED = 'test-org/refusal-tiny-swapped';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};

let hub: FixtureServer;
let page_: Server;
let pageUrl: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await build({
    configFile: false,
    root: here('./classifier-harness/'),
    logLevel: 'warn',
    build: { outDir: OUT, emptyOutDir: true, target: 'es2022' },
  });
  const toxicConfig = readFileSync(`${TOXIC_DIR}config.json`, 'utf8');
  const refusalConfig = readFileSync(`${REFUSAL_DIR}config.json`, 'utf8');
  hub = await startFixtureServer({
    [TOXIC_FIXTURE_REPO]: { dir: TOXIC_DIR },
    [REFUSAL_FIXTURE_REPO]: { dir: REFUSAL_DIR },
    [SHUFFLED]: { dir: TOXIC_DIR, files: { 'config.json': withShiftedLabels(toxicConfig) } },
    [SOFTMAX]: { dir: TOXIC_DIR, files: { 'config.json': withOtherActivation(toxicConfig) } },
    [SWAPPED]: { dir: REFUSAL_DIR, files: { 'config.json': withShiftedLabels(refusalConfig) } },
  });
  page_ = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(OUT, path === '/' ? 'index.html' : path));
    try {
      if (!file.startsWith(OUT)) throw new Error('outside');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => page_.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page_.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  await hub?.close();
  await new Promise((resolve) => page_?.close(resolve));
});

const requested = (repo: string) =>
  hub.requests.filter((r) => r.startsWith(`/${repo}/`)).map((r) => r.split('/resolve/main/')[1]);

test('toxicity and refusal classifiers match PyTorch in Chromium (wasm), from the hub layout and the Cache API', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // Nothing may come from elsewhere (ONNX Runtime's wasm from a CDN, say): only the page and the fixture hub.
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:')) foreign.push(r.url());
  });
  await page.goto(pageUrl);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const host = hub.url;

  const toxic = await page.evaluate(
    ([h, r]) => globalThis.classifierHarness.toxicScores(h, r, true),
    [host, TOXIC_FIXTURE_REPO] as const,
  );
  console.log(`toxic-bert-tiny, wasm, q8 file: max |Δ| vs PyTorch = ${toxic.diff}`);
  expect(toxic.diff).toBeLessThan(1e-4);
  expect(toxic.name).toBe(`classifier: ${TOXIC_FIXTURE_REPO}`);
  // The browser's default dtype (q8) asks for the quantised file name.
  expect(requested(TOXIC_FIXTURE_REPO)).toEqual(
    expect.arrayContaining([
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model_quantized.onnx',
    ]),
  );

  // Byte progress for the weights, ending at the file's size.
  const weights = readFileSync(`${TOXIC_DIR}onnx/model_quantized.onnx`).byteLength;
  expect(toxic.progress['onnx/model_quantized.onnx']).toMatchObject({
    loaded: weights,
    total: weights,
  });

  // Cached in the lab's Cache API store: downloads off, no request, same numbers.
  const seen = hub.requests.length;
  const again = await page.evaluate(
    ([h, r]) => globalThis.classifierHarness.toxicScores(h, r, false),
    [host, TOXIC_FIXTURE_REPO] as const,
  );
  expect(hub.requests.length).toBe(seen);
  expect(again.scores).toEqual(toxic.scores);
  expect(await page.evaluate(() => globalThis.classifierHarness.cachedRepos())).toContain(
    TOXIC_FIXTURE_REPO,
  );

  const refusal = await page.evaluate(
    ([h, r]) => globalThis.classifierHarness.difference(h, r, 'refusal'),
    [host, REFUSAL_FIXTURE_REPO] as const,
  );
  console.log(`refusal-tiny, wasm: max |Δ| vs PyTorch = ${refusal}`);
  expect(refusal).toBeLessThan(1e-4);
  expect(
    await page.evaluate(([h, r]) => globalThis.classifierHarness.refusalAgrees(h, r), [
      host,
      REFUSAL_FIXTURE_REPO,
    ] as const),
  ).toBe(true);

  // The comparison fails for a wrong label mapping or activation.
  for (const [repo, which] of [
    [SHUFFLED, 'toxic'],
    [SOFTMAX, 'toxic'],
    [SWAPPED, 'refusal'],
  ] as const) {
    const d = await page.evaluate(([h, r, w]) => globalThis.classifierHarness.difference(h, r, w), [
      host,
      repo,
      which,
    ] as const);
    expect(d, repo).toBeGreaterThan(0.05);
  }
  expect(foreign).toEqual([]);
});

test('offline in Chromium: no request, the lexicon in the classifier’s place, the notice once', async ({
  page,
}) => {
  await page.goto(pageUrl);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const seen = hub.requests.length;
  const r = await page.evaluate(
    ([h]) => globalThis.classifierHarness.offline(h, 'test-org/not-cached'),
    [hub.url] as const,
  );
  expect(hub.requests.length).toBe(seen);
  expect(r.kind).toBe('lexicon');
  expect(r.name).toBe('lexicon (in place of classifier: test-org/not-cached)');
  expect(r.reason).toMatch(
    /^the classifier needs the hub; using the offline lexicon — numbers are not comparable: test-org\/not-cached is not stored in this browser and downloads are off$/,
  );
});

test('the same numbers on WebGPU (SwiftShader in headless Chromium here)', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(pageUrl);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const diff = await page.evaluate(
    ([h, r]) => globalThis.classifierHarness.difference(h, r, 'toxic', 'webgpu'),
    [hub.url, TOXIC_FIXTURE_REPO] as const,
  );
  console.log(`toxic-bert-tiny, webgpu, q8 file: max |Δ| vs PyTorch = ${diff}`);
  expect(diff).toBeLessThan(1e-4);
});
