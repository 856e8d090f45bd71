// The transformers.js text-classification loader the toxicity and refusal
// classifiers share. transformers.js fetches a model's files from
// `{host}/{repo}/resolve/{revision}/{file}` (the hub layout hub-source.ts also
// reads), so a mirror or the tests' fixture server is just another host.
// Downloads land in the lab's own model cache (Cache API, keyed by hub URL),
// so the cache view lists and clears classifiers like any other model, and a
// cached classifier loads with remote downloads off.
//
// transformers.js keeps these settings in one global `env`; loads are queued
// so two loads never see each other's host, cache or fetch.
import type { FileProgress } from '../engine/types';
import { DEFAULT_HUB_HOST, normaliseHost } from '../hub/hub-url';
import {
  type CacheLike,
  type CacheStorageLike,
  defaultCacheStorage,
  MODEL_CACHE_NAME,
} from '../hub/model-cache';

export interface LabelScore {
  label: string;
  score: number;
}

/** Classifies a batch of texts, returning every label's score for each text. */
export type ClassifyFn = (texts: string[]) => Promise<LabelScore[][]>;

export interface PipelineLoadOptions {
  /** Weights to load; transformers.js picks per device when absent (q8 in the browser, fp32 in Node). */
  dtype?: 'fp32' | 'q8';
  /** Where ONNX Runtime runs it; transformers.js's default when absent (wasm in the browser, cpu in Node). */
  device?: 'wasm' | 'webgpu' | 'cpu';
  /** Hub host or mirror with the hub's URL layout. Default https://huggingface.co. */
  host?: string;
  revision?: string;
  /**
   * Where downloads are kept (the lab's "patch-lab-models" cache is opened in
   * it). Default: the browser's Cache API; null, or Node: kept for this load only.
   */
  cacheStorage?: CacheStorageLike | null;
  /** Byte progress per file, as the hub source reports it. */
  onProgress?: (p: FileProgress) => void;
  /** Aborts the downloads; the load then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export type PipelineLoader = (
  modelId: string,
  allowRemote: boolean,
  options?: PipelineLoadOptions,
) => Promise<ClassifyFn>;

// One load at a time: transformers.js's env is global.
let queue: Promise<unknown> = Promise.resolve();

export const loadTransformersPipeline: PipelineLoader = (modelId, allowRemote, options = {}) => {
  const run = queue.then(() => load(modelId, allowRemote, options));
  queue = run.catch(() => undefined);
  return run;
};

async function load(
  modelId: string,
  allowRemote: boolean,
  options: PipelineLoadOptions,
): Promise<ClassifyFn> {
  const { signal } = options;
  signal?.throwIfAborted();
  // Imported lazily: transformers.js and its ONNX runtime are large, and the
  // offline lexicon path should not pay for them.
  const { env, pipeline } = await import('@huggingface/transformers');
  const storage = options.cacheStorage === undefined ? defaultCacheStorage() : options.cacheStorage;
  const cache: CacheLike = storage ? await storage.open(MODEL_CACHE_NAME) : new LoadOnlyCache();
  const saved = {
    allowRemoteModels: env.allowRemoteModels,
    remoteHost: env.remoteHost,
    useCustomCache: env.useCustomCache,
    customCache: env.customCache,
    fetch: env.fetch,
  };
  // Downloads off is enforced at fetch, not with env.allowRemoteModels: in a
  // browser that flag (with local models off there) makes transformers.js
  // refuse before it looks in the cache, so a cached classifier would not load.
  env.allowRemoteModels = true;
  env.remoteHost = `${normaliseHost(options.host ?? DEFAULT_HUB_HOST)}/`;
  env.useCustomCache = true;
  env.customCache = cache;
  const baseFetch = saved.fetch;
  env.fetch = allowRemote
    ? (input, init) => baseFetch(input, { ...init, signal })
    : async (input) => {
        throw new Error(`${String(input)} is not cached`);
      };
  // A page or a worker (typed without DOM here: eval/ runs in the worker).
  const g = globalThis as { document?: unknown; importScripts?: unknown };
  if (g.document !== undefined || typeof g.importScripts === 'function') {
    // In a browser transformers.js points ONNX Runtime at its wasm on a CDN;
    // unset, ONNX Runtime's bundle loads the copy Vite ships beside it.
    const wasm = env.backends.onnx.wasm as { wasmPaths?: unknown; numThreads?: number } | undefined;
    if (wasm) {
      wasm.wasmPaths = undefined;
      // One thread, as before the app was cross-origin isolated (vite.config.ts):
      // ONNX Runtime's own pthread workers start from its bundle's URL, a path
      // not tested in this build, and the classifiers are small.
      wasm.numThreads = 1;
    }
  }
  try {
    const classifier = await pipeline('text-classification', modelId, {
      ...(options.dtype ? { dtype: options.dtype } : {}),
      ...(options.device ? { device: options.device } : {}),
      revision: options.revision ?? 'main',
      progress_callback: (e) => {
        if (e.status === 'progress' && options.onProgress) {
          options.onProgress({ file: e.file, loaded: e.loaded, total: e.total || null });
        }
      },
    });
    if (signal?.aborted) {
      await classifier.dispose();
      signal.throwIfAborted();
    }
    return async (texts) => (await classifier(texts, { top_k: null })) as unknown as LabelScore[][];
  } catch (e) {
    // A download cut by the signal surfaces as a fetch or stream error; say it was the cancel.
    signal?.throwIfAborted();
    throw e;
  } finally {
    Object.assign(env, saved);
  }
}

/**
 * transformers.js in Node needs a cache to hand the ONNX bytes back from a
 * download (it otherwise expects a file path); without the Cache API this
 * keeps them for one load, so Node never writes into node_modules (its
 * default file cache lives there).
 */
class LoadOnlyCache implements CacheLike {
  private readonly entries = new Map<string, Uint8Array<ArrayBuffer>>();

  async match(request: string): Promise<Response | undefined> {
    const bytes = this.entries.get(request);
    return bytes ? new Response(bytes.slice()) : undefined;
  }

  async put(request: string, response: Response): Promise<void> {
    this.entries.set(request, new Uint8Array(await response.arrayBuffer()));
  }

  async delete(request: string): Promise<boolean> {
    return this.entries.delete(request);
  }

  async keys(): Promise<readonly { url: string }[]> {
    return [...this.entries.keys()].map((url) => ({ url }));
  }
}

/** Why a classifier could not be had, in words a report can carry. */
export interface ClassifierLoadFailure {
  reason: string;
  /** True when the hub was unreachable or downloads are off: the offline case. */
  offline: boolean;
}

/**
 * Loads a classifier for a judge, turning a failure into `fail(…)`'s error so
 * the judge can fall back and say why; a cancel is rethrown as it is (the
 * caller's decision, not a reason to fall back).
 */
export async function loadClassifierOrFail(
  modelId: string,
  allowRemote: boolean,
  options: PipelineLoadOptions,
  load: PipelineLoader | undefined,
  fail: (failure: ClassifierLoadFailure) => Error,
): Promise<ClassifyFn> {
  try {
    return await (load ?? loadTransformersPipeline)(modelId, allowRemote, options);
  } catch (e) {
    if (options.signal?.aborted) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw fail({
      reason: allowRemote ? reason : `${reason} (remote download disabled: allowRemote is false)`,
      offline: !allowRemote || isNetworkFailure(e),
    });
  }
}

/** fetch's "the host could not be reached" (a TypeError in browsers and Node alike). */
export function isNetworkFailure(e: unknown): boolean {
  return e instanceof TypeError && /fetch|network/i.test(e.message);
}
