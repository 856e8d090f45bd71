// The browser Cache API store of downloaded hub files: one cache, keyed by
// the file's hub URL, so a model downloads once and later loads offline. The
// UI lists it per model (repo@revision) with sizes and can clear one model or
// everything. The storage is injected so Node tests can use an in-memory one.
import { parseHubFileUrl } from './hub-url';
import { contentLength } from './read-stream';

/** Our own cache, separate from transformers.js's "transformers-cache". */
export const MODEL_CACHE_NAME = 'patch-lab-models';

/** The parts of the Cache API we use (a subset of the DOM's Cache). */
export interface CacheLike {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
  delete(request: string): Promise<boolean>;
  keys(): Promise<readonly { url: string }[]>;
}

/** The parts of CacheStorage we use; `globalThis.caches` satisfies it. */
export interface CacheStorageLike {
  open(name: string): Promise<CacheLike>;
  delete(name: string): Promise<boolean>;
  has(name: string): Promise<boolean>;
}

/** The browser's CacheStorage, or null where there is none (Node, insecure origins). */
export function defaultCacheStorage(): CacheStorageLike | null {
  const c = (globalThis as { caches?: CacheStorage }).caches;
  return c ? (c as unknown as CacheStorageLike) : null;
}

export interface CachedFile {
  file: string;
  url: string;
  bytes: number;
}

export interface CachedModel {
  /** "repo@revision", the grouping key. */
  key: string;
  host: string;
  repoId: string;
  revision: string;
  files: CachedFile[];
  totalBytes: number;
}

export function cachedModelKey(repoId: string, revision: string): string {
  return `${repoId}@${revision}`;
}

/** Everything in the model cache, one entry per repo@revision, largest first. */
export async function listCachedModels(
  storage: CacheStorageLike | null = defaultCacheStorage(),
): Promise<CachedModel[]> {
  if (!storage || !(await storage.has(MODEL_CACHE_NAME))) return [];
  const cache = await storage.open(MODEL_CACHE_NAME);
  const byModel = new Map<string, CachedModel>();
  for (const request of await cache.keys()) {
    const loc = parseHubFileUrl(request.url);
    if (!loc) continue; // not written by us; leave it alone
    const response = await cache.match(request.url);
    if (!response) continue;
    const key = cachedModelKey(loc.repoId, loc.revision);
    let model = byModel.get(key);
    if (!model) {
      model = {
        key,
        host: loc.host,
        repoId: loc.repoId,
        revision: loc.revision,
        files: [],
        totalBytes: 0,
      };
      byModel.set(key, model);
    }
    const bytes = await responseSize(response);
    model.files.push({ file: loc.file, url: request.url, bytes });
    model.totalBytes += bytes;
  }
  const models = [...byModel.values()];
  for (const m of models) m.files.sort((a, b) => a.file.localeCompare(b.file));
  return models.sort((a, b) => b.totalBytes - a.totalBytes || a.key.localeCompare(b.key));
}

/**
 * We store every entry with a Content-Length (hub-source.ts does), so the
 * header is the cheap answer; reading the body is the fallback for entries
 * written otherwise, and it avoids loading gigabytes only when it can.
 */
async function responseSize(response: Response): Promise<number> {
  const declared = contentLength(response.headers);
  if (declared !== null) {
    await response.body?.cancel();
    return declared;
  }
  return (await response.blob()).size;
}

/** Removes every cached file of one model revision; returns how many files were removed. */
export async function clearCachedModel(
  repoId: string,
  revision: string,
  storage: CacheStorageLike | null = defaultCacheStorage(),
): Promise<number> {
  if (!storage || !(await storage.has(MODEL_CACHE_NAME))) return 0;
  const cache = await storage.open(MODEL_CACHE_NAME);
  let removed = 0;
  for (const request of await cache.keys()) {
    const loc = parseHubFileUrl(request.url);
    if (loc && loc.repoId === repoId && loc.revision === revision) {
      if (await cache.delete(request.url)) removed++;
    }
  }
  return removed;
}

/** Removes the whole model cache; returns whether there was one. */
export async function clearAllCachedModels(
  storage: CacheStorageLike | null = defaultCacheStorage(),
): Promise<boolean> {
  if (!storage) return false;
  return storage.delete(MODEL_CACHE_NAME);
}
