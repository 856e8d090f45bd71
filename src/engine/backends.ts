import type { BackendName } from './backend-names';
import { tf } from './tf';
import { shareWasmIdentity } from './wasm-identity';
import { withNodeWasmThreads } from './wasm-node-threads';
import { sliceWasmInPlace } from './wasm-slice';
import { currentWasmThreadEnvironment, planWasmThreads, type WasmThreadPlan } from './wasm-threads';

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
      sliceWasmInPlace();
      // The threaded binary only where it can run (wasm-threads.ts); the flag
      // must be set before the backend initialises to take effect.
      const env = currentWasmThreadEnvironment(wasm.version_wasm);
      wasmPlan = planWasmThreads(env);
      nodeThreads = env.isNode && wasmPlan.threaded ? wasmPlan.expectedThreads : null;
      // In a browser tfjs's own feature check decides when the plan allows
      // threads; in Node that check always says no, and the bridge makes it true.
      if (!wasmPlan.threaded) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      else if (nodeThreads !== null) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      wasmThreadsCount = wasm.getThreadsCount;
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

let wasmPlan: WasmThreadPlan | null = null;
/** Node only: the thread count the bridge starts tfjs with, null when it does not. */
let nodeThreads: number | null = null;
let wasmThreadsCount: (() => number) | null = null;

/**
 * How many threads the initialised wasm backend runs, and why; null before
 * the wasm backend has started.
 */
export function wasmThreads(): { count: number; reason: string } | null {
  if (!wasmPlan || !wasmThreadsCount || tf.getBackend() !== 'wasm') return null;
  const count = wasmThreadsCount();
  const reason =
    count === wasmPlan.expectedThreads
      ? wasmPlan.reason
      : `${count} thread${count === 1 ? '' : 's'} (expected ${wasmPlan.expectedThreads}: ${wasmPlan.reason})`;
  return { count, reason };
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
    const threads = name === 'wasm' ? nodeThreads : null;
    const ok =
      threads === null
        ? await tf.setBackend(name)
        : await withNodeWasmThreads(threads, () => tf.setBackend(name));
    await tf.ready();
    if (!ok || tf.getBackend() !== name) {
      return { ok: false, error: `tfjs could not initialise the ${name} backend` };
    }
    if (name === 'webgpu') tuneForSoftwareAdapter();
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** tfjs-backend-webgpu's MatMulProgramType.MatMulPackedProgram (its 32×32-tiled product). */
const MATMUL_PACKED_PROGRAM = 3;

/**
 * On SwiftShader (a CPU emulating a GPU) tfjs's choice of matmul program for
 * small outputs — MatMulReduceProgram, a workgroup reduction with barriers —
 * is the slow case: measured in headless Chromium, a decoding step of a tiny
 * Llama took 150–220 ms with it and 20–30 ms with the packed program, and it
 * is what made generation with the KV cache (one query row per product)
 * slower than recomputing without it. Real GPUs keep tfjs's own choice.
 */
function tuneForSoftwareAdapter(): void {
  const info = (tf.backend() as unknown as { adapterInfo?: { architecture?: string } }).adapterInfo;
  if (info?.architecture === 'swiftshader') {
    tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', MATMUL_PACKED_PROGRAM);
  }
}
