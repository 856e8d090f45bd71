// Whether the tfjs wasm backend may load its threaded (SIMD + pthreads) binary,
// and how many threads it then runs, in words the header can show.
//
// What tfjs-backend-wasm 4.22 does, measured here (docs/BENCHMARKS.md,
// "Threads"): on a cross-origin-isolated page it loads the threaded binary and
// starts a pool of 8 pthread workers, but its XNNPACK thread pool takes
// floor(navigator.hardwareConcurrency / 2) threads, capped at 4, whatever
// setThreadsCount() asks (upstream issue 8513); in Node it turns threads off
// itself (its pthread workers cannot find their script there, upstream 3830).
// So the lab does not pretend to choose a count: it allows the threaded binary
// where it can run and reports the count tfjs actually took.

export interface WasmThreadEnvironment {
  isNode: boolean;
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

/** tfjs-wasm's own rule for its thread pool: half the logical cores, 1 to 4. */
export function tfjsWasmPoolSize(hardwareConcurrency: number): number {
  return Math.min(4, Math.max(1, Math.floor(hardwareConcurrency / 2)));
}

export function planWasmThreads(env: WasmThreadEnvironment): WasmThreadPlan {
  if (env.isNode) {
    return {
      threaded: false,
      expectedThreads: 1,
      reason: 'tfjs-wasm runs one thread in Node (its pthread workers cannot start there).',
    };
  }
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

/** The environment this code runs in (page, worker or Node). */
export function currentWasmThreadEnvironment(): WasmThreadEnvironment {
  // Typed by hand: this file compiles for the worker, the page and Node.
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    navigator?: { hardwareConcurrency?: number };
  };
  return {
    isNode: typeof process !== 'undefined' && Boolean(process.versions?.node),
    crossOriginIsolated: g.crossOriginIsolated === true,
    hardwareConcurrency: g.navigator?.hardwareConcurrency ?? 1,
  };
}
