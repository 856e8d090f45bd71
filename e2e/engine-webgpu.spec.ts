// The engine on tfjs-backend-webgpu in Chromium (SwiftShader in headless
// Chromium here; correctness, not speed): vocabulary tables cut under a
// small artificial buffer limit give the logits of the unsplit model and of
// wasm, and generation with the fixed-length KV cache gives the tokens of
// the growing cache and of no cache. The page is e2e/engine-harness, built
// here by Vite from the engine's own modules.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { build } from 'vite';
import type { harness } from './engine-harness/main';

declare global {
  var engineHarness: typeof harness;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const OUT = here(`../test-results-engine-harness-${process.env.PW_PORT ?? 'default'}/`);
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

let server: Server;
let pageUrl: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await build({
    configFile: false,
    root: here('./engine-harness/'),
    logLevel: 'warn',
    build: { outDir: OUT, emptyOutDir: true, target: 'es2022' },
  });
  server = createServer((req, res) => {
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

async function open(page: Page): Promise<void> {
  await page.goto(pageUrl);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

/** Max |a - b| / max |b|. */
function relativeError(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  let diff = 0;
  let ref = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    ref = Math.max(ref, Math.abs(b[i]));
  }
  return diff / ref;
}

test('vocabulary tables split under a small buffer limit give the logits of the unsplit model and of wasm, on WebGPU', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await open(page);
  const limits = await page.evaluate(() => globalThis.engineHarness.limits());
  expect(limits.backend).toBe('webgpu');
  // The engine reads the adapter's limit (SwiftShader: 1 GiB) as its part size on webgpu.
  expect(limits.adapter).toBeGreaterThan(0);
  expect(limits.engine.maxBytes).toBe(limits.adapter);

  for (const tied of [true, false]) {
    const wasm = await page.evaluate((t) => globalThis.engineHarness.logits('wasm', t, null), tied);
    const whole = await page.evaluate(
      (t) => globalThis.engineHarness.logits('webgpu', t, null),
      tied,
    );
    // 64 rows of 32 floats = 8 KiB a part: 300 rows make 5 parts per table (+4 tensors each).
    const split = await page.evaluate(
      (t) => globalThis.engineHarness.logits('webgpu', t, 64),
      tied,
    );
    expect([wasm.backend, whole.backend, split.backend]).toEqual(['wasm', 'webgpu', 'webgpu']);
    expect(whole.extraTensors).toBe(0);
    expect(split.extraTensors).toBe(tied ? 4 : 8);
    expect(split.values).toHaveLength(6 * 300);
    const vsWasm = relativeError(split.values, wasm.values);
    const vsWhole = relativeError(split.values, whole.values);
    console.log(
      `${tied ? 'tied' : 'untied'}: split webgpu vs wasm ${vsWasm}, vs unsplit webgpu ${vsWhole}`,
    );
    expect(vsWasm).toBeLessThan(1e-4);
    expect(vsWhole).toBeLessThan(1e-6);
  }
});

test('greedy generation with the fixed-length cache equals the growing cache and no cache, on WebGPU', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await open(page);
  const gpu = await page.evaluate(() => globalThis.engineHarness.generation('webgpu', 12));
  expect(gpu.fixed.tokens).toEqual(gpu.growing.tokens);
  expect(gpu.fixed.tokens).toEqual(gpu.none.tokens);
  const wasm = await page.evaluate(() => globalThis.engineHarness.generation('wasm', 12));
  expect(gpu.fixed.tokens).toEqual(wasm.fixed.tokens);
  const rate = (r: typeof gpu) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${v.tokensPerSecond.toFixed(1)}`)
      .join(', ');
  // Timings on a shared, loaded machine: printed for the record, not asserted.
  console.log(
    `decoding steps/s (batch 2, 12 new tokens) webgpu: ${rate(gpu)}; wasm: ${rate(wasm)}`,
  );
});
