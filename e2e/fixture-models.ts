import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { tensorSha256 } from '../src/patch/hash';
import type { Patch } from '../src/patch/types';
import type { ModelSummary } from '../src/protocol/messages';
import { patchBaseOf } from '../src/protocol/patch-base';

const FIXTURE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'shared',
  'fixtures',
  'hf-gpt2-random',
);

/**
 * Serves the tiny random GPT-2 fixture (hidden size 2) as both embedded demo
 * models, so the app's demo auto-load finishes in seconds on the shared CPUs
 * whatever is (or is not yet) in public/models.
 */
export async function serveFixtureAsDemoModels(page: Page): Promise<void> {
  await page.route(/\/models\/demo-(base|safe)\/([^?]+)/, (route) => {
    const file = new URL(route.request().url()).pathname.split('/').pop() ?? '';
    const path = join(FIXTURE, file);
    if (!/^[\w.-]+$/.test(file) || !existsSync(path)) {
      return route.fulfill({ status: 404, body: 'not found' });
    }
    return route.fulfill({ status: 200, body: readFileSync(path) });
  });
}

/** Waits until M is loaded in the worker and returns its summary. */
export async function waitForBase(page: Page): Promise<ModelSummary> {
  await page.waitForFunction(
    () => !!globalThis.__patchLab.store.getState().models.loaded.base,
    null,
    {
      timeout: 120_000,
    },
  );
  return page.evaluate(() => globalThis.__patchLab.store.getState().models.loaded.base!);
}

/** A small patch made for the model the page loaded (its id, revision, width and fingerprint). */
export async function patchFor(base: ModelSummary, name: string, seed: number): Promise<Patch> {
  const nVirtual = 4;
  const embeddings = Float32Array.from(
    { length: nVirtual * base.hiddenSize },
    (_, i) => Math.sin(seed * 31 + i) * 0.05,
  );
  return {
    embeddings,
    nVirtual,
    hidden: base.hiddenSize,
    manifest: {
      formatVersion: 1,
      name,
      createdAt: '2025-06-01T12:00:00.000Z',
      base: patchBaseOf(base),
      domains: ['toxicity'],
      recipe: null,
      metrics: { toxicity: { base: 0.6, patched: 0.2, reference: 0.1 } },
      parents: [],
      tensorSha256: await tensorSha256(embeddings),
    },
  };
}

export const asUpload = (name: string, bytes: Uint8Array) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(bytes),
});
