// Loading the base model M and the reference M′: from the embedded demo, the
// hub or a local folder, with per-file progress, a fit check before the
// weights are read, a warm-up pass (shader compilation on WebGPU) and a
// summary the UI can show. Also the hub model cache (list, clear).
import { loadModel } from '../../engine/load';
import { countParameters } from '../../engine/memory';
import { tf } from '../../engine/tf';
import type { CausalLM, DeviceLimits, ModelFileSource } from '../../engine/types';
import { embeddedSource } from '../../hub/embedded-source';
import { hubSource } from '../../hub/hub-source';
import { localFilesSource } from '../../hub/local-source';
import {
  clearAllCachedModels,
  clearCachedModel,
  defaultCacheStorage,
  listCachedModels,
} from '../../hub/model-cache';
import { fingerprintEmbeddings } from '../../patch/fingerprint';
import type {
  CachedModelInfo,
  ModelCommand,
  ModelLoadPhase,
  ModelRole,
  ModelSourceKind,
  ModelSourceSpec,
  ModelSummary,
  RequestId,
  RunId,
} from '../../protocol/messages';
import { forgetRun, isCancelled, runSignal } from '../cancellation';
import { currentDevice } from '../device-info';
import { errorText } from '../error-text';
import { session } from '../session';
import type { HandlersOf, Post } from './handler';

const ROLE_NAME: Record<ModelRole, string> = { base: 'M', reference: 'M′' };

/**
 * The app's base URL as an absolute URL. A module worker's relative fetches
 * resolve against the worker script (…/assets/), not the page, so the
 * embedded models' URL must be absolute.
 */
function appBaseUrl(): string {
  const env = (import.meta as { env?: { BASE_URL?: string } }).env;
  const base = env?.BASE_URL ?? '/';
  const loc = (globalThis as { location?: { origin: string } }).location;
  return loc ? new URL(base, `${loc.origin}/`).href : base;
}

/** The file source a spec names. Throws (in words) when the spec cannot be a model. */
export function sourceFromSpec(
  spec: ModelSourceSpec,
  onWarning?: (message: string) => void,
): ModelFileSource {
  switch (spec.kind) {
    case 'embedded':
      return embeddedSource(spec.name, appBaseUrl());
    case 'hub':
      return hubSource(spec.repo.trim(), {
        revision: spec.revision.trim() || 'main',
        host: spec.host.trim() || undefined,
        enabled: spec.enabled,
        onWarning,
      });
    case 'local':
      return localFilesSource(spec.files, spec.label || undefined);
  }
}

/**
 * What bounds a load here: the WebGPU adapter's buffer limits when the lab
 * runs on webgpu, otherwise just the backend (wasm has its 4 GiB heap bound).
 */
export async function currentLimits(): Promise<DeviceLimits> {
  const backend = tf.getBackend();
  if (backend === 'webgpu') {
    const adapter = (await currentDevice()).adapter;
    return {
      backend,
      maxBufferSize: adapter?.maxBufferSize ?? null,
      maxStorageBufferBindingSize: adapter?.maxStorageBufferBindingSize ?? null,
    };
  }
  return { backend, maxBufferSize: null, maxStorageBufferBindingSize: null };
}

/**
 * One forward pass over a few tokens, read back. On WebGPU the first pass
 * compiles every shader the model uses (seconds on some GPUs); doing it here,
 * under its own progress label, keeps that pause out of the first generation.
 */
async function warmUp(model: CausalLM, firstIds: number[]): Promise<void> {
  const vocab = model.config.vocabSize;
  const ids = firstIds.filter((i) => i >= 0 && i < vocab).slice(0, 8);
  if (ids.length === 0) ids.push(0);
  const logits = tf.tidy(() => {
    const input = tf.tensor2d([ids], [1, ids.length], 'int32');
    return model.forward(model.embed(input), { lastPositionOnly: true }).logits;
  });
  try {
    await logits.data();
  } finally {
    logits.dispose();
  }
}

/** Rate-limits progress events: a 500 MB download arrives in thousands of chunks. */
function throttled(post: Post, minMs = 80): (e: Parameters<Post>[0], force?: boolean) => void {
  let last = 0;
  return (e, force = false) => {
    const now = Date.now();
    if (force || now - last >= minMs) {
      last = now;
      post(e);
    }
  };
}

export interface LoadRequest {
  runId: RunId;
  role: ModelRole;
  source: ModelFileSource;
  sourceKind: ModelSourceKind;
  limits: DeviceLimits;
}

/**
 * Loads a model into the session for `role`, posting progress, and replaces
 * (and disposes) the model that held the role only once the new one is ready,
 * so a failed or cancelled load leaves the previous model in place.
 */
