import type { BackendName } from './backend-names';
import { tf } from './tf';
import { shareWasmIdentity } from './wasm-identity';

export { BACKEND_NAMES, type BackendName, isBackendName } from './backend-names';

/**
 * Registers a backend's kernels by importing its package. Lazy so a page that
 * never uses webgl does not download it. Each import registers the backend
 * with tfjs as a side effect.
 */
async function registerBackend(name: BackendName): Promise<void> {
  switch (name) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      shareWasmIdentity();
      // The threaded wasm build crashes in a minified Vite build (FIELD-NOTES)
      // and gave no speed-up on 2 cores, so we always take the single-thread one.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      const paths = await wasmBinaryUrls();
      if (paths) wasm.setWasmPaths(paths);
      return;
    }
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return;
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      return;
  }
}

/**
 * In the browser, the wasm binaries are served by Vite from node_modules
 * (imported as asset URLs) so nothing is fetched from a CDN. In Node the
 * backend finds them next to its own module.
 */
async function wasmBinaryUrls(): Promise<Record<string, string> | null> {
  // Checked through globalThis: this file compiles for the worker too, which has no `window`.
  if (!('window' in globalThis) && !('self' in globalThis)) return null;
  if (typeof process !== 'undefined' && process.versions?.node) return null;
  const [plain, simd, threaded] = await Promise.all([
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
  ]);
  return {
    'tfjs-backend-wasm.wasm': plain.default,
    'tfjs-backend-wasm-simd.wasm': simd.default,
    'tfjs-backend-wasm-threaded-simd.wasm': threaded.default,
  };
}

/**
 * Switches tfjs to `name`, and says whether it worked. tf.setBackend returns
 * false (and tfjs silently keeps another backend) when initialisation fails,
 * so we check both the return value and tf.getBackend().
 */
export async function useBackend(name: BackendName): Promise<{ ok: boolean; error?: string }> {
  try {
    await registerBackend(name);
    const ok = await tf.setBackend(name);
    await tf.ready();
    if (!ok || tf.getBackend() !== name) {
      return { ok: false, error: `tfjs could not initialise the ${name} backend` };
    }
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
