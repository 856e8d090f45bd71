// Model files from the Hugging Face hub (or a mirror with the same URL
// layout), cached in the browser's Cache API.
//
// Why not @huggingface/transformers' downloader: its public API (env.remoteHost,
// env.useBrowserCache, ModelRegistry) fetches and caches files for its own
// ONNX pipelines; the function that returns a file's bytes (getModelFile in
// utils/hub.js) is internal, not exported from the package, and reports
// progress in its own event format. We need raw safetensors bytes with
// per-file byte progress and an AbortSignal, so this is plain fetch + Cache
// API over the same URL scheme.
import type { FileProgress, ModelFileSource } from '../engine/types';
import { DEFAULT_HUB_HOST, hubFileUrl, normaliseHost, repoIdProblem } from './hub-url';
import { type CacheStorageLike, defaultCacheStorage, MODEL_CACHE_NAME } from './model-cache';
import { ModelFileError } from './model-file-error';
import { contentLength, readStreamWithProgress } from './read-stream';

export interface HubSourceOptions {
  revision?: string;
  host?: string;
  /** false = the user switched hub downloads off; cached files are still served. */
  enabled?: boolean;
  /** Use the Cache API (where there is one) to keep downloads. */
  cache?: boolean;
  /** A Hugging Face access token, for gated or private repos. */
  accessToken?: string;
  fetchImpl?: typeof fetch;
  /** Defaults to globalThis.caches; injectable for tests. */
  cacheStorage?: CacheStorageLike | null;
  /** Non-fatal trouble, e.g. the cache is full: the file still loads. */
  onWarning?: (message: string) => void;
}

export function hubSource(repoId: string, options: HubSourceOptions = {}): ModelFileSource {
  const problem = repoIdProblem(repoId);
  if (problem) throw new ModelFileError('invalid', `This model cannot be loaded: ${problem}.`);
  const revision = options.revision ?? 'main';
  if (revision.trim() === '') throw new ModelFileError('invalid', 'The revision is empty.');
  const host = normaliseHost(options.host ?? DEFAULT_HUB_HOST);
  const hostName = hostLabel(host);
  const enabled = options.enabled ?? true;
  const useCache = options.cache ?? true;
  const doFetch = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const storage = useCache
    ? options.cacheStorage === undefined
      ? defaultCacheStorage()
      : options.cacheStorage
    : null;

  async function read(
    file: string,
    { onProgress, signal }: { onProgress?: (p: FileProgress) => void; signal?: AbortSignal } = {},
  ): Promise<Uint8Array | null> {
    if (file === '' || file.split('/').some((s) => s === '' || s === '.' || s === '..')) {
      throw new ModelFileError('invalid', `"${file}" is not a valid file name in ${repoId}.`, {
        file,
      });
    }
    signal?.throwIfAborted();
    const url = hubFileUrl(host, repoId, revision, file);

    const cache = storage ? await storage.open(MODEL_CACHE_NAME).catch(() => null) : null;
    const cached = await cache?.match(url);
    if (cached?.body) {
      return readStreamWithProgress(cached.body, file, contentLength(cached.headers), {
        onProgress,
        signal,
      });
    }

    if (!enabled) {
      throw new ModelFileError(
        'disabled',
        `Hub downloads are switched off, so ${file} of ${repoId} cannot be downloaded. ` +
          'Switch them on in the settings, or use the embedded demo models or a local folder.',
        { file },
      );
    }

    let response: Response;
    try {
      response = await doFetch(url, {
        signal,
        headers: options.accessToken ? { Authorization: `Bearer ${options.accessToken}` } : {},
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new ModelFileError(
        'offline',
        `Could not reach ${hostName} to download ${file} of ${repoId} — you may be offline. ` +
          'Open the model from a local folder (the files downloaded once: config.json, ' +
          'tokenizer.json, model.safetensors), set a reachable mirror under "Hub host (or a mirror)" in the ' +
          'model picker, or use the embedded demo models, which work offline.',
        { file, cause: err },
      );
    }

    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      return failedResponse(response, file);
    }
    if (!response.body) {
      throw new ModelFileError('http', `${hostName} sent no body for ${file} of ${repoId}.`, {
        file,
        status: response.status,
      });
    }

    // With Content-Encoding the announced length is the compressed one.
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
    let bytes: Uint8Array;
    try {
      bytes = await readStreamWithProgress(
        response.body,
        file,
        encoded ? null : contentLength(response.headers),
        { onProgress, signal },
      );
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new ModelFileError(
        'interrupted',
        `The download of ${file} from ${hostName} broke off: ${String(err)}. Try again.`,
        { file, cause: err },
      );
    }

    if (cache) {
      const stored = new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: {
          'content-type': response.headers.get('content-type') ?? 'application/octet-stream',
          'content-length': String(bytes.byteLength),
        },
      });
      await cache.put(url, stored).catch((err: unknown) => {
        // A full cache (QuotaExceededError) must not fail a load that succeeded.
        options.onWarning?.(
          `Could not keep ${file} of ${repoId} in the browser cache (${String(err)}); ` +
            'it will be downloaded again next time.',
        );
      });
    }
    return bytes;
  }

  /** 404 on a file = the repo lacks it (null); other statuses throw, naming file and status. */
  function failedResponse(response: Response, file: string): null {
    const status = response.status;
    // The hub says why in X-Error-Code: a missing repo or revision is not a missing file.
    const code = response.headers.get('x-error-code');
    if (status === 404 && code !== 'RepoNotFound' && code !== 'RevisionNotFound') return null;
    if (status === 404) {
      const what =
        code === 'RepoNotFound'
          ? `The repository ${repoId}`
          : `The revision "${revision}" of ${repoId}`;
      throw new ModelFileError(
        'not-found',
        `${what} does not exist on ${hostName} (HTTP 404 for ${file}). Check the spelling.`,
        { file, status },
      );
    }
    if (status === 401 || status === 403) {
      throw new ModelFileError(
        'unauthorized',
        `${hostName} refused ${file} of ${repoId} (HTTP ${status}): the model is gated or private` +
          (code === 'RepoNotFound' ? ', or does not exist' : '') +
          '. For a gated model, accept its licence on huggingface.co and give the lab an access token; ' +
          'or pick another model.',
        { file, status },
      );
    }
    throw new ModelFileError(
      'http',
      `Downloading ${file} of ${repoId} from ${hostName} failed with HTTP ${status}` +
        (response.statusText ? ` ${response.statusText}` : '') +
        (status >= 500 ? '. The server had a problem; try again later.' : '.'),
      { file, status },
    );
  }

  const atRevision = revision === 'main' ? '' : `@${revision}`;
  return {
    id: `hub:${repoId}@${revision}`,
    label: `${repoId}${atRevision}`,
    modelId: repoId,
    revision,
    read,
  };
}

function hostLabel(host: string): string {
  try {
    return new URL(host).host;
  } catch {
    return host;
  }
}
