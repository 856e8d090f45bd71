import { describe, expect, it } from 'vitest';
import type { AdapterInfo, DeviceReport } from '../protocol/device';
import { chooseBackend } from './choose-backend';

const swiftshader: AdapterInfo = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: '',
  isFallbackAdapter: true,
  shaderF16: false,
  maxBufferSize: 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 30,
};
const report = (adapter: AdapterInfo | null): DeviceReport => ({
  adapter,
  adapterProblem: adapter ? null : 'navigator.gpu is missing',
  userAgent: 'test',
  hardwareConcurrency: 2,
});

describe('chooseBackend', () => {
  it('prefers wasm over a SwiftShader adapter and says why', () => {
    const plan = chooseBackend(report(swiftshader), null);
    expect(plan.order).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(plan.reason).toBe(
      'SwiftShader WebGPU adapter detected: using wasm, which is faster on this CPU.',
    );
  });

  it('prefers webgpu on a real GPU', () => {
    const nvidia = {
      ...swiftshader,
      vendor: 'nvidia',
      architecture: 'ampere',
      isFallbackAdapter: false,
    };
    const plan = chooseBackend(report(nvidia), null);
    expect(plan.order[0]).toBe('webgpu');
    expect(plan.reason).toContain('nvidia ampere');
  });

  it('uses wasm without WebGPU and never lists webgpu', () => {
    const plan = chooseBackend(report(null), null);
    expect(plan.order).toEqual(['wasm', 'webgl', 'cpu']);
    expect(plan.reason).toContain('navigator.gpu is missing');
  });

  it('puts a manual override first, keeping the others as fallbacks', () => {
    const plan = chooseBackend(report(swiftshader), 'webgpu');
    expect(plan.order).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
    expect(plan.reason).toContain('manual override');
  });
});
