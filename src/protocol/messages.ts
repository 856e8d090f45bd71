// The one typed contract between the UI thread and the lab worker. Commands
// go in, events come out; every event of a run carries its run id, and
// failures travel as events (never swallowed, never thrown across threads).
import type {
  BenchmarkFormat,
  DetectedFormat,
  GenericFormat,
  TablePreview,
} from '../data/importers/index';
import type { PromptSet, PromptSetKind, SentencePairSet } from '../data/types';
import type { BackendName } from '../engine/backend-names';
import type { SamplingOptions } from '../engine/types';
import type { EvalReport } from '../eval/report';
import type { PatchManifest, SignatureVerification } from '../patch/types';
import type { TrainStage } from '../train/checkpoint';
import type { CollectSettings } from '../train/collected';
import type { TrainRecipe } from '../train/recipe';
import type { DeviceReport, SelftestResult } from './device';

/** Sampling settings, one type for evaluation, the playground and generation (src/engine/types.ts). */
export type { SamplingOptions };

export type RunId = string;

/**
 * The three models the lab compares: M, M with the applied patch stack (M+P),
 * and M′. Evaluation targets and playground columns are these; a new
 * evaluation control (e.g. M with a random patch) extends EvalTargetKind.
 */
export type ModelVariant = 'base' | 'patched' | 'reference';
/** Names one query (a command that only asks for data) so its answer can be matched to it. */
export type RequestId = string;

/** A message that belongs to a run: its events share the run id of the command that started it. */
export type WithRunId<T> = T & { runId: RunId };
/** A query and its answer: the answer carries the query's id, or null when the worker pushes it unasked. */
export type WithRequestId<T> = T & { requestId: RequestId };

// ─── Core: device, backend, self-test, cancellation ─────────────────────────

export type CoreCommand =
  /** Detect the device and start the best backend (or the override). */
  | { type: 'init'; override: BackendName | null }
  /** Switch backend; null returns to automatic choice. */
  | { type: 'set-backend'; override: BackendName | null }
  /** Run the gradient self-test on each backend and compare with cpu. */
  | WithRunId<{ type: 'selftest'; backends: BackendName[] }>
  | WithRunId<{ type: 'cancel' }>;

export interface BackendAttempt {
  backend: BackendName;
  error: string;
}

export interface BackendState {
  active: BackendName;
  reason: string;
  /** Backends that were tried first and failed, with why (shown as a note). */
  failed: BackendAttempt[];
  override: BackendName | null;
}

export type CoreEvent =
  | { type: 'ready' }
  | { type: 'device'; report: DeviceReport }
  | { type: 'backend'; state: BackendState }
  | WithRunId<{ type: 'run-started'; kind: RunKind; label: string }>
  | WithRunId<{ type: 'run-progress'; done: number; total: number; message: string }>
  | WithRunId<{ type: 'selftest-result'; result: SelftestResult }>
  | WithRunId<{ type: 'run-done' }>
  | WithRunId<{ type: 'run-cancelled' }>
  | WithRunId<{ type: 'run-error' } & ErrorInfo>
  /**
   * A failure outside any run (e.g. backend initialisation gave up entirely),
   * or a query's failure (then with the query's requestId).
   */
  | ({ type: 'error'; requestId: RequestId | null } & ErrorInfo);

/** A thrown error as it crosses the thread: the domain layers' coded errors keep their name and code. */
export interface ErrorInfo {
  message: string;
  /** The error class's name ('PatchFileError', 'AbortError', 'Error'). */
  name: string;
  /** The domain code (e.g. 'CONTENT_MODIFIED'), or null for errors without one. */
  code: string | null;
}

export type RunKind =
  | 'selftest'
  | 'load-model'
  | 'import-data'
  | 'collect'
  | 'train'
  | 'evaluate'
  | 'generate'
  | 'patch';

// ─── Models: loading M and M′ from the demo, the hub or a folder ────────────

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

// ─── Data: built-in prompt sets and imported benchmark files ────────────────

