import { afterEach, describe, expect, it } from 'vitest';
import { createLabStore } from '../state/lab-store';
import { BUILTIN_SETS } from '../state/slices/data';
import { DEFAULT_COLLECT_SETTINGS, DEFAULT_RECIPE_DRAFT } from '../state/slices/recipe';
import type { LabClient } from './lab-client';
import { resetPanelSettings } from './panel-reset';

function installStorage(initial: Record<string, string>): Map<string, string> {
  const m = new Map(Object.entries(initial));
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  };
  return m;
}

afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('resetPanelSettings', () => {
  it("train: the draft and sampling go back to the defaults; other panels' settings stay", () => {
    const storage = installStorage({
      'patch-lab.train.recipe-draft': JSON.stringify({ version: 1, value: { initText: 'x' } }),
      'patch-lab.data.selected': JSON.stringify({ version: 1, value: ['builtin:demo-bias-eval'] }),
      'patch-lab.hub-settings': JSON.stringify({ version: 1, value: { host: 'https://h' } }),
    });
    const client = { store: createLabStore() } as unknown as LabClient;
    client.store.setState((s) => ({
      recipe: { ...s.recipe, draft: { ...DEFAULT_RECIPE_DRAFT, initText: 'x' } },
    }));
    resetPanelSettings(client, 'train');
    expect(client.store.getState().recipe).toEqual({
      draft: DEFAULT_RECIPE_DRAFT,
      collect: DEFAULT_COLLECT_SETTINGS,
    });
    expect(JSON.parse(storage.get('patch-lab.train.recipe-draft')!).value).toEqual(
      DEFAULT_RECIPE_DRAFT,
    );
    expect(JSON.parse(storage.get('patch-lab.data.selected')!).value).toEqual([
      'builtin:demo-bias-eval',
    ]);
    expect(JSON.parse(storage.get('patch-lab.hub-settings')!).value.host).toBe('https://h');
  });

  it('data: every built-in set selected again', () => {
    const storage = installStorage({});
    const client = { store: createLabStore() } as unknown as LabClient;
    client.store.setState((s) => ({ data: { ...s.data, selected: [] } }));
    resetPanelSettings(client, 'data');
    const all = BUILTIN_SETS.map((x) => x.id);
    expect(client.store.getState().data.selected).toEqual(all);
    expect(JSON.parse(storage.get('patch-lab.data.selected')!).value).toEqual(all);
  });
});
