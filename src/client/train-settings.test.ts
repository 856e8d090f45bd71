import { afterEach, describe, expect, it } from 'vitest';
import { createLabStore } from '../state/lab-store';
import { DEFAULT_RECIPE_DRAFT } from '../state/slices/recipe';
import type { LabClient } from './lab-client';
import { restoreTrainSettings, setCollectSettings, setRecipeDraft } from './train';

/** The part of LabClient the settings commands use. */
const clientWith = () => ({ store: createLabStore() }) as unknown as LabClient;

function installStorage(initial: Record<string, string> = {}): Map<string, string> {
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

describe('the Train settings in the store', () => {
  it('a draft set on one client is in the store and comes back in the next page load', () => {
    installStorage();
    const first = clientWith();
    const draft = { ...DEFAULT_RECIPE_DRAFT, initText: 'mine' };
    setRecipeDraft(first, draft);
    setCollectSettings(first, { ...first.store.getState().recipe.collect, temperature: 0.3 });
    expect(first.store.getState().recipe.draft).toBe(draft);

    const second = clientWith();
    expect(second.store.getState().recipe.draft).toBe(DEFAULT_RECIPE_DRAFT);
    restoreTrainSettings(second);
    expect(second.store.getState().recipe.draft).toEqual(draft);
    expect(second.store.getState().recipe.collect.temperature).toBe(0.3);
  });

  it('reads a draft stored before versioning (bare JSON), merged over the defaults', () => {
    installStorage({
      'patch-lab.train.recipe-draft': JSON.stringify({ initText: 'old', domainMode: 'single' }),
    });
    const client = clientWith();
    restoreTrainSettings(client);
    const { draft } = client.store.getState().recipe;
    expect(draft.initText).toBe('old');
    expect(draft.domainMode).toBe('single');
    expect(draft.numbers).toEqual(DEFAULT_RECIPE_DRAFT.numbers);
  });

  it('a stored draft with a number for the init text (issue 13) loads as the default text', () => {
    installStorage({
      'patch-lab.train.recipe-draft': JSON.stringify({
        version: 1,
        value: { ...DEFAULT_RECIPE_DRAFT, initText: 5, decay: 'bogus', numbers: null },
      }),
    });
    const client = clientWith();
    restoreTrainSettings(client);
    expect(client.store.getState().recipe.draft).toEqual(DEFAULT_RECIPE_DRAFT);
  });
});
