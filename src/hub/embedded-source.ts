// The embedded demo models, served with the app from public/models/{name}/.
// No cache here: the files are small and the browser's HTTP cache already
// keeps static assets.
import type { FileProgress, ModelFileSource } from '../engine/types';
import { ModelFileError } from './model-file-error';
import { contentLength, readStreamWithProgress } from './read-stream';

export const EMBEDDED_REVISION = 'embedded';

function defaultBaseUrl(): string {
  // import.meta.env exists under Vite and Vitest; plain Node (tsx) has none.
  const env = (import.meta as { env?: { BASE_URL?: string } }).env;
  return env?.BASE_URL ?? '/';
}

export function embeddedSource(
  name: string,
  baseUrl: string = defaultBaseUrl(),
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): ModelFileSource {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) {
    throw new ModelFileError('invalid', `"${name}" is not a valid embedded model name.`);
  }
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;

  async function read(
    file: string,
    { onProgress, signal }: { onProgress?: (p: FileProgress) => void; signal?: AbortSignal } = {},
  ): Promise<Uint8Array | null> {
    if (file === '' || file.split('/').some((s) => s === '' || s === '.' || s === '..')) {
      throw new ModelFileError('invalid', `"${file}" is not a valid file name.`, { file });
    }
    const url = `${base}models/${name}/${file.split('/').map(encodeURIComponent).join('/')}`;
    let response: Response;
    try {
      response = await fetchImpl(url, { signal });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new ModelFileError(
        'offline',
        `Could not load ${file} of the embedded model ${name} from ${url}: ${String(err)}.`,
        { file, cause: err },
      );
    }
    if (response.status === 404) {
      await response.body?.cancel().catch(() => {});
      return null;
    }
    // A dev server or single-page-app host answers a missing file with index.html and
    // status 200; treating that page as config or weights would fail far from here.
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && type.startsWith('text/html') && !file.endsWith('.html')) {
      await response.body?.cancel().catch(() => {});
      return null;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => {});
      throw new ModelFileError(
        'http',
        `Loading ${file} of the embedded model ${name} failed with HTTP ${response.status}` +
          `${response.statusText ? ` ${response.statusText}` : ''} (${url}).`,
        { file, status: response.status },
      );
    }
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
    return readStreamWithProgress(
      response.body,
      file,
      encoded ? null : contentLength(response.headers),
      { onProgress, signal },
    );
  }

  return {
    id: `embedded:${name}`,
    label: `${name} (embedded demo)`,
    modelId: name,
    revision: EMBEDDED_REVISION,
    read,
  };
}
