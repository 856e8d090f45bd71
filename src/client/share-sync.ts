// Shareable runs in the browser: opening a link applies its setup (models,
// sets, recipe), and afterwards the URL follows what the user changes
// (history.replaceState, so Back is not flooded with entries).

import { DEFAULT_PAIR } from '../hub/presets';
import type { ModelSourceSpec } from '../protocol/messages';
import {
  draftOfRecipe,
  modelsToLoad,
  recipeOfDraft,
  selectionFor,
  setupOf,
} from '../state/setup-state';
import {
  decodeSetup,
  encodeSetup,
  isSavedSetup,
  rememberSetup,
  type SharedSetup,
} from '../state/share-link';
import { DEFAULT_HUB_SETTINGS } from '../state/slices/models';
import type { TrainRecipe } from '../train/recipe';
import type { LabClient } from './lab-client';
import { loadModel, suppressDemoAutoLoad, whenBackendReady } from './models';
import { dataSelectionSetting, savedSetupsSetting } from './settings';
import { setRecipeDraft } from './train';

/**
 * What opening the page found in its URL, for the notice under the header.
 * `restored`: the URL holds the setup this browser saved last (a reload); it
 * is applied like a link, but there is nothing to announce.
 */
export type LinkOutcome =
  | { kind: 'none' }
  | { kind: 'restored'; setup: SharedSetup }
  | { kind: 'opened'; setup: SharedSetup; missingSets: string[]; issues: string[] }
  | { kind: 'malformed'; message: string };

/** The Train panel's recipe draft as a recipe (the defaults while it does not parse). */
export function currentRecipe(client: LabClient): TrainRecipe {
  return recipeOfDraft(client.store.getState().recipe.draft);
}

const opened = new WeakMap<LabClient, LinkOutcome>();

/**
 * Applies the URL's setup once per client. Must run before the panels mount
 * (App calls it while rendering): the Data panel reads the selection from
 * storage when it hydrates, and the Models panel would otherwise start
 * loading the demo pair.
 */
export function openSharedSetupOnce(client: LabClient, query: string): LinkOutcome {
  const known = opened.get(client);
  if (known) return known;
  let outcome: LinkOutcome;
  try {
    const decoded = decodeSetup(query);
    if (!decoded) outcome = { kind: 'none' };
    else {
      const applied = applySetup(client, decoded.setup, decoded.issues);
      const reload =
        decoded.issues.length === 0 && isSavedSetup(decoded.setup, savedSetupsSetting.load());
      outcome = reload ? { kind: 'restored', setup: decoded.setup } : applied;
    }
  } catch (e) {
    outcome = { kind: 'malformed', message: e instanceof Error ? e.message : String(e) };
  }
  opened.set(client, outcome);
  return outcome;
}

function specOf(model: NonNullable<SharedSetup['base']>, client: LabClient): ModelSourceSpec {
  if (model.kind === 'embedded') return { kind: 'embedded', name: model.name };
  const hub = client.store.getState().models.hub ?? DEFAULT_HUB_SETTINGS;
  return {
    kind: 'hub',
    repo: model.repo,
    revision: model.revision,
    host: hub.host,
    enabled: hub.enabled,
  };
}

function applySetup(
  client: LabClient,
  setup: SharedSetup,
  issues: string[],
): Extract<LinkOutcome, { kind: 'opened' }> {
  setRecipeDraft(client, draftOfRecipe(setup.recipe));

  const { selected, missing } = selectionFor(client.store.getState(), setup);
  client.store.setState((s) => ({ data: { ...s.data, selected } }));
  // Remembered now: the Data panel's hydration from storage must not undo the link's choice.
  dataSelectionSetting.save(selected);
  // Imported sets come out of IndexedDB after the Data panel mounts: select
  // each named one the first time it appears.
  const pending = new Set(missing);
  if (pending.size > 0) {
    const off = client.store.subscribe((s, prev) => {
      if (s.data.imported === prev.data.imported && s.data.pairSets === prev.data.pairSets) return;
      const found = [...s.data.imported, ...s.data.pairSets].filter((x) => pending.has(x.set.name));
      if (found.length === 0) return;
      for (const x of found) pending.delete(x.set.name);
      client.store.setState((st) => ({
        data: {
          ...st.data,
          selected: [...new Set([...st.data.selected, ...found.map((x) => x.id)])],
        },
      }));
      if (pending.size === 0) off();
    });
  }

  if (setup.base || setup.reference) {
    // The link's models replace the demo pair; a role it leaves out gets the demo model.
    suppressDemoAutoLoad(client);
    const full: SharedSetup = {
      ...setup,
      base: setup.base ?? { kind: 'embedded', name: DEFAULT_PAIR.base },
      reference: setup.reference ?? { kind: 'embedded', name: DEFAULT_PAIR.reference },
    };
    void (async () => {
      await whenBackendReady(client.store);
      const s = client.store.getState();
      const ids = {
        base: s.models.loaded.base?.sourceId,
        reference: s.models.loaded.reference?.sourceId,
      };
      // One at a time, as the demo pair loads: two loads would compete for memory.
      for (const { role, model } of modelsToLoad(full, ids)) {
        // A failure is shown on the role's card, with its reason.
        await loadModel(client, role, specOf(model, client)).catch(() => {});
      }
    })();
  }
  return { kind: 'opened', setup, missingSets: missing, issues };
}

/**
 * Keeps the URL's query equal to the lab's setup: models, sets and the
 * recipe draft are all in the store, so one subscription follows them.
 * Until a role has a model, the link's model for it stays in the URL (it
 * may be loading).
 */
export function startUrlSync(client: LabClient, linked: SharedSetup | null): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = () => {
    timer = null;
    const s = client.store.getState();
    const setup = setupOf(s, recipeOfDraft(s.recipe.draft));
    if (!setup.base && !s.models.loaded.base) setup.base = linked?.base ?? null;
    if (!setup.reference && !s.models.loaded.reference) setup.reference = linked?.reference ?? null;
    const query = encodeSetup(setup);
    savedSetupsSetting.save(rememberSetup(savedSetupsSetting.load(), query));
    const next = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
    if (next !== `${location.pathname}${location.search}${location.hash}`) {
      history.replaceState(history.state, '', next);
    }
  };
  const soon = () => {
    if (timer === null) timer = setTimeout(write, 150);
  };
  write();
  const off = client.store.subscribe((s, prev) => {
    if (
      s.models.loaded !== prev.models.loaded ||
      s.data !== prev.data ||
      s.recipe.draft !== prev.recipe.draft
    )
      soon();
  });
  return () => {
    off();
    if (timer !== null) clearTimeout(timer);
  };
}
