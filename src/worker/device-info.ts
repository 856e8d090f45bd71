// What the lab knows about the machine's WebGPU adapter. Plain data so it can
// cross postMessage and be shown in the header (the types are in
// src/protocol/device.ts, which the page reads too).
import type { AdapterInfo, DeviceReport } from '../protocol/device';

/** Reads the adapter without creating a device (cheap, no shader work). */
export async function detectDevice(): Promise<DeviceReport> {
  // The worker's navigator (WorkerNavigator); undefined in Node.
  const nav = globalThis.navigator as typeof globalThis.navigator | undefined;
  const base = {
    userAgent: nav?.userAgent ?? 'unknown',
    hardwareConcurrency: nav?.hardwareConcurrency ?? 1,
  };
  if (!nav?.gpu) {
    return {
      ...base,
      adapter: null,
      adapterProblem:
        'This browser does not expose WebGPU (navigator.gpu is missing). Chrome/Edge 113+ have it; in headless Chromium pass --enable-unsafe-webgpu.',
    };
  }
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await nav.gpu.requestAdapter();
  } catch (e) {
    return { ...base, adapter: null, adapterProblem: `requestAdapter() failed: ${String(e)}` };
  }
  if (!adapter) {
    return {
      ...base,
      adapter: null,
      adapterProblem:
        'WebGPU is present but no adapter is available (GPU blocklisted or disabled).',
    };
  }
  const info = adapter.info;
  // Older Chromium put isFallbackAdapter on the adapter, newer on adapter.info.
  const legacy = adapter as unknown as { isFallbackAdapter?: boolean };
  const infoFallback = (info as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    ...base,
    adapterProblem: null,
    adapter: {
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      device: info?.device ?? '',
      description: info?.description ?? '',
      isFallbackAdapter: Boolean(infoFallback ?? legacy.isFallbackAdapter),
      shaderF16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    },
  };
}

/** A software rasteriser pretending to be a GPU: far slower than wasm on the same CPU. */
export function isSoftwareAdapter(a: AdapterInfo): boolean {
  return a.isFallbackAdapter || /swiftshader/i.test(`${a.architecture} ${a.description}`);
}

let cached: Promise<DeviceReport> | null = null;

/** The adapter report, detected once per worker (the adapter does not change under a page). */
export function currentDevice(): Promise<DeviceReport> {
  cached ??= detectDevice();
  return cached;
}
