// The patch as the rest of the lab sees it: n learnable vectors of the base
// model's hidden size plus the manifest that says what they are, what base
// they were trained for, how, and who vouches for them. The on-disk layout is
// described in docs/PATCH_FORMAT.md.
import type { Domain } from '../data/types';

/** Tensor name and layout PEFT uses for prompt tuning: [n_virtual, hidden]. */
export const PATCH_TENSOR_NAME = 'prompt_embeddings';

/** The manifest format version this build writes and the newest it reads. */
export const CURRENT_FORMAT_VERSION = 1;

export interface PatchBase {
  /** Model id as the model source reports it, e.g. "HuggingFaceTB/SmolLM2-135M". */
  id: string;
  revision: string;
  /** HF config.json model_type ("llama", "gpt2", ...), or "unknown" for imports that do not say. */
  architecture: string;
  hiddenSize: number;
  /**
   * fingerprintEmbeddings() of the base's input embedding matrix. null when
   * the patch came from somewhere that could not know it (a v0 file, a PEFT
   * adapter): then only the claimed id and hidden size can be compared.
   */
  fingerprint: string | null;
}

export interface PatchRecipe {
  /** How the vectors started: "random", "vocab" (sampled token embeddings) or "text" (+ text). */
  init: { method: string; text?: string };
  /** Training stages in order, e.g. [{ kind: "sft", steps: 200 }, { kind: "dpo", steps: 300 }]. */
  stages: { kind: string; steps: number }[];
  /** DPO β; null when no DPO stage ran. */
  beta: number | null;
  learningRate: number;
  datasets: { name: string; size: number }[];
  seed: number;
  /**
   * The collected pairs it trained on (train/collected.ts's collectedSetId, or
   * a joint retrain's union id): a content key of models, prompts and
   * sampling, so a browser that stored those pairs can find them again (joint
   * retraining trains on the parents' pairs). Absent in older files.
   */
  collectedSetId?: string;
}

/**
 * Metrics at export, metric name → key → value. Keys by convention: "base"
 * (M), "patched" (M+P), "reference" (M′), "control" (M+R), "n" (prompts),
 * "patched_ci_low"/"patched_ci_high" (M+P's 95 % interval over prompts),
 * "gap_closed", "control_gap_closed" (each with _ci_low/_ci_high). Kept open
 * so a new metric does not need a format version (src/eval/report-card.ts
 * fills it).
 */
export type PatchMetrics = Record<string, Record<string, number>>;

/**
 * What must travel with the metrics' numbers: which evaluation they are
 * (time, training step, settings key), each metric's judge (name and
 * version), the control M+R and the interval's settings. Optional: absent in
 * files without measured metrics.
 */
export interface PatchMetricsContext {
  evaluatedAt: string;
  step: number | null;
  configKey: string;
  scorers: Record<string, { name: string; version: string | null }>;
  control: { kind: 'random-patch'; seed: number; n: number; hidden: number } | null;
  interval: { level: number; resamples: number; seed: number };
}

/** One input of a composed patch; the array order is the row order. */
export interface PatchParent {
  name: string;
  /** The parent's tensorSha256, so a reader can tell which exact patch went in. */
  tensorSha256: string;
  nVirtual: number;
}

/**
 * What stacking cost, measured by a composition report (eval/composition-report.ts,
 * whose CompositionSummary has this shape): per domain, the gap closed by the
 * domain's own parent alone and by this stack. Fractions (1 = all of M → M′).
 */
export interface PatchComposition {
  /** Parents' tensorSha256 in this patch's row order (equals `parents` order). */
  order: string[];
  domains: { domain: Domain; alone: number | null; stacked: number | null }[];
  /** How many orders the report evaluated. */
  evaluatedOrders: number;
  /** The order with the highest mean stacked gap closed, as parents' hashes; null if none was defined. */
  recommendedOrder: string[] | null;
  /** Set on a jointly retrained stack: the same per-domain gaps before retraining (the concatenation). */
  beforeJoint?: { domain: Domain; stacked: number | null }[];
}

export type SignatureAlgorithm = 'ECDSA-P256-SHA256' | 'Ed25519';

export interface PatchSignature {
  algorithm: SignatureAlgorithm;
  /** Public JWK (no private members). */
  publicKey: JsonWebKey;
  /** RFC 7638 SHA-256 thumbprint of publicKey, lowercase hex (64 chars). */
  keyFingerprint: string;
  /** Base64 signature over signaturePayload(); ECDSA in IEEE P1363 (r‖s) form. */
  value: string;
}

/**
 * Where the patch was trained. Absent in files from before this field (and
 * in composed patches, which were not trained): read it as "in the lab".
 * `tool` is "patch-lab" (the tab's trainer) or "pytorch-peft" (a run bundle's
 * train_patch.py under accelerate); `details` holds what that tool reports
 * (library versions, processes, device, steps run).
 */
export interface PatchTrainedWith {
  tool: string;
  details: Record<string, string | number>;
}

export interface PatchManifest {
  formatVersion: number;
  name: string;
  /** ISO 8601 time of creation. */
  createdAt: string;
  base: PatchBase;
  domains: Domain[];
  /** null for composed and imported patches, which have no single recipe. */
  recipe: PatchRecipe | null;
  metrics: PatchMetrics;
  /** Present when `metrics` holds a measured evaluation. */
  metricsContext?: PatchMetricsContext;
  /** Empty unless the patch was composed from others. */
  parents: PatchParent[];
  trainedWith?: PatchTrainedWith;
  /** Present on a stack whose composition was measured. */
  composition?: PatchComposition;
  /** SHA-256 (lowercase hex) of the tensor's little-endian float32 bytes. */
  tensorSha256: string;
  signature?: PatchSignature;
}

export interface Patch {
  /** Row-major [nVirtual, hidden]. */
  embeddings: Float32Array;
  nVirtual: number;
  hidden: number;
  manifest: PatchManifest;
}

/** What the currently loaded base model is, for checking a patch against it. */
export interface ExpectedBase {
  id: string;
  revision: string;
  hiddenSize: number;
  fingerprint: string;
}

export type SignatureState = 'signed-trusted' | 'signed-unknown' | 'unsigned' | 'invalid';

export interface SignatureVerification {
  state: SignatureState;
  /** Full thumbprint of the signing key when the file carries one. */
  keyFingerprint?: string;
  /** One sentence for the user. */
  message: string;
}
