// A real HTTP server for the source tests: it serves the random-weight GPT-2
// fixture in the hub's URL layout (/{repo}/resolve/{revision}/{file}) and in
// the embedded layout (/models/{name}/{file}), plus the failure cases the
// sources must handle. Node's fetch talks to it exactly as a browser would
// talk to the hub. Further repos (the classifier fixtures) can be served
// from other folders, with files replaced (a config with shuffled labels);
// every answer allows any origin, as the hub does, so a page can fetch too.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(
  new URL('../../../../shared/fixtures/hf-gpt2-random/', import.meta.url),
);

export const FIXTURE_REPO = 'test-org/gpt2-random';
export const GATED_REPO = 'test-org/gated-model';
export const MISSING_REPO = 'test-org/no-such-repo';
export const EMBEDDED_NAME = 'demo-fixture';
/** Served without Content-Length, in several chunks. */
export const UNSIZED_FILE = 'tokenizer.json';
/** Answers 500. */
export const BROKEN_FILE = 'broken.json';
/** Announces a large body, sends a little, then never finishes. */
export const STALLING_FILE = 'stall.bin';

export function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURE_DIR}${file}`));
}

/** A repo served from a folder; `files` replaces or adds files by path; `stall` files never finish. */
export interface FixtureRepo {
  dir: string;
  files?: Record<string, string | Uint8Array>;
  stall?: readonly string[];
}

export interface FixtureServer {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFixtureServer(
  repos: Record<string, FixtureRepo> = {},
): Promise<FixtureServer> {
  const requests: string[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    open.add(res);
    res.on('close', () => open.delete(res));
    res.setHeader('access-control-allow-origin', '*');
    handle(req, res, repos);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
      }),
  };
}

function handle(req: IncomingMessage, res: ServerResponse, repos: Record<string, FixtureRepo>) {
  // Match on the raw path: an encoded revision ("refs%2Fpr%2F1") is one segment.
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const hub = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path)?.map(decodeURIComponent);
  const embedded = /^\/models\/([^/]+)\/(.+)$/.exec(path)?.map(decodeURIComponent);

  if (hub) {
    const [, repo, revision, file] = hub;
    if (repo === GATED_REPO) return status(res, 401, { 'x-error-code': 'GatedRepo' });
    if (repo === MISSING_REPO) return status(res, 404, { 'x-error-code': 'RepoNotFound' });
    const extra = repos[repo];
    if (extra) {
      if (extra.stall?.includes(file)) return stall(res);
      const replaced = extra.files?.[file];
      if (replaced !== undefined) return send(res, file, toBytes(replaced));
      return serveFile(res, file, { 'x-error-code': 'EntryNotFound' }, extra.dir);
    }
    if (repo !== FIXTURE_REPO) return status(res, 404, { 'x-error-code': 'RepoNotFound' });
    if (revision === 'no-such-branch') {
      return status(res, 404, { 'x-error-code': 'RevisionNotFound' });
    }
    return serveFile(res, file, { 'x-error-code': 'EntryNotFound' });
  }
  if (embedded) {
    const [, name, file] = embedded;
    if (name !== EMBEDDED_NAME) return status(res, 404);
    if (file === 'spa-missing.json') {
      // What a single-page-app host answers for a missing file.
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Patch Lab</title>');
      return;
    }
    return serveFile(res, file, {});
  }
  status(res, 404);
}

function serveFile(
  res: ServerResponse,
  file: string,
  notFoundHeaders: Record<string, string>,
  dir = FIXTURE_DIR,
) {
  if (file === BROKEN_FILE) return status(res, 500);
  if (file === STALLING_FILE) return stall(res);
  let bytes: Uint8Array;
  try {
    if (file.includes('..')) throw new Error('no');
    bytes = new Uint8Array(readFileSync(join(dir, file)));
  } catch {
    return status(res, 404, notFoundHeaders);
  }
  const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  if (file === UNSIZED_FILE) {
    // No Content-Length: Node sends it chunked, as servers do for generated bodies.
    res.writeHead(200, { 'content-type': type });
    const step = Math.ceil(bytes.byteLength / 5);
    for (let i = 0; i < bytes.byteLength; i += step) res.write(bytes.subarray(i, i + step));
    res.end();
    return;
  }
  send(res, file, bytes);
}

function stall(res: ServerResponse) {
  res.writeHead(200, { 'content-length': '1000000', 'content-type': 'application/octet-stream' });
  res.write(new Uint8Array(1000));
  // never ends: the client must abort
}

function send(res: ServerResponse, file: string, bytes: Uint8Array) {
  const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.byteLength) });
  res.end(bytes);
}

function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}

function status(res: ServerResponse, code: number, headers: Record<string, string> = {}) {
  res.writeHead(code, { 'content-type': 'text/plain', ...headers });
  res.end(`status ${code}`);
}