/** What the user chose for one file; everything optional is detected. */
export interface DataImportChoice {
  /** Omitted = detected from name and content. */
  format?: BenchmarkFormat;
  split?: 'train' | 'eval';
  /** Generic files: container, prompt column and kind. Without it a generic file is only previewed. */
  generic?: { format: GenericFormat; column: string; kind: PromptSetKind };
  harmbench?: { contextual: 'include' | 'skip' };
}

export type DataCommand =
  /** Reads, detects and previews one file, then imports it unless it is generic with no column chosen. */
  | WithRunId<{ type: 'import-data'; fileId: string; file: File; choice: DataImportChoice }>
  /** Splits one prompt set into disjoint train and eval sets (seeded). */
  | WithRunId<{
      type: 'split-data';
      setId: string;
      set: PromptSet;
      evalFraction: number;
      seed: number;
    }>;

export type DataEvent =
  | WithRunId<{
      type: 'data-inspected';
      fileId: string;
      fileName: string;
      size: number;
      detected: DetectedFormat;
      /** First rows as a table, for the column picker; null when the file cannot be shown as one. */
      preview: TablePreview | null;
    }>
  | WithRunId<{
      type: 'data-imported';
      fileId: string;
      fileName: string;
      format: BenchmarkFormat;
      sets: PromptSet[];
      pairSets: SentencePairSet[];
      warnings: string[];
    }>
  | WithRunId<{
      type: 'data-split';
      setId: string;
      train: PromptSet;
      eval: PromptSet;
      duplicatesDropped: number;
      /** Normalised prompts found in both halves: empty by construction, reported as proof. */
      overlaps: string[];
    }>;

// ─── Training: collect, SFT, DPO, checkpoints ───────────────────────────────

/** A collected pair as the UI shows it (text and numbers, no token ids). */
export interface CollectedPairView {
  domain: string;
  prompt: string;
  /** M′'s answer. */
  chosen: string;
  /** M's answer. */
  rejected: string;
  /** Σ log p_M′ of each answer (the paper's DPO reference). */
  refChosen: number;
  refRejected: number;
  chosenTokens: number;
  rejectedTokens: number;
}

/** What a collect run produced; the set itself stays in the worker (and IndexedDB). */
export interface CollectedSummary {
  id: string;
  count: number;
  byDomain: Partial<Record<string, number>>;
  baseModelId: string;
  referenceModelId: string;
  /** True when the set came from the IndexedDB cache instead of being generated. */
  cached: boolean;
  createdAt: string;
  /** The first pairs, for the viewer. */
  sample: CollectedPairView[];
}

/** The training stage (src/train/checkpoint.ts), named once. */
export type TrainStageName = TrainStage;

/** One optimizer update as the charts see it. */
export interface TrainStepPoint {
  stage: TrainStageName;
  step: number;
  totalSteps: number;
  stageStep: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokensPerSecond: number;
  /** Seconds left at the recent pace; null before the pace is known. */
  etaSeconds: number | null;
  /** DPO only. */
  rewardAccuracy: number | null;
  rewardMargin: number | null;
  /** DPO only: pairs the margin filter kept / dropped. */
  pairsKept: number | null;
  pairsDropped: number | null;
}

export type TrainRunStatus = 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'failed';

/** Why a run paused or failed, with what the user can do next. */
export type TrainProblem =
  | {
      kind: 'non-finite';
      stage: TrainStageName;
      step: number;
      quantity: 'loss' | 'gradient';
      message: string;
    }
  | { kind: 'out-of-memory' | 'device-lost'; message: string; batchSize: number }
  | { kind: 'other'; message: string };

/** A resumable checkpoint in IndexedDB, described for the resume offer. */
export interface TrainCheckpointInfo {
  /** The run key: one checkpoint slot per run. */
  id: string;
  step: number;
  totalSteps: number;
  stage: TrainStageName | 'done';
  savedAt: string;
  baseModelId: string;
  dataId: string;
  recipe: TrainRecipe;
  /** Loss history up to the checkpoint, so charts survive a reload. */
  points: TrainStepPoint[];
}

