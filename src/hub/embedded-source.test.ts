import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileProgress } from '../engine/types';
import { embeddedSource } from './embedded-source';
import { ModelFileError } from './model-file-error';
import { expectMonotoneProgress, expectSameBytes } from './testing/expect-bytes';
import {
  BROKEN_FILE,
  EMBEDDED_NAME,
  type FixtureServer,
  fixtureBytes,
  STALLING_FILE,
  startFixtureServer,
  UNSIZED_FILE,
} from './testing/fixture-server';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});

describe('embeddedSource against a local server in the public/models layout', () => {
  it('reads {base}models/{name}/{file} byte for byte, with progress', async () => {
    const src = embeddedSource(EMBEDDED_NAME, `${server.url}/`);
    expect(src).toMatchObject({
      id: `embedded:${EMBEDDED_NAME}`,
      modelId: EMBEDDED_NAME,
      revision: 'embedded',
    });
    expect(src.label).toContain('embedded demo');
    for (const file of ['model.safetensors', UNSIZED_FILE]) {
      const events: FileProgress[] = [];
      const bytes = await src.read(file, { onProgress: (p) => events.push(p) });
      const expected = fixtureBytes(file);
      expectSameBytes(bytes, expected);
      expectMonotoneProgress(events, file, expected.byteLength);
    }
    expect(server.requests).toContain(`/models/${EMBEDDED_NAME}/model.safetensors`);
  });

  it('adds the missing slash to a base URL without one (e.g. "/patch-lab")', async () => {
    const bytes = await embeddedSource(EMBEDDED_NAME, server.url).read('config.json');
    expectSameBytes(bytes, fixtureBytes('config.json'));
  });

  it('defaults the base URL to Vite’s BASE_URL', () => {
    // Under Vitest import.meta.env.BASE_URL is "/", so the URL is origin-relative.
    let requested = '';
    const src = embeddedSource(EMBEDDED_NAME, undefined, async (input) => {
      requested = String(input);
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    });
    return src.read('config.json').then(() => {
      expect(requested).toBe(`/models/${EMBEDDED_NAME}/config.json`);
    });
  });

  it('returns null for a 404 and for a single-page-app fallback page', async () => {
    const src = embeddedSource(EMBEDDED_NAME, `${server.url}/`);
    expect(await src.read('model.safetensors.index.json')).toBeNull();
    expect(await src.read('spa-missing.json')).toBeNull();
  });

  it('throws on other statuses, naming the file and the status', async () => {
    const err = await embeddedSource(EMBEDDED_NAME, `${server.url}/`)
      .read(BROKEN_FILE)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFileError);
    expect((err as ModelFileError).status).toBe(500);
    expect((err as Error).message).toMatch(
      /^Loading broken\.json of the embedded model demo-fixture failed with HTTP 500 Internal Server Error/,
    );
  });

  it('aborts a stalled read', async () => {
    const controller = new AbortController();
    const p = embeddedSource(EMBEDDED_NAME, `${server.url}/`).read(STALLING_FILE, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.loaded > 0) controller.abort(new Error('stop'));
      },
    });
    await expect(p).rejects.toThrow('stop');
  });

  it('rejects names that could escape public/models', () => {
    expect(() => embeddedSource('../secret')).toThrow(
      '"../secret" is not a valid embedded model name',
    );
    expect(() => embeddedSource('a/b')).toThrow(ModelFileError);
  });
});
