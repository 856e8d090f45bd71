import { expect, test } from '@playwright/test';
import type { LabClient } from '../src/client/lab-client';
import type { LabEvent } from '../src/protocol/messages';
import { collectPageErrors } from './console-guard';

declare global {
  // The client main.tsx exposes for tests.
  var __patchLab: LabClient;
}

test('the lab loads, reports the WebGPU adapter and the chosen backend with its reason', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Patch Lab' })).toBeVisible();
  for (const name of ['Models', 'Data', 'Train', 'Metrics', 'Playground', 'Patches']) {
    await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
  }
  // Headless Chromium with --enable-unsafe-webgpu gives SwiftShader here; the
  // lab must see it and prefer wasm, saying why.
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await expect(page.getByTestId('adapter-summary')).toContainText('swiftshader');
  await expect(page.getByTestId('backend-reason')).toHaveText(
    'SwiftShader WebGPU adapter detected: using wasm, which is faster on this CPU.',
  );
  await page.getByTestId('device-badge').click();
  await expect(page.getByTestId('adapter-architecture')).toHaveText('swiftshader');
  await expect(page.getByTestId('adapter-fallback')).toHaveText('yes');
  await expect(page.getByTestId('adapter-max-buffer')).not.toHaveText('—');
  expect(errors).toEqual([]);
});

test('the built app is cross-origin isolated and runs the threaded wasm binary, saying how many threads', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  const wasmFiles: string[] = [];
  page.on('request', (r) => {
    // Built asset names carry a hash; the longest known name that matches is the binary.
    const url = r.url();
    const name = ['tfjs-backend-wasm-threaded-simd', 'tfjs-backend-wasm-simd', 'tfjs-backend-wasm']
      .filter(() => url.endsWith('.wasm'))
      .find((n) => url.includes(n));
    if (name) wasmFiles.push(name);
  });
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  // tfjs-wasm's pool: half the logical cores, 1 to 4 (engine/wasm-threads.ts).
  const expected = Math.min(4, Math.max(1, Math.floor(cores / 2)));
  await expect(page.getByTestId('backend-threads')).toHaveText(
    `${expected} thread${expected === 1 ? '' : 's'}`,
  );
  expect(wasmFiles).toEqual(['tfjs-backend-wasm-threaded-simd']);
  // The minified build's pthread workers must run kernels (FIELD-NOTES: they once threw
  // "e is not defined"): a real training self-test on wasm, compared with cpu.
  const results = await page.evaluate(async () => {
    const client = globalThis.__patchLab;
    const id = 'threads-selftest';
    const out: { backend: string; ok: boolean }[] = [];
    const off = client.subscribe((e) => {
      if (e.type === 'selftest-result') out.push({ backend: e.result.backend, ok: e.result.ok });
    });
    await client.run({ type: 'selftest', runId: id, backends: ['wasm'] });
    off();
    return out;
  });
  expect(results).toEqual([
    { backend: 'cpu', ok: true },
    { backend: 'wasm', ok: true },
  ]);
  await page.getByTestId('device-badge').click();
  await expect(page.getByTestId('wasm-threads-reason')).toContainText(
    `tfjs-wasm uses half of the ${cores} logical cores`,
  );
  expect(errors).toEqual([]);
});

test('a worker round trip returns typed events carrying the run id', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  const { runId, events } = await page.evaluate(async () => {
    const client = globalThis.__patchLab;
    const seen: LabEvent[] = [];
    const off = client.subscribe((e) => seen.push(e));
    const id = client.newRunId();
    await client.run({ type: 'selftest', runId: id, backends: ['wasm'] });
    off();
    return { runId: id, events: seen };
  });
  // Other runs (the demo pair loading on start) may interleave: keep ours.
  const mine = events.filter((e) => 'runId' in e && e.runId === runId);
  const types = mine.map((e) => e.type);
  expect(types[0]).toBe('run-started');
  expect(types.at(-1)).toBe('run-done');
  expect(types).toContain('run-progress');
  const results = mine.flatMap((e) => (e.type === 'selftest-result' ? [e.result] : []));
  expect(results.map((r) => r.backend)).toEqual(['cpu', 'wasm']);
  expect(results.every((r) => r.ok)).toBe(true);
});

test('gradients on webgpu and wasm agree with cpu to 1e-5', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await page.getByTestId('device-badge').click();
  await page.getByTestId('run-selftest').click();
  for (const backend of ['cpu', 'wasm', 'webgpu']) {
    await expect(page.getByTestId(`selftest-${backend}`)).toHaveAttribute('data-ok', 'true', {
      timeout: 150_000,
    });
  }
  const diffs = await page.evaluate(() =>
    globalThis.__patchLab.store.getState().selftest.map((r) => [r.backend, r.maxAbsDiff]),
  );
  const byBackend = Object.fromEntries(diffs);
  expect(byBackend.cpu).toBe(0);
  expect(byBackend.wasm).toBeLessThanOrEqual(1e-5);
  expect(byBackend.webgpu).toBeLessThanOrEqual(1e-5);
  // The test restores the lab's backend afterwards.
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  expect(errors).toEqual([]);
});
