import { describe, expect, it } from 'vitest';
import { loadPhaseText } from './load-phase-text';

describe('loadPhaseText says what the running backend does', () => {
  it('names shader compilation only where shaders are compiled', () => {
    expect(loadPhaseText('warmup', 'webgpu')).toContain('compiles the WebGPU shaders');
    for (const b of ['wasm', 'cpu', null] as const) {
      expect(loadPhaseText('warmup', b)).not.toMatch(/shader|WebGPU/);
    }
    expect(loadPhaseText('warmup', 'wasm')).toBe('Warming up (first forward pass on WebAssembly)…');
  });
  it('uploads to the GPU only on a GPU backend', () => {
    expect(loadPhaseText('upload', 'webgpu')).toBe('Uploading weights to the GPU…');
    expect(loadPhaseText('upload', 'wasm')).toBe('Placing the weights in memory…');
  });
});
