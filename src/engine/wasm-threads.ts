// Whether the tfjs wasm backend may load its threaded (SIMD + pthreads) binary,
// and how many threads it then runs, in words the header can show.
//
// What tfjs-backend-wasm 4.22 does, measured here (docs/BENCHMARKS.md,
// "Threads"): on a cross-origin-isolated page it loads the threaded binary and
// starts a pool of 8 pthread workers, but its XNNPACK thread pool takes
// floor(navigator.hardwareConcurrency / 2) threads, capped at 4, whatever
// setThreadsCount() asks (upstream issue 8513); in Node it turns threads off
// itself (its pthread workers cannot find their script there, upstream 3830).
// In the browser the lab does not pretend to choose a count: it allows the
// threaded binary where it can run and reports the count tfjs actually took.
// In Node, wasm-node-threads.ts bridges what tfjs lacks, so there the lab
// chooses the count: tfjs's browser rule by default (half the logical cores),
// or PATCH_LAB_WASM_THREADS. Two threads on 2 cores doubled a 1024² product but
// halved the demo model's generation (docs/BENCHMARKS.md, "Threads in Node").

import { nodeThreadsUnavailable } from './wasm-node-threads';

export interface WasmThreadEnvironment {
  isNode: boolean;
  /** Node only: why the thread bridge cannot run here, or null when it can. */
  nodeBridgeUnavailable?: string | null;
  /** Node only: PATCH_LAB_WASM_THREADS as set (a whole number ≥ 1), or undefined. */
  requestedThreads?: string;
  /** `globalThis.crossOriginIsolated`: SharedArrayBuffer, hence wasm threads, needs it. */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface WasmThreadPlan {
  /** Whether the threaded binary may be loaded. */
  threaded: boolean;
  /** Threads the plan expects tfjs to run. */
  expectedThreads: number;
  /** Why, in a sentence. */
  reason: string;
}

/** Most threads tfjs-wasm's pool will take (its clamp). */
const MAX_WASM_THREADS = 4;

/** tfjs-wasm's own rule for its thread pool: half the logical cores, 1 to 4. */
export function tfjsWasmPoolSize(hardwareConcurrency: number): number {
  return Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(hardwareConcurrency / 2)));
}

export function planWasmThreads(env: WasmThreadEnvironment): WasmThreadPlan {
  if (env.isNode) return planNodeThreads(env);
  if (!env.crossOriginIsolated) {
    return {
      threaded: false,
      expectedThreads: 1,
      reason:
        'one thread: the page is not cross-origin isolated (no COOP/COEP headers), so wasm threads are unavailable.',
    };
  }
  const n = tfjsWasmPoolSize(env.hardwareConcurrency);
  const cores = `${env.hardwareConcurrency} logical core${env.hardwareConcurrency === 1 ? '' : 's'}`;
  return {
    threaded: true,
    expectedThreads: n,
    reason: `${n} thread${n === 1 ? '' : 's'}: tfjs-wasm uses half of the ${cores}, at most 4.`,
  };
}

function planNodeThreads(env: WasmThreadEnvironment): WasmThreadPlan {
  const single = (reason: string): WasmThreadPlan => ({
    threaded: false,
    expectedThreads: 1,
    reason,
  });
  if (env.nodeBridgeUnavailable) return single(env.nodeBridgeUnavailable);
  const cores = Math.max(1, env.hardwareConcurrency);
  let n = tfjsWasmPoolSize(cores);
  let why = `half of the ${cores} logical core${cores === 1 ? '' : 's'}, at most ${MAX_WASM_THREADS}, as tfjs does in a browser (PATCH_LAB_WASM_THREADS sets another count)`;
  if (env.requestedThreads !== undefined && env.requestedThreads !== '') {
    const asked = Number(env.requestedThreads);
    if (!Number.isInteger(asked) || asked < 1) {
      throw new Error(
        `PATCH_LAB_WASM_THREADS must be a whole number from 1 to ${MAX_WASM_THREADS}, got "${env.requestedThreads}"`,
      );
    }
    n = Math.min(MAX_WASM_THREADS, asked);
    why = `PATCH_LAB_WASM_THREADS=${env.requestedThreads}${asked > MAX_WASM_THREADS ? `, at most ${MAX_WASM_THREADS}` : ''}`;
  }
  if (n === 1) return single(`one thread in Node: ${why}.`);
  return { threaded: true, expectedThreads: n, reason: `${n} threads in Node: ${why}.` };
}

/** The environment this code runs in (page, worker or Node). */
export function currentWasmThreadEnvironment(tfjsWasmVersion: string): WasmThreadEnvironment {
  // Typed by hand: this file compiles for the worker, the page and Node.
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    navigator?: { hardwareConcurrency?: number };
  };
  const isNode = typeof process !== 'undefined' && Boolean(process.versions?.node);
  if (!isNode) {
    return {
      isNode,
      crossOriginIsolated: g.crossOriginIsolated === true,
      hardwareConcurrency: g.navigator?.hardwareConcurrency ?? 1,
    };
  }
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const os = getBuiltin?.('node:os') as { availableParallelism(): number } | undefined;
  return {
    isNode,
    crossOriginIsolated: false,
    hardwareConcurrency: os?.availableParallelism() ?? 1,
    nodeBridgeUnavailable: nodeThreadsUnavailable(tfjsWasmVersion),
    requestedThreads: process.env.PATCH_LAB_WASM_THREADS,
  };
}
