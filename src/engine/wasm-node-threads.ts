// tfjs-backend-wasm's threaded (SIMD + pthreads) binary in Node.
//
// tfjs turns threads off in Node itself (upstream issue 3830) because its
// pthread workers cannot start there, for three reasons found here:
//  1. it gives Emscripten a `blob:` URL for the worker script, and Node's
//     Worker cannot load one;
//  2. it sends each worker its module factory as a Blob of the factory's
//     source text, which the worker script can only `importScripts` from a
//     file path in Node;
//  3. that text names variables of tfjs's own bundle scope (`require$$0`,
//     `commonjsGlobal`, …), undefined in a worker.
// And its XNNPACK pool takes half of `os.cpus().length` (1 to 4) whatever
// `setThreadsCount` asks, so on 2 cores it would run one thread anyway.
//
// This module bridges all four for the Node process, only while the backend
// starts: Blobs made then remember their text; a Worker asked for a recorded
// blob URL runs that text with `eval`; the factory's Blob is written once to a
// temporary file that first defines the bundle-scope names; `os.cpus()` reports
// twice the wanted thread count. Nothing here runs in a browser (the page and
// the lab worker never call it), and it reads Node's modules through
// `process.getBuiltinModule`, so no bundle imports them.

/** The tfjs-backend-wasm release whose Node bundle this was written against. */
export const NODE_THREADS_TFJS_VERSION = '4.22.0';

/**
 * What the Node bundle of tfjs-backend-wasm 4.22.0 names at its top
 * (dist/tf-backend-wasm.node.js lines 20–23 and its `commonjsGlobal`) and its
 * module factory's source text uses; a worker evaluates these first.
 */
const BUNDLE_SCOPE_PRELUDE =
  "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks')," +
  " require$$4 = require('os'), commonjsGlobal = globalThis;\n";

// Node's modules, typed by hand: this file compiles for the page and worker too.
interface NodeWorkerCtor {
  new (script: string | URL, options?: Record<string, unknown>): NodeWorker;
}
interface NodeWorker {
  postMessage(message: unknown, transfer?: unknown): void;
  unref(): void;
}
interface NodeModules {
  workerThreads: { Worker: NodeWorkerCtor };
  os: { cpus(): unknown[]; tmpdir(): string };
  fs: {
    writeFileSync(path: string, data: string): void;
    rmSync(path: string, options: { force: boolean }): void;
  };
  path: { join(...parts: string[]): string };
  pid: number;
  onExit(f: () => void): void;
}

function nodeModules(): NodeModules | null {
  const p = (
    globalThis as {
      process?: {
        getBuiltinModule?: (id: string) => unknown;
        pid: number;
        on(event: 'exit', f: () => void): void;
      };
    }
  ).process;
  if (!p || typeof p.getBuiltinModule !== 'function') return null;
  const get = (id: string) => p.getBuiltinModule?.(id);
  return {
    workerThreads: get('node:worker_threads') as NodeModules['workerThreads'],
    os: get('node:os') as NodeModules['os'],
    fs: get('node:fs') as NodeModules['fs'],
    path: get('node:path') as NodeModules['path'],
    pid: p.pid,
    onExit: (f) => p.on('exit', f),
  };
}

/** Why threads cannot be bridged in this Node process, or null when they can. */
export function nodeThreadsUnavailable(tfjsWasmVersion: string): string | null {
  if (tfjsWasmVersion !== NODE_THREADS_TFJS_VERSION) {
    return `one thread: the Node thread bridge is written for tfjs-backend-wasm ${NODE_THREADS_TFJS_VERSION}, this is ${tfjsWasmVersion}.`;
  }
  if (!nodeModules())
    return 'one thread: this Node has no process.getBuiltinModule (needs 20.16 or later).';
  return null;
}

const recordedTexts = new Map<string, string>();
const blobTexts = new WeakMap<Blob, string>();
const bridgeWorkers: NodeWorker[] = [];
let blobWorkerInstalled = false;
let factoryFile: string | null = null;

/**
 * Runs `start` (the backend's initialisation) with the bridge in place, so
 * that tfjs starts `threads` XNNPACK threads. Throws when the bridge is
 * unavailable (check nodeThreadsUnavailable first).
 */
export async function withNodeWasmThreads<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const node = nodeModules();
  if (!node) throw new Error('withNodeWasmThreads: not in Node 20.16+');
  const g = globalThis as unknown as {
    Blob: typeof Blob;
    URL: { createObjectURL(b: Blob): string };
  };
  const OriginalBlob = g.Blob;
  const originalCreate = g.URL.createObjectURL;
  const originalCpus = node.os.cpus;

  class RecordingBlob extends OriginalBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      if (parts?.every((x) => typeof x === 'string')) blobTexts.set(this, parts.join(''));
    }
  }
  g.Blob = RecordingBlob;
  g.URL.createObjectURL = (b: Blob) => {
    const url = originalCreate.call(g.URL, b);
    const text = blobTexts.get(b);
    if (text !== undefined) recordedTexts.set(url, text);
    return url;
  };
  // tfjs's pool is floor(cores / 2), clamped to 1–4 (measured; see wasm-threads.ts).
  const fakeCores = Array.from({ length: 2 * threads }, () => originalCpus.call(node.os)[0]);
  node.os.cpus = () => fakeCores;

  if (!blobWorkerInstalled) {
    blobWorkerInstalled = true;
    const { fs, os, path, pid, onExit } = node;
    const OriginalWorker = node.workerThreads.Worker;
    // Stays installed: Emscripten may start a worker after initialisation, and
    // it changes nothing for a script that is not a recorded blob URL.
    class BlobWorker extends OriginalWorker {
      constructor(script: string | URL, options?: Record<string, unknown>) {
        const text = recordedTexts.get(String(script));
        if (text === undefined) {
          super(script, options);
          return;
        }
        // execArgv: [] so the worker does not inherit loader flags meant for
        // the main script (tsx, --input-type=module would make it ESM).
        super(text, { ...options, eval: true, execArgv: [] });
        bridgeWorkers.push(this);
      }
      override postMessage(message: unknown, transfer?: unknown): void {
        const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
        if (m?.cmd === 'load' && m.urlOrBlob instanceof OriginalBlob) {
          if (factoryFile === null) {
            const text = blobTexts.get(m.urlOrBlob);
            if (text === undefined)
              throw new Error('wasm threads: the module factory was not recorded');
            // One file per process: two processes never read each other's half-written file.
            const file = path.join(os.tmpdir(), `patch-lab-tfjs-wasm-threaded-${pid}.js`);
            fs.writeFileSync(file, BUNDLE_SCOPE_PRELUDE + text);
            onExit(() => fs.rmSync(file, { force: true }));
            factoryFile = file;
          }
          super.postMessage({ ...m, urlOrBlob: factoryFile }, transfer);
          return;
        }
        super.postMessage(message, transfer);
      }
    }
    node.workerThreads.Worker = BlobWorker as unknown as NodeWorkerCtor;
  }
  try {
    return await start();
  } finally {
    // A pthread worker idles between kernels; it must not keep the process
    // alive once a script is done (tfjs never joins them). Unref'd only now:
    // Emscripten's message listeners, added as each worker loads, ref it again.
    for (const w of bridgeWorkers) w.unref();
    g.Blob = OriginalBlob;
    g.URL.createObjectURL = originalCreate;
    node.os.cpus = originalCpus;
  }
}
