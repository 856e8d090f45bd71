import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { PromptSet } from '../src/data/types';
import type { ModelSummary } from '../src/protocol/messages';

// Shared by the specs that drive the embedded demo pair: a built-in train set
// cut to a handful of prompts (the 2-core wasm run stays short), and the wait
// until the lab has loaded both models on open.

export const demoPromptSet = (file: string, n: number): PromptSet => {
  const set = JSON.parse(readFileSync(`src/data/builtin/${file}`, 'utf8')) as PromptSet;
  return { ...set, items: set.items.slice(0, n) };
};

export async function demoModelsLoaded(page: Page) {
  await page.waitForFunction(
    () => {
      const m = globalThis.__patchLab?.store.getState().models.loaded;
      return Boolean(m?.base && m?.reference);
    },
    null,
    { timeout: 150_000 },
  );
}

/**
 * Loads demo-base as M and demo-safe as M′ through the worker commands (as
 * the model picker would) and returns M's summary, for specs that build
 * patches for it.
 */
export async function loadDemoPair(page: Page): Promise<ModelSummary> {
  return page.evaluate(async () => {
    const client = globalThis.__patchLab;
    for (const [role, name] of [
      ['base', 'demo-base'],
      ['reference', 'demo-safe'],
    ] as const) {
      await client.run({
        type: 'load-model',
        runId: client.newRunId(),
        role,
        source: { kind: 'embedded', name },
      });
    }
    return client.store.getState().models.loaded.base as ModelSummary;
  });
}
