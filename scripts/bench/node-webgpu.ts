// WebGPU in Node for the bench: the npm `webgpu` package (Dawn's dawn.node)
// installed as navigator.gpu before tfjs-backend-webgpu is imported (it
// registers itself only when navigator.gpu exists). The package is not a
// dependency of the lab: scripts/device/webgpu-bench-prepare.sh packs it into
// .webgpu-bench/webgpu, and WEBGPU_PACKAGE_DIR can point elsewhere. Without a
// GPU, Dawn finds SwiftShader's Vulkan driver with
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (FIELD-NOTES).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const DEFAULT_WEBGPU_PACKAGE_DIR = '.webgpu-bench/webgpu';

/** Installs navigator.gpu from the `webgpu` package in `dir`, or says why it could not. */
export async function installNodeWebGPU(
  dir = process.env.WEBGPU_PACKAGE_DIR ?? DEFAULT_WEBGPU_PACKAGE_DIR,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return { ok: true };
  const entry = resolve(join(dir, 'index.js'));
  if (!existsSync(entry)) {
    return {
      ok: false,
      error: `no webgpu package at ${dir} (run scripts/device/webgpu-bench-prepare.sh, or set WEBGPU_PACKAGE_DIR)`,
    };
  }
  try {
    const { create, globals } = (await import(pathToFileURL(entry).href)) as {
      create: (flags: string[]) => unknown;
      globals: Record<string, unknown>;
    };
    // GPUBufferUsage, GPUShaderStage, ... are globals in a browser; tfjs reads them there.
    Object.assign(globalThis, globals);
    const gpu = create([]);
    if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    return { ok: true };
  } catch (e) {
    return {
      ok: false,
      error: `dawn.node failed to load: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** What the adapter says it is, for the bench's output (null when none). */
export async function describeAdapter(): Promise<Record<string, unknown> | null> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = adapter.info;
  return {
    vendor: info?.vendor,
    architecture: info?.architecture,
    device: info?.device,
    description: info?.description,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxComputeWorkgroupsPerDimension: adapter.limits.maxComputeWorkgroupsPerDimension,
  };
}
