import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileProgress } from '../engine/types';
import { hubSource } from './hub-source';
import { MODEL_CACHE_NAME } from './model-cache';
import { ModelFileError } from './model-file-error';
import { expectMonotoneProgress, expectSameBytes } from './testing/expect-bytes';
import {
  BROKEN_FILE,
  FIXTURE_REPO,
  type FixtureServer,
  fixtureBytes,
  GATED_REPO,
  MISSING_REPO,
  STALLING_FILE,
  startFixtureServer,
  UNSIZED_FILE,
} from './testing/fixture-server';
import { MemoryCacheStorage } from './testing/memory-cache-storage';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});

const noCache = () => ({ host: server.url, cache: false });

async function rejection(p: Promise<unknown>): Promise<ModelFileError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelFileError);
  return err as ModelFileError;
}

describe('hubSource against a local server in the hub URL layout', () => {
  it('downloads the fixture files byte for byte with monotone progress ending at the size', async () => {
    const src = hubSource(FIXTURE_REPO, noCache());
    for (const file of ['config.json', 'model.safetensors']) {
      const events: FileProgress[] = [];
      const bytes = await src.read(file, { onProgress: (p) => events.push(p) });
      const expected = fixtureBytes(file);
      expectSameBytes(bytes, expected);
      expectMonotoneProgress(events, file, expected.byteLength);
      // Content-Length was sent, so every event knew the total.
      expect(events.every((e) => e.total === expected.byteLength)).toBe(true);
    }
    expect(server.requests).toContain(`/${FIXTURE_REPO}/resolve/main/model.safetensors`);
  });

  it('handles a response without Content-Length: total unknown until the end', async () => {
    const events: FileProgress[] = [];
    const bytes = await hubSource(FIXTURE_REPO, noCache()).read(UNSIZED_FILE, {
      onProgress: (p) => events.push(p),
    });
    const expected = fixtureBytes(UNSIZED_FILE);
    expectSameBytes(bytes, expected);
    expectMonotoneProgress(events, UNSIZED_FILE, expected.byteLength);
    expect(events.slice(0, -1).every((e) => e.total === null)).toBe(true);
  });

  it('uses the revision in the URL, encoded', async () => {
    const src = hubSource(FIXTURE_REPO, { ...noCache(), revision: 'refs/pr/1' });
    expect(src.id).toBe(`hub:${FIXTURE_REPO}@refs/pr/1`);
    expect(src.revision).toBe('refs/pr/1');
    await src.read('config.json');
    expect(server.requests.at(-1)).toBe(`/${FIXTURE_REPO}/resolve/refs%2Fpr%2F1/config.json`);
  });

  it('returns null for a file the repo does not have (404)', async () => {
    expect(
      await hubSource(FIXTURE_REPO, noCache()).read('model.safetensors.index.json'),
    ).toBeNull();
  });

  it('throws, not null, when the repo or revision does not exist', async () => {
    const repo = await rejection(hubSource(MISSING_REPO, noCache()).read('config.json'));
    expect(repo.kind).toBe('not-found');
    expect(repo.message).toContain(`The repository ${MISSING_REPO} does not exist`);
    expect(repo.message).toContain('HTTP 404 for config.json');
    const rev = await rejection(
      hubSource(FIXTURE_REPO, { ...noCache(), revision: 'no-such-branch' }).read('config.json'),
    );
    expect(rev.message).toContain('The revision "no-such-branch"');
  });

  it('explains 401 as a gated or private model, naming the repo, file and status', async () => {
    const err = await rejection(hubSource(GATED_REPO, noCache()).read('config.json'));
    expect(err.kind).toBe('unauthorized');
    expect(err.status).toBe(401);
    expect(err.file).toBe('config.json');
    expect(err.message).toMatch(
      /^127\.0\.0\.1:\d+ refused config\.json of test-org\/gated-model \(HTTP 401\): the model is gated or private\. /,
    );
    expect(err.message).toContain('accept its licence');
  });

  it('reports a 500 with file, repo and status', async () => {
    const err = await rejection(hubSource(FIXTURE_REPO, noCache()).read(BROKEN_FILE));
    expect(err.kind).toBe('http');
    expect(err.status).toBe(500);
    expect(err.message).toMatch(
      /^Downloading broken\.json of test-org\/gpt2-random from 127\.0\.0\.1:\d+ failed with HTTP 500 Internal Server Error\. The server had a problem/,
    );
  });

  it('sends the access token as a bearer token', async () => {
    let seen: Headers | null = null;
    const src = hubSource(FIXTURE_REPO, {
      ...noCache(),
      accessToken: 'hf_test',
      fetchImpl: async (input, init) => {
        seen = new Headers(init?.headers);
        return fetch(input, init);
      },
    });
    await src.read('config.json');
    expect(seen!.get('authorization')).toBe('Bearer hf_test');
  });

  it('refuses to download when hub downloads are switched off, without a request', async () => {
    const before = server.requests.length;
    const err = await rejection(
      hubSource(FIXTURE_REPO, { ...noCache(), enabled: false }).read('config.json'),
    );
    expect(err.kind).toBe('disabled');
    expect(err.message).toMatch(
      /^Hub downloads are switched off, so config\.json of test-org\/gpt2-random/,
    );
    expect(server.requests.length).toBe(before);
  });

  it('says the host is unreachable when nothing listens there', async () => {
    const port = await freePort();
    const err = await rejection(
      hubSource(FIXTURE_REPO, { host: `http://127.0.0.1:${port}`, cache: false }).read(
        'config.json',
      ),
    );
    expect(err.kind).toBe('offline');
    expect(err.message).toBe(
      `Could not reach 127.0.0.1:${port} to download config.json of ${FIXTURE_REPO} — you may be offline. ` +
        'Open the model from a local folder (the files downloaded once: config.json, ' +
        'tokenizer.json, model.safetensors), set a reachable mirror under "Hub host (or a mirror)" in the ' +
        'model picker, or use the embedded demo models, which work offline.',
    );
  });

  it('aborts a download in flight with the signal’s reason', async () => {
    const controller = new AbortController();
    const events: FileProgress[] = [];
    const p = hubSource(FIXTURE_REPO, noCache()).read(STALLING_FILE, {
      signal: controller.signal,
      onProgress: (e) => {
        events.push(e);
        // Abort once the first bytes arrived: the body will never finish by itself.
        if (e.loaded > 0) controller.abort(new Error('user cancelled'));
      },
    });
    await expect(p).rejects.toThrow('user cancelled');
    expect(events.at(-1)!.loaded).toBeGreaterThan(0);
    expect(events.at(-1)!.total).toBe(1_000_000);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      hubSource(FIXTURE_REPO, noCache()).read('config.json', { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('validates repo ids and file names', () => {
    for (const bad of [
      '',
      'a/b/c',
      '-org/model',
      'org/model-',
      'org/mo--del',
      'org/mo..del',
      'org/with space',
    ]) {
      expect(() => hubSource(bad), bad).toThrow(ModelFileError);
    }
    expect(() => hubSource('a/b/c')).toThrow('has more than one "/"');
    for (const good of [
      'gpt2',
      'openai-community/gpt2',
      'Qwen/Qwen2.5-0.5B',
      'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
    ]) {
      expect(hubSource(good).modelId).toBe(good);
    }
    const src = hubSource(FIXTURE_REPO, noCache());
    return expect(src.read('../secrets')).rejects.toThrow('"../secrets" is not a valid file name');
  });
});

describe('hubSource caching', () => {
  it('keeps downloads in the model cache and serves them again without the network', async () => {
    const storage = new MemoryCacheStorage();
    const opts = { host: server.url, cacheStorage: storage };
    const first = await hubSource(FIXTURE_REPO, opts).read('model.safetensors');
    const url = `${server.url}/${FIXTURE_REPO}/resolve/main/model.safetensors`;
    const cache = await storage.open(MODEL_CACHE_NAME);
    expect([...cache.entries.keys()]).toEqual([url]);

    const before = server.requests.length;
    const events: FileProgress[] = [];
    // Even with downloads switched off, what is already cached loads.
    const again = await hubSource(FIXTURE_REPO, { ...opts, enabled: false }).read(
      'model.safetensors',
      {
        onProgress: (e) => events.push(e),
      },
    );
    expect(server.requests.length).toBe(before);
    expectSameBytes(again, first!);
    expectSameBytes(again, fixtureBytes('model.safetensors'));
    expectMonotoneProgress(events, 'model.safetensors', first!.byteLength);
  });

  it('does not cache misses, and does not cache when caching is off', async () => {
    const storage = new MemoryCacheStorage();
    await hubSource(FIXTURE_REPO, { host: server.url, cacheStorage: storage }).read('missing.json');
    await hubSource(FIXTURE_REPO, { host: server.url, cacheStorage: storage, cache: false }).read(
      'config.json',
    );
    const cache = await storage.open(MODEL_CACHE_NAME);
    expect(cache.entries.size).toBe(0);
  });

  it('still returns the file and warns when the cache is full', async () => {
    const storage = new MemoryCacheStorage();
    (await storage.open(MODEL_CACHE_NAME)).failPutWith = new Error('QuotaExceededError');
    const warnings: string[] = [];
    const bytes = await hubSource(FIXTURE_REPO, {
      host: server.url,
      cacheStorage: storage,
      onWarning: (w) => warnings.push(w),
    }).read('config.json');
    expectSameBytes(bytes, fixtureBytes('config.json'));
    expect(warnings).toEqual([
      'Could not keep config.json of test-org/gpt2-random in the browser cache (Error: QuotaExceededError); it will be downloaded again next time.',
    ]);
  });

  it('works without any CacheStorage (Node has none)', async () => {
    expect((globalThis as { caches?: unknown }).caches).toBeUndefined();
    const bytes = await hubSource(FIXTURE_REPO, { host: server.url }).read('config.json');
    expectSameBytes(bytes, fixtureBytes('config.json'));
  });
});

/** A port with nothing listening: bind, note the port, close. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('hubSource refuses a bad repo id before any request', () => {
  it('says so in one grammatical sentence (issue 14)', () => {
    expect(() => hubSource('hello world !!')).toThrow(
      /^This model cannot be loaded: "hello world !!" is not a valid repo id \(each part may use letters, digits, "-", "_" and "\.", at most 96 characters, not starting or ending with "-" or "\."\)\.$/,
    );
  });
});
