// Whether a preset fits this device, worked out in the UI from the preset's
// config summary before anything is downloaded (memory.ts is plain
// arithmetic, no tensors).
import { checkModelFits, type FitResult } from '../../engine/memory';
import type { DeviceLimits } from '../../engine/types';
import { type ModelPreset, summaryModelConfig } from '../../hub/presets';
import type { LabState } from '../../state/lab-store';

/** The limits the worker will check against: adapter buffer limits only when webgpu runs. */
export function limitsOf(s: LabState): DeviceLimits | null {
  const backend = s.backend?.active;
  if (!backend) return null;
  const a = s.device?.adapter;
  return backend === 'webgpu' && a
    ? {
        backend,
        maxBufferSize: a.maxBufferSize,
        maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
      }
    : { backend, maxBufferSize: null, maxStorageBufferBindingSize: null };
}

export function presetFit(preset: ModelPreset, limits: DeviceLimits | null): FitResult {
  if (!preset.architecture || !limits) return { ok: true };
  return checkModelFits(summaryModelConfig(preset.architecture), limits, {
    modelName: preset.label,
  });
}
