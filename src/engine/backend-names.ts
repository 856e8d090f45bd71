// The backend names alone, tensor-free, so the UI can name and validate a
// backend without pulling tfjs into the main thread's bundle.

/** The tfjs backends Patch Lab knows, fastest-first on real GPUs. */
export const BACKEND_NAMES = ['webgpu', 'wasm', 'webgl', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export function isBackendName(x: unknown): x is BackendName {
  return typeof x === 'string' && (BACKEND_NAMES as readonly string[]).includes(x);
}
