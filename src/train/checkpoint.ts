// A trainer's whole state as plain data. Structured-clone safe as it is (for
// IndexedDB and postMessage); toJson/fromJson turn the Float32Arrays into
// number arrays and back, exactly (float32 → float64 → float32 is lossless).
import type { DataCursor } from './data-cursor';
import type { AdamState } from './optimizer';
import type { TrainRecipe } from './recipe';

export const CHECKPOINT_VERSION = 1;

export type TrainStage = 'sft' | 'dpo';

export interface LossPoint {
  step: number;
  stage: TrainStage;
  loss: number;
  lr: number;
  gradNorm: number;
  tokens: number;
}

/** Any named numbers at a step: DPO reward stats, evaluation results. */
export interface MetricPoint {
  step: number;
  metrics: Record<string, number>;
}

/** What the DPO stage fixed when it began. */
export interface DpoSetup {
  /** Indices into the sft/dpo example pool (domain-filtered items) that passed the margin filter. */
  keptIndices: number[];
  droppedCount: number;
  /** Reference log-probs per kept pair (M′'s, or M + frozen SFT patch's). */
  refChosen: number[];
  refRejected: number[];
  /** The frozen SFT patch when dpoReference is 'sft-patch'. */
  sftPatch: Float32Array | null;
  /**
   * On-policy negatives (recipe.dpoPolicyNegatives): per kept pair, the SFT
   * patch's own refusal that is the pair's rejected answer instead of M's, or
   * null for a collected pair. Absent when the option is off (and in
   * checkpoints from before it existed).
   */
  policyRejected?: (number[] | null)[];
  /**
   * How many of the SFT patch's answers the negatives step generated, how
   * many were refusals, and how many copies of each went into the pool
   * (absent in checkpoints from before the share existed).
   */
  policyNegatives?: {
    generated: number;
    refusals: number;
    replaced: number;
    added: number;
    copies?: number;
  };
}

export interface TrainerCheckpoint {
  version: typeof CHECKPOINT_VERSION;
  recipe: TrainRecipe;
  /** The CollectedSet the run trains on; resuming with other data is refused. */
  dataId: string;
  baseModelId: string;
  /** [nVirtualTokens, hidden] row-major. */
  patch: Float32Array;
  hidden: number;
  optimizer: AdamState;
  /** Updates completed so far, both stages together. */
  step: number;
  rngState: number;
  cursors: { sft: DataCursor | null; dpo: DataCursor | null };
  dpo: DpoSetup | null;
  lossHistory: LossPoint[];
  metricHistory: MetricPoint[];
  /** ISO time the checkpoint was taken. */
  savedAt: string;
}

type Json = ReturnType<typeof JSON.parse>;

/** A JSON-safe copy (Float32Arrays as number arrays). */
export function checkpointToJson(c: TrainerCheckpoint): Json {
  return {
    ...c,
    patch: Array.from(c.patch),
    optimizer: { m: Array.from(c.optimizer.m), v: Array.from(c.optimizer.v), t: c.optimizer.t },
    dpo: c.dpo && { ...c.dpo, sftPatch: c.dpo.sftPatch && Array.from(c.dpo.sftPatch) },
  };
}

export function checkpointFromJson(j: Json): TrainerCheckpoint {
  if (j?.version !== CHECKPOINT_VERSION) {
    throw new Error(`unsupported trainer checkpoint version ${j?.version}`);
  }
  return {
    ...j,
    patch: Float32Array.from(j.patch),
    optimizer: {
      m: Float32Array.from(j.optimizer.m),
      v: Float32Array.from(j.optimizer.v),
      t: j.optimizer.t,
    },
    dpo: j.dpo && { ...j.dpo, sftPatch: j.dpo.sftPatch && Float32Array.from(j.dpo.sftPatch) },
  };
}