export interface TrainStatusInfo {
  status: TrainRunStatus;
  step: number;
  totalSteps: number;
  stage: TrainStageName | 'done';
  /** The last checkpoint written for this run, if any. */
  checkpoint: { id: string; step: number; savedAt: string } | null;
  problem: TrainProblem | null;
  /** Saved patch once the run finished (or after "Save patch"). */
  savedPatch: { id: string; name: string } | null;
}

export type TrainControlAction = 'pause' | 'resume' | 'stop' | 'step-once';

export type TrainCommand =
  /** Generate M′ (chosen) and M (rejected) answers for the train sets; cached by models+sets+settings. */
  | WithRunId<{ type: 'collect'; sets: PromptSet[]; settings: CollectSettings }>
  /**
   * Train a patch on a collected set. With resumeFrom, continue that
   * checkpoint instead (its recipe, with `override` applied: e.g. a halved
   * batch size after running out of memory).
   */
  | WithRunId<{
      type: 'train-start';
      recipe: TrainRecipe;
      collectedId: string;
      resumeFrom: string | null;
      override: Partial<TrainRecipe> | null;
      patchName: string;
    }>
  /** Steer the active training run (the one with this runId). */
  | WithRunId<{ type: 'train-control'; action: TrainControlAction }>
  /** Ask for unfinished checkpoints (a query: answered by 'train-checkpoints'). */
  | WithRequestId<{ type: 'train-list-checkpoints' }>
  | { type: 'train-discard-checkpoint'; id: string }
  /** Save training run `trainRunId`'s current patch to the patch library (a short run of its own). */
  | WithRunId<{ type: 'train-save-patch'; trainRunId: RunId; name: string }>;

export type TrainEvent =
  | WithRunId<{ type: 'collected'; summary: CollectedSummary }>
  | WithRunId<{ type: 'train-step'; point: TrainStepPoint }>
  | WithRunId<{ type: 'train-status'; info: TrainStatusInfo }>
  /** Unfinished checkpoints: a list-checkpoints answer, or pushed (requestId null) after a run changes them. */
  | { type: 'train-checkpoints'; requestId: RequestId | null; checkpoints: TrainCheckpointInfo[] };

// ─── Evaluation: metrics of M, M+P and M′ ───────────────────────────────────

/** Which model an evaluation runs: M, M with the applied patch stack, or M′. */
export type EvalTargetKind = ModelVariant;

/** The prompt-set kinds an evaluation covers (src/data/types.ts PromptSetKind). */
export type EvalSetKind = PromptSetKind;

/** Per kind: the embedded demo's held-out set, a set the user imported, or skip it. */
export type EvalSetChoice =
  | { source: 'builtin' }
  | { source: 'custom'; set: PromptSet }
  | { source: 'off' };

/** Toxicity scorer asked for; a classifier that cannot load falls back to the lexicon (with the reason). */
export type ToxicityScorerChoice =
  | { kind: 'lexicon' }
  | { kind: 'classifier'; modelId: string; allowRemote: boolean };

/** Everything that decides an evaluation's numbers; M, M+P and M′ are comparable only under one config. */
export interface EvalConfig {
  sets: Record<EvalSetKind, EvalSetChoice>;
  /** CrowS-Pairs-style sentence pairs scored by likelihood; null = skip. */
  crowsPairs: SentencePairSet | null;
  /** Samples per prompt (RealToxicityPrompts used 25). */
  k: number;
  sampling: SamplingOptions;
  scorer: ToxicityScorerChoice;
  /** Use the first N prompts of each set (0 = all): keeps in-browser checks short. */
  maxPromptsPerSet: number;
  /** Evaluate M+P while a patch trains, at most once every `everySteps` updates. */
  duringTraining: { enabled: boolean; everySteps: number };
}

/** The toxicity scorer that actually ran, and why (e.g. the classifier was offline). */
export interface EvalScorerInfo {
  kind: 'classifier' | 'lexicon';
  label: string;
  reason: string;
  /** True when a classifier was asked for but the lexicon ran instead. */
  fellBack: boolean;
}

