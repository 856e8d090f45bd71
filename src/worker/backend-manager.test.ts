import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf';
import type { DeviceReport } from '../protocol/device';
import { startBackend } from './backend-manager';

describe('startBackend', () => {
  it('falls back to the next backend when the first cannot start, and says so', async () => {
    // A report claiming a real GPU, in Node where WebGPU cannot start: the
    // manager must try webgpu, record the failure and land on wasm.
    const report: DeviceReport = {
      adapter: {
        vendor: 'nvidia',
        architecture: 'ampere',
        device: '',
        description: '',
        isFallbackAdapter: false,
        shaderF16: true,
        maxBufferSize: 2 ** 31,
        maxStorageBufferBindingSize: 2 ** 31,
      },
      adapterProblem: null,
      userAgent: 'node',
      hardwareConcurrency: 2,
    };
    const state = await startBackend(report, null);
    expect(state.failed.map((f) => f.backend)).toEqual(['webgpu']);
    expect(state.active).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(state.reason).toContain('webgpu failed to start');
    expect(state.reason).toContain('fell back to wasm');
  });
});
