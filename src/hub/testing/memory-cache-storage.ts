// A small in-memory stand-in for the browser's CacheStorage, for Node tests
// of code that caches model files. It keeps bodies as bytes, as the real
// Cache API keeps them on disk, and hands out a fresh Response per match.
import type { CacheLike, CacheStorageLike } from '../model-cache';

interface Stored {
  bytes: Uint8Array<ArrayBuffer>;
  status: number;
  headers: [string, string][];
}

export class MemoryCache implements CacheLike {
  readonly entries = new Map<string, Stored>();
  /** When set, put() rejects with it (to test a full cache). */
  failPutWith: Error | null = null;

  async match(request: string): Promise<Response | undefined> {
    const s = this.entries.get(request);
    return s ? new Response(s.bytes.slice(), { status: s.status, headers: s.headers }) : undefined;
  }

  async put(request: string, response: Response): Promise<void> {
    if (this.failPutWith) throw this.failPutWith;
    const bytes = new Uint8Array(await response.arrayBuffer());
    this.entries.set(request, { bytes, status: response.status, headers: [...response.headers] });
  }

  async delete(request: string): Promise<boolean> {
    return this.entries.delete(request);
  }

  async keys(): Promise<readonly { url: string }[]> {
    return [...this.entries.keys()].map((url) => ({ url }));
  }
}

export class MemoryCacheStorage implements CacheStorageLike {
  readonly caches = new Map<string, MemoryCache>();

  async open(name: string): Promise<MemoryCache> {
    let cache = this.caches.get(name);
    if (!cache) {
      cache = new MemoryCache();
      this.caches.set(name, cache);
    }
    return cache;
  }

  async delete(name: string): Promise<boolean> {
    return this.caches.delete(name);
  }

  async has(name: string): Promise<boolean> {
    return this.caches.has(name);
  }
}