/** One finished evaluation as the dashboard stores it. */
export interface EvalResult {
  target: EvalTargetKind;
  /** "M · demo-base", "M+P · my-patch", "M′ · demo-safe". */
  modelLabel: string;
  /** Model fingerprint the result belongs to (M's embedding fingerprint for M and M+P). */
  modelFingerprint: string;
  /** Hash of the EvalConfig (minus duringTraining): results compare only under one key. */
  configKey: string;
  /** Training update the patch had; null for M, M′ and M+P evaluated outside training. */
  step: number | null;
  /** The training run whose patch this was; null outside training. */
  trainRunId: RunId | null;
  /** True when the result came from the worker's or IndexedDB's cache. */
  cached: boolean;
  scorer: EvalScorerInfo;
  report: EvalReport;
  /** ISO time the numbers were computed. */
  computedAt: string;
}

export type EvalCommand =
  /** Evaluates one target on the configured sets; M and M′ come from the cache when they can. */
  | WithRunId<{ type: 'evaluate'; target: EvalTargetKind; config: EvalConfig; force: boolean }>
  /** The config the training hook uses for M+P; sent whenever the user changes it. */
  | { type: 'eval-configure'; config: EvalConfig };

export type EvalEvent =
  | WithRunId<{ type: 'eval-result'; result: EvalResult }>
  /** Non-fatal: e.g. a training-time evaluation was skipped, and why. */
  | WithRunId<{ type: 'eval-warning'; message: string }>;

// ─── Playground: one prompt through M, M+P and M′ ───────────────────────────

/** Which model answers in a playground column. */
export type PlaygroundVariant = ModelVariant;

export interface PlaygroundColumn {
  variant: PlaygroundVariant;
  /** "M · demo-base", "M+P · 2 patches", "M′ · demo-safe". */
  label: string;
  /** null when the column runs; otherwise why not, and what to do. */
  unavailable: string | null;
}

/** Each answer's scores, computed once the answer is complete. */
export interface PlaygroundScores {
  /** In [0, 1]; what it means is in scorerLabels.toxicity. */
  toxicity: number;
  refusal: boolean;
  gendered: { male: number; female: number; neutral: number };
}

export interface PlaygroundScorerLabels {
  toxicity: string;
  refusal: string;
  gendered: string;
}

export type PlaygroundCommand = WithRunId<{
  type: 'playground-run' /** The user's chat turn, plain text. */;
  prompt: string;
  sampling: SamplingOptions;
}>;

export type PlaygroundEvent =
  | WithRunId<{
      type: 'playground-started';
      prompt: string;
      sampling: SamplingOptions;
      columns: PlaygroundColumn[];
      scorerLabels: PlaygroundScorerLabels;
    }>
  /** The whole answer so far (decoded together, so multi-token characters come out right). */
  | WithRunId<{
      type: 'playground-text';
      variant: PlaygroundVariant;
      text: string;
      tokens: number;
    }>
  | WithRunId<{
      type: 'playground-answer';
      variant: PlaygroundVariant;
      text: string;
      tokens: number;
      ms: number;
      scores: PlaygroundScores;
    }>;

// ─── Patches: files, signing, composition, PEFT ─────────────────────────────

/** How a patch came into the library. */
export type PatchOrigin = 'trained' | 'imported' | 'composed';

/** One library entry as the UI sees it: the manifest and checks, never the vectors. */
export interface PatchSummary {
  id: string;
  /** The user's label (renaming never touches the possibly signed manifest). */
  name: string;
  origin: PatchOrigin;
  manifest: PatchManifest;
  nVirtual: number;
  hidden: number;
  /** Size of the patch file when downloaded unsigned. */
  sizeBytes: number;
  verification: SignatureVerification;
  /** Migration notes and warnings from import, plain text. */
  notes: string[];
  /** Fit with the base model loaded now; null when no base is loaded. */
  fit: { ok: boolean; message: string } | null;
  savedAt: number;
}

export interface ImportFileResult {
  /** The file (or folder) name the user picked. */
  fileName: string;
  ok: boolean;
  /** One sentence for the user: what was imported, or why not and what to do. */
  message: string;
  /** PatchFileError code on refusal (e.g. CONTENT_MODIFIED), so the UI can offer an override. */
  code: string | null;
  patchId: string | null;
  notes: string[];
}