export async function loadIntoSession(req: LoadRequest, post: Post): Promise<void> {
  const { runId, role, source } = req;
  const t0 = performance.now();
  const roleName = ROLE_NAME[role];
  post({
    type: 'run-started',
    runId,
    kind: 'load-model',
    label: `Load ${roleName}: ${source.label}`,
  });
  post({ type: 'model-load-started', runId, role, label: source.label });

  // Aborts the reads in flight when the run is cancelled.
  const signal = runSignal(runId);
  const progress = throttled(post);
  let lastPhase: ModelLoadPhase | null = null;
  let lastFile: string | null = null;
  const report = (
    phase: ModelLoadPhase,
    file: string | null,
    loaded: number,
    total: number | null,
  ) => {
    // Phase and file changes, and completed files, always go out; chunks in between are throttled.
    const force = phase !== lastPhase || file !== lastFile || (total !== null && loaded >= total);
    lastPhase = phase;
    lastFile = file;
    progress({ type: 'model-progress', runId, role, phase, file, loaded, total }, force);
  };

  let loaded: Awaited<ReturnType<typeof loadModel>> | null = null;
  try {
    loaded = await loadModel(source, {
      limits: req.limits,
      signal: signal,
      onProgress: (p) => {
        if (p.phase === 'ready') return; // ours comes after the warm-up
        report(p.phase, p.file ?? null, p.loaded, p.total);
      },
    });
    signal.throwIfAborted();
    report('warmup', null, 0, 1);
    const firstIds = loaded.tokenizer.encode('Hello', { addSpecialTokens: false });
    await warmUp(loaded.model, firstIds);
    signal.throwIfAborted();

    const config = loaded.config;
    const matrix = (await loaded.model.embeddingMatrix().data()) as Float32Array;
    const fingerprint = await fingerprintEmbeddings(matrix, config.vocabSize, config.hiddenSize);
    signal.throwIfAborted();

    const summary: ModelSummary = {
      role,
      sourceId: source.id,
      sourceKind: req.sourceKind,
      label: source.label,
      modelId: source.modelId,
      revision: source.revision,
      modelType: config.modelType,
      params: countParameters(config),
      hiddenSize: config.hiddenSize,
      numLayers: config.numLayers,
      vocabSize: config.vocabSize,
      backend: tf.getBackend(),
      embeddingFingerprint: fingerprint,
      loadMs: Math.round(performance.now() - t0),
    };
    const previous = session.models[role];
    session.models[role] = {
      role,
      model: loaded.model,
      tokenizer: loaded.tokenizer,
      config,
      source,
      summary,
    };
    loaded = null; // owned by the session now
    if (previous && previous.model !== session.models[role]?.model) previous.model.dispose();
    report('ready', null, 1, 1);
    post({ type: 'model-loaded', runId, summary });
    post({ type: 'run-done', runId });
  } catch (e) {
    loaded?.model.dispose();
    if (isCancelled(runId)) {
      post({ type: 'run-cancelled', runId });
      return;
    }
    throw new Error(`Could not load ${source.label} as ${roleName}. ${errorText(e)}`);
  } finally {
    forgetRun(runId);
  }
}

function cacheInfo(models: Awaited<ReturnType<typeof listCachedModels>>): CachedModelInfo[] {
  return models.map((m) => ({
    key: m.key,
    host: m.host,
    repoId: m.repoId,
    revision: m.revision,
    files: m.files.map((f) => ({ file: f.file, bytes: f.bytes })),
    totalBytes: m.totalBytes,
  }));
}

/** Posts the cache's contents: a query's answer (with its id) or, after clearing, a push (null). */
async function postCache(requestId: RequestId | null, post: Post): Promise<void> {
  const storage = defaultCacheStorage();
  post({
    type: 'model-cache',
    requestId,
    models: cacheInfo(await listCachedModels(storage)),
    available: storage !== null,
  });
}

export const modelsHandlers: HandlersOf<ModelCommand> = {
  'load-model': async (cmd, post) => {
    let source: ModelFileSource;
    try {
      source = sourceFromSpec(cmd.source, (message) =>
        post({ type: 'model-warning', runId: cmd.runId, role: cmd.role, message }),
      );
    } catch (e) {
      // A bad repo id or an incomplete folder: say so before anything starts.
      post({ type: 'run-started', runId: cmd.runId, kind: 'load-model', label: 'Load model' });
      post({
        type: 'model-load-started',
        runId: cmd.runId,
        role: cmd.role,
        label:
          cmd.source.kind === 'hub'
            ? cmd.source.repo
            : cmd.source.kind === 'local'
              ? cmd.source.label
              : cmd.source.name,
      });
      throw e;
    }
    await loadIntoSession(
      {
        runId: cmd.runId,
        role: cmd.role,
        source,
        sourceKind: cmd.source.kind,
        limits: await currentLimits(),
      },
      post,
    );
  },
  'list-model-cache': (cmd, post) => postCache(cmd.requestId, post),
  'clear-model-cache': async (cmd, post) => {
    post({ type: 'run-started', runId: cmd.runId, kind: 'load-model', label: 'Clear model cache' });
    if (cmd.repoId === null) await clearAllCachedModels();
    else await clearCachedModel(cmd.repoId, cmd.revision ?? 'main');
    await postCache(null, post);
    post({ type: 'run-done', runId: cmd.runId });
  },
};
