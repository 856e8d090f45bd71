import { BACKEND_NAMES, type BackendName } from '../engine/backends';
import type { DeviceReport } from '../protocol/device';
import { isSoftwareAdapter } from './device-info';

export interface BackendPlan {
  /** Backends to try, in order; the first that initialises wins. */
  order: BackendName[];
  /** Why the first one is preferred, in words for the header. */
  reason: string;
}

/**
 * Picks the tfjs backend for this device. WebGPU wins on a real GPU; a
 * software adapter (SwiftShader) ran a 1024² matmul at ~0.3 GFLOP/s here
 * where wasm ran ~20, so there wasm is first. A user override always goes
 * first, with the rest as fallbacks.
 */
export function chooseBackend(device: DeviceReport, override: BackendName | null): BackendPlan {
  const rest = (first: BackendName) => [first, ...BACKEND_NAMES.filter((b) => b !== first)];
  if (override) {
    return { order: rest(override), reason: `${override} chosen by you (manual override).` };
  }
  const a = device.adapter;
  if (!a) {
    return {
      order: ['wasm', 'webgl', 'cpu'],
      reason: `No WebGPU adapter (${device.adapterProblem ?? 'unavailable'}): using wasm, the fastest CPU backend.`,
    };
  }
  if (isSoftwareAdapter(a)) {
    const name = /swiftshader/i.test(a.architecture) ? 'SwiftShader' : 'A software (fallback)';
    return {
      order: ['wasm', 'webgpu', 'webgl', 'cpu'],
      reason: `${name} WebGPU adapter detected: using wasm, which is faster on this CPU.`,
    };
  }
  return {
    order: rest('webgpu'),
    reason: `WebGPU adapter ${[a.vendor, a.architecture].filter(Boolean).join(' ') || '(unnamed)'}: using webgpu.`,
  };
}
