// Whether a preset fits this device, worked out in the UI from the preset's
// config summary before anything is downloaded (memory.ts is plain
// arithmetic, no tensors).
import { checkModelFits, type FitResult } from '../../engine/memory';
import type { DeviceLimits } from '../../engine/types';
import { type ModelPreset, summaryModelConfig } from '../../hub/presets';
import type { AdapterInfo } from '../../protocol/device';

/**
 * The limits the worker will check against: adapter buffer limits only when
 * webgpu runs. Takes the two store fields (not the state) so components can
 * memoise on them: a selector returning a fresh object would re-render forever.
 */
export function limitsOf(backend: string | null, adapter: AdapterInfo | null): DeviceLimits | null {
  if (!backend) return null;
  return backend === 'webgpu' && adapter
    ? {
        backend,
        maxBufferSize: adapter.maxBufferSize,
        maxStorageBufferBindingSize: adapter.maxStorageBufferBindingSize,
      }
    : { backend, maxBufferSize: null, maxStorageBufferBindingSize: null };
}

export function presetFit(preset: ModelPreset, limits: DeviceLimits | null): FitResult {
  if (!preset.architecture || !limits) return { ok: true };
  return checkModelFits(summaryModelConfig(preset.architecture), limits, {
    modelName: preset.label,
  });
}
