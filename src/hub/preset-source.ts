// The file source for a preset: embedded demo models come from the app's own
// public/models/, everything else from the hub with the user's hub settings.
import type { ModelFileSource } from '../engine/types';
import { embeddedSource } from './embedded-source';
import { type HubSourceOptions, hubSource } from './hub-source';
import type { ModelPreset } from './presets';

export interface PresetSourceOptions {
  /** Hub settings (host, switched off, cache, token) for hub presets. */
  hub?: HubSourceOptions;
  /** Base URL of the app, for embedded models; defaults to Vite's BASE_URL. */
  baseUrl?: string;
}

export function sourceForPreset(
  preset: ModelPreset,
  options: PresetSourceOptions = {},
): ModelFileSource {
  return preset.source === 'embedded'
    ? embeddedSource(preset.id, options.baseUrl)
    : hubSource(preset.id, options.hub);
}
