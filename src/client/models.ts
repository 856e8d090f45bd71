// What the UI does with models, over the LabClient: load a preset, a hub id
// or a folder into M or M′, load the embedded demo pair (also what the guided
// demo calls), cancel, and manage the hub cache and hub settings.
import { DEFAULT_PAIR, type ModelPreset } from '../hub/presets';
import type { ModelRole, ModelSourceSpec } from '../protocol/messages';
import type { LabStore } from '../state/lab-store';
import type { HubSettings } from '../state/slices/models';
import type { LabClient } from './lab-client';
import { hubSetting } from './settings';

/** Loads a model into a role; resolves when it is ready, rejects with the reason in words. */
export function loadModel(
  client: LabClient,
  role: ModelRole,
  source: ModelSourceSpec,
): Promise<void> {
  return client.run({ type: 'load-model', runId: client.newRunId(), role, source });
}

/** The source spec of a preset under the user's hub settings. */
export function presetSpec(preset: ModelPreset, hub: HubSettings): ModelSourceSpec {
  return preset.source === 'embedded'
    ? { kind: 'embedded', name: preset.id }
    : { kind: 'hub', repo: preset.id, revision: 'main', host: hub.host, enabled: hub.enabled };
}

/** Resolves once the worker has a backend: a load sent before would race its start-up. */
export function whenBackendReady(store: LabStore): Promise<void> {
  const ready = () => {
    const s = store.getState();
    return s.backend !== null && !s.backendPending;
  };
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const off = store.subscribe(() => {
      if (ready()) {
        off();
        resolve();
      }
    });
  });
}

/**
 * Loads the embedded demo pair, M then M′ (one at a time: the second load
 * would otherwise compete for the same memory and CPU), skipping a role that
 * already holds its demo model or is loading something.
 */
export async function loadDemoPair(client: LabClient): Promise<void> {
  await whenBackendReady(client.store);
  const plan: [ModelRole, string][] = [
    ['base', DEFAULT_PAIR.base],
    ['reference', DEFAULT_PAIR.reference],
  ];
  for (const [role, name] of plan) {
    const s = client.store.getState();
    if (s.models.loaded[role]?.sourceId === `embedded:${name}`) continue;
    const load = s.models.loads[role];
    if (load && s.runs[load.runId]?.status === 'running') continue;
    await loadModel(client, role, { kind: 'embedded', name });
  }
}

const autoLoaded = new WeakSet<LabClient>();

/**
 * The zero-click start: the demo pair loads once per client when the app
 * opens (React StrictMode mounts effects twice; this runs once). Failures are
 * already in the store, shown on the role's card.
 */
export function autoLoadDemoPairOnce(client: LabClient): void {
  if (autoLoaded.has(client)) return;
  autoLoaded.add(client);
  loadDemoPair(client).catch(() => {});
}

/**
 * Skips the auto-load for this client: a shared link that names its own
 * models loads those instead (src/ui/share/share-sync.ts).
 */
export function suppressDemoAutoLoad(client: LabClient): void {
  autoLoaded.add(client);
}

export function cancelModelLoad(client: LabClient, role: ModelRole): void {
  const load = client.store.getState().models.loads[role];
  if (load) client.cancel(load.runId);
}

/** Hides a failed or cancelled load's message. */
export function dismissModelLoad(client: LabClient, role: ModelRole): void {
  client.store.setState((s) => {
    const loads = { ...s.models.loads };
    delete loads[role];
    return { models: { ...s.models, loads } };
  });
}

/** Lists the model cache; the answer lands in s.models.cache. */
export async function listModelCache(client: LabClient): Promise<void> {
  await client.query({ type: 'list-model-cache' }, 'model-cache');
}

/** Clears one repo@revision, or everything with repoId null. */
export function clearModelCache(
  client: LabClient,
  repoId: string | null,
  revision: string | null = null,
): Promise<void> {
  return client.run({ type: 'clear-model-cache', runId: client.newRunId(), repoId, revision });
}

/** Applies and remembers the hub host and the downloads on/off switch. */
export function setHubSettings(client: LabClient, hub: HubSettings): void {
  client.store.setState((s) => ({ models: { ...s.models, hub } }));
  hubSetting.save(hub);
}

/** Restores the remembered hub settings (small: localStorage is the right place). */
export function restoreHubSettings(client: LabClient): void {
  const hub = hubSetting.load();
  client.store.setState((s) => ({ models: { ...s.models, hub } }));
}
