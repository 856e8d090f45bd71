// Model messages: loading M and M′ from the demo, the hub or a folder; the model cache.
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { RequestId, WithRequestId, WithRunId } from './base';

export type ModelRole = 'base' | 'reference';

export type ModelSourceKind = 'embedded' | 'hub' | 'local';

export interface ModelSummary {
  role: ModelRole;
  sourceId: string;
  sourceKind: ModelSourceKind;
  label: string;
  modelId: string;
  revision: string;
  modelType: string;
  params: number;
  hiddenSize: number;
  numLayers: number;
  vocabSize: number;
  /** The tfjs backend the weights live on. */
  backend: string;
  /** Fingerprint of the embedding matrix (src/patch/fingerprint.ts): patches are bound to it. */
  embeddingFingerprint: string;
  /** Wall time of the whole load, download to warm-up, in ms. */
  loadMs: number;
}

/** Where to load a model from; plain data (File objects clone across postMessage). */
export type ModelSourceSpec =
  | { kind: 'embedded'; name: string }
  /** `enabled: false` = hub downloads switched off: only cached files are used. */
  | { kind: 'hub'; repo: string; revision: string; host: string; enabled: boolean }
  | { kind: 'local'; files: File[]; label: string };

/** One repo@revision in the browser's model cache (src/hub/model-cache.ts). */
export interface CachedModelInfo {
  key: string;
  host: string;
  repoId: string;
  revision: string;
  files: { file: string; bytes: number }[];
  totalBytes: number;
}

export type ModelLoadPhase = 'download' | 'upload' | 'warmup' | 'ready';

export type ModelCommand =
  | WithRunId<{ type: 'load-model'; role: ModelRole; source: ModelSourceSpec }>
  /** Lists the model cache (a query: answered by model-cache with its requestId). */
  | WithRequestId<{ type: 'list-model-cache' }>
  /** Clears one repo@revision, or everything when repoId is null; answers with model-cache. */
  | WithRunId<{ type: 'clear-model-cache'; repoId: string | null; revision: string | null }>;

export type ModelEvent =
  | WithRunId<{ type: 'model-load-started'; role: ModelRole; label: string }>
  | WithRunId<{
      type: 'model-progress';
      role: ModelRole;
      phase: ModelLoadPhase;
      /** The file being read (download), or null. */
      file: string | null;
      /** download: bytes of `file`; upload: tensors on the device; warmup/ready: 0 or 1. */
      loaded: number;
      total: number | null;
    }>
  | WithRunId<{ type: 'model-loaded'; summary: ModelSummary }>
  /** Non-fatal trouble during a load (e.g. the cache is full); the load goes on. */
  | WithRunId<{ type: 'model-warning'; role: ModelRole; message: string }>
  /** The cache's contents: the answer to list-model-cache, and posted after clear-model-cache (requestId null). */
  | {
      type: 'model-cache';
      requestId: RequestId | null;
      models: CachedModelInfo[];
      available: boolean;
    };
