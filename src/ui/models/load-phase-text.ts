// What a model load is doing, in words that are true for the backend that
// runs it: only WebGPU (and WebGL) compile shaders on the first forward pass;
// on wasm and cpu the first pass allocates and runs the kernels.
import type { BackendName } from '../../engine/backend-names';
import type { ModelLoadPhase } from '../../protocol/models';

const WARMUP: Record<BackendName, string> = {
  webgpu: 'Warming up (first forward pass; compiles the WebGPU shaders)…',
  webgl: 'Warming up (first forward pass; compiles the WebGL shaders)…',
  wasm: 'Warming up (first forward pass on WebAssembly)…',
  cpu: 'Warming up (first forward pass on the plain-JavaScript CPU backend)…',
};

export function loadPhaseText(
  phase: ModelLoadPhase | 'starting',
  backend: BackendName | null,
): string {
  switch (phase) {
    case 'starting':
      return 'Starting…';
    case 'download':
      return 'Reading files…';
    case 'upload':
      return backend === 'webgpu' || backend === 'webgl'
        ? 'Uploading weights to the GPU…'
        : 'Placing the weights in memory…';
    case 'warmup':
      return backend ? WARMUP[backend] : 'Warming up (first forward pass)…';
    case 'ready':
      return 'Ready';
  }
}
