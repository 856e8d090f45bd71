// Every setting the page remembers across reloads, in one place, each a
// versioned localStorage entry (persisted.ts). The keys are the ones the lab
// has always used, so entries written before versioning are read as version
// 0 and migrated. Large things (imported sets, patches, checkpoints) live in
// IndexedDB instead: see docs/ARCHITECTURE.md, "Persistence".
import { REFUSAL_DETECTORS } from '../eval/refusal-judge';
import { DEFAULT_EVAL_CONFIG } from '../protocol/eval-defaults';
import type { EvalConfig, RefusalJudgeChoice } from '../protocol/messages';
import { type RecipeDraft, readDraft } from '../state/recipe-draft';
import { readSavedSetups } from '../state/share-link';
import { DEFAULT_HUB_SETTINGS, type HubSettings } from '../state/slices/models';
import { DEFAULT_COLLECT_SETTINGS, DEFAULT_RECIPE_DRAFT } from '../state/slices/recipe';
import type { CollectSettings } from '../train/collected';
import { persisted } from './persisted';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Merges a stored object over the defaults, one level deep (what the panels always did). */
function overDefaults<T extends object>(defaults: T) {
  return (value: unknown): T | null => (isObject(value) ? { ...defaults, ...value } : null);
}

/**
 * The Train panel's recipe draft (numbers as typed), read field by field
 * against the recipe schema: a bad stored value takes its default rather than
 * crashing the panel on every load.
 */
export const recipeDraftSetting = persisted<RecipeDraft>(
  'patch-lab.train.recipe-draft',
  1,
  (value) =>
    value !== null && typeof value === 'object' ? readDraft(value, DEFAULT_RECIPE_DRAFT) : null,
  () => DEFAULT_RECIPE_DRAFT,
);

/** The Train panel's collection sampling. */
export const collectSetting = persisted<CollectSettings>(
  'patch-lab.train.sampling',
  1,
  overDefaults(DEFAULT_COLLECT_SETTINGS),
  () => DEFAULT_COLLECT_SETTINGS,
);

/** The hub host and the downloads switch. */
export const hubSetting = persisted<HubSettings>(
  'patch-lab.hub-settings',
  1,
  (value) => {
    if (!isObject(value)) return null;
    return {
      host:
        typeof value.host === 'string' && value.host.trim()
          ? value.host
          : DEFAULT_HUB_SETTINGS.host,
      enabled: typeof value.enabled === 'boolean' ? value.enabled : true,
    };
  },
  () => DEFAULT_HUB_SETTINGS,
);

/** The evaluation settings, merged over the defaults so a new field gets its default. */
/** A stored refusal judge choice, or undefined (the default rule) when it is not one. */
export function refusalChoiceOf(value: unknown): RefusalJudgeChoice | undefined {
  if (!isObject(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind === 'rule' && typeof v.id === 'string' && Object.hasOwn(REFUSAL_DETECTORS, v.id)) {
    return { kind: 'rule', id: v.id };
  }
  if (v.kind === 'classifier' && typeof v.modelId === 'string' && v.modelId.trim() !== '') {
    return { kind: 'classifier', modelId: v.modelId.trim(), allowRemote: v.allowRemote === true };
  }
  return undefined;
}

export const evalConfigSetting = persisted<EvalConfig>(
  'patch-lab.eval-config.v1',
  1,
  (value) => {
    if (!isObject(value)) return null;
    const saved = value as Partial<EvalConfig>;
    return {
      ...DEFAULT_EVAL_CONFIG,
      ...saved,
      sets: { ...DEFAULT_EVAL_CONFIG.sets, ...saved.sets },
      sampling: { ...DEFAULT_EVAL_CONFIG.sampling, ...saved.sampling },
      duringTraining: { ...DEFAULT_EVAL_CONFIG.duringTraining, ...saved.duringTraining },
      // Settings saved before the control existed, or with a broken seed, get the default seed.
      control: Number.isSafeInteger(saved.control?.seed)
        ? saved.control
        : DEFAULT_EVAL_CONFIG.control,
      refusal: refusalChoiceOf(saved.refusal),
    };
  },
  () => DEFAULT_EVAL_CONFIG,
);

/** The Data panel's selected set ids; null = never chosen (everything built in is selected). */
export const dataSelectionSetting = persisted<string[] | null>(
  'patch-lab.data.selected',
  1,
  (value) =>
    Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : null,
  () => null,
);

export type Theme = 'light' | 'dark';

/** The colour theme; null = follow the system. */
export const themeSetting = persisted<Theme | null>(
  'patch-lab-theme',
  1,
  (value) => (value === 'light' || value === 'dark' ? value : null),
  () => null,
);

/**
 * The setups the lab last wrote into the address (share-sync.ts), newest
 * first, as query texts: a link that carries one of them is a reload, not a
 * shared link (share-link.ts, SAVED_SETUPS_KEPT says why several).
 * Version 1 held the newest alone.
 */
export const savedSetupsSetting = persisted<string[]>(
  'patch-lab.share.saved-setup',
  2,
  readSavedSetups,
  () => [],
);