export interface SigningKeyInfo {
  algorithm: string;
  /** Full RFC 7638 thumbprint; show formatKeyFingerprint-style groups. */
  fingerprint: string;
  createdAt: number | null;
}

export interface TrustedKeyInfo {
  fingerprint: string;
  label: string;
  algorithm: string;
  addedAt: number;
}

export type PatchCommand =
  /** Re-read the library (and keys) and post them; the UI asks on start and when M changes. */
  | WithRunId<{ type: 'patches-refresh' }>
  | WithRunId<{ type: 'patch-rename'; id: string; name: string }>
  /** Soft delete: the patch leaves the list and can be restored. */
  | WithRunId<{ type: 'patch-delete'; id: string }>
  | WithRunId<{ type: 'patch-restore'; id: string }>
  /** Posts patch-file with NAME.patch.safetensors (signed with the user's key when sign). */
  | WithRunId<{ type: 'patch-download'; id: string; sign: boolean }>
  /** Posts patch-file with a PEFT prompt-tuning adapter zip. */
  | WithRunId<{ type: 'patch-export-peft'; id: string; sign: boolean }>
  /**
   * Several files at once: patch files, PEFT zips, or the files of PEFT adapter
   * folders (adapter_config.json + adapter_model.safetensors, grouped by folder).
   * acceptModified imports files whose hash or signature does not match, marked invalid.
   */
  | WithRunId<{ type: 'patch-import'; files: File[]; acceptModified: boolean }>
  /** Stacks patches in this order into a new library patch. */
  | WithRunId<{ type: 'patch-compose'; ids: string[]; name: string }>
  /** The patch stack M+P uses, in order; [] = none. allowInvalid overrides a failed signature. */
  | WithRunId<{ type: 'patch-apply'; ids: string[]; allowInvalid: boolean }>
  /** Makes (or replaces) the user's signing key. */
  | WithRunId<{ type: 'key-generate' }>
  /** Posts patch-file with the user's public key file. */
  | WithRunId<{ type: 'key-export-public'; label: string }>
  /** Trusts the key in a public key file's text. */
  | WithRunId<{ type: 'key-trust'; text: string; label: string | null }>
  | WithRunId<{ type: 'key-untrust'; fingerprint: string }>;

export type PatchEvent =
  /** The library as it is now; posted after every change, also outside runs (a trained patch saved). */
  | { type: 'patch-library'; patches: PatchSummary[]; activePatchIds: string[] }
  /** Bytes for the UI to offer as a download. */
  | WithRunId<{ type: 'patch-file'; fileName: string; mime: string; bytes: Uint8Array }>
  | WithRunId<{ type: 'patch-import-result'; result: ImportFileResult }>
  /** A patch was soft-deleted; the UI offers undo. */
  | WithRunId<{ type: 'patch-deleted'; id: string; name: string }>
  | { type: 'signing-keys'; own: SigningKeyInfo | null; trusted: TrustedKeyInfo[] };

// ─── The unions ─────────────────────────────────────────────────────────────

export type LabCommand =
  | CoreCommand
  | ModelCommand
  | DataCommand
  | TrainCommand
  | EvalCommand
  | PlaygroundCommand
  | PatchCommand;
export type LabEvent =
  | CoreEvent
  | ModelEvent
  | DataEvent
  | TrainEvent
  | EvalEvent
  | PlaygroundEvent
  | PatchEvent;

export type LabEventOf<T extends LabEvent['type']> = Extract<LabEvent, { type: T }>;
/** Commands that start a run (the client awaits its run-done / run-cancelled / run-error). */
export type RunCommand = Extract<LabCommand, { runId: RunId }>;
/** Commands that only ask for data; each has one answer event carrying its requestId. */
export type QueryCommand = Extract<LabCommand, { requestId: RequestId }>;
export type LabCommandOf<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;

/** Events that belong to a run carry a runId; this narrows to them. */
export function isRunEvent(e: LabEvent): e is Extract<LabEvent, { runId: RunId }> {
  return 'runId' in e;
}
