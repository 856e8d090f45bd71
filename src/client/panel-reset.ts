// What "reset this panel's saved settings" means for each panel, offered when
// a panel fails to render. Only the small settings the page remembers in
// localStorage are reset: patches, checkpoints and imported sets live in
// IndexedDB and are never touched, so a reset costs a few choices, not work.
import { DEFAULT_EVAL_CONFIG } from '../protocol/eval-defaults';
import { BUILTIN_SETS } from '../state/slices/data';
import { DEFAULT_HUB_SETTINGS } from '../state/slices/models';
import { DEFAULT_COLLECT_SETTINGS, DEFAULT_RECIPE_DRAFT } from '../state/slices/recipe';
import { setEvalConfig } from './eval';
import type { LabClient } from './lab-client';
import { setHubSettings } from './models';
import { dataSelectionSetting } from './settings';
import { setCollectSettings, setRecipeDraft } from './train';

export type PanelId = 'models' | 'data' | 'train' | 'playground' | 'metrics' | 'patches';

/** What a reset of each panel puts back to its default; null: the panel saves no settings. */
export const PANEL_SAVED_SETTINGS: Record<PanelId, string | null> = {
  models: 'the hub host and the downloads switch',
  data: 'which prompt sets are selected',
  train: 'the recipe form and the collection sampling',
  playground: null,
  metrics: 'the evaluation settings',
  patches: null,
};

/** Puts the panel's saved settings back to their defaults, in the store and in storage. */
export function resetPanelSettings(client: LabClient, panel: PanelId): void {
  switch (panel) {
    case 'models':
      setHubSettings(client, DEFAULT_HUB_SETTINGS);
      return;
    case 'data': {
      // The default selection: every built-in set (what a first visit selects).
      const selected = BUILTIN_SETS.map((x) => x.id);
      client.store.setState((s) => ({ data: { ...s.data, selected } }));
      dataSelectionSetting.save(selected);
      return;
    }
    case 'train':
      setRecipeDraft(client, DEFAULT_RECIPE_DRAFT);
      setCollectSettings(client, DEFAULT_COLLECT_SETTINGS);
      return;
    case 'metrics':
      setEvalConfig(client, DEFAULT_EVAL_CONFIG);
      return;
    case 'playground':
    case 'patches':
      return;
  }
}
