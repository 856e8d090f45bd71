// Training messages: collect, SFT, DPO, checkpoints.
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { PromptSet } from '../data/types';
import type { TrainStage } from '../train/checkpoint';
import type { CollectSettings } from '../train/collected';
import type { TrainRecipe } from '../train/recipe';
import type { RequestId, RunId, WithRequestId, WithRunId } from './base';

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
  /** Whether the run's collected pairs are still stored (resume and start over need them). */
  pairsStored: boolean;
}

/**
 * What a live run is doing between its status changes: stepping, evaluating
 * the patch at `step` (its progress is run `trainingEvalRunId(runId, step)`),
 * writing a checkpoint, or winding down after Stop. Null once the run ended.
 */
export type TrainActivity =
  | { kind: 'stepping' }
  /** `startedAt`: ms since epoch when the evaluation began (for its ETA). */
  | { kind: 'evaluating'; step: number; startedAt: number }
  | { kind: 'checkpointing'; step: number }
  /**
   * Between SFT and DPO (recipe.dpoPolicyNegatives): the SFT patch answers
   * `done` of `total` train prompts; `startedAt` as for evaluating.
   */
  | { kind: 'negatives'; step: number; done: number; total: number; startedAt: number }
  | { kind: 'stopping' };

export interface TrainStatusInfo {
  status: TrainRunStatus;
  /** Absent in statuses from before activities existed; null when the run is not live. */
  activity?: TrainActivity | null;
  step: number;
  totalSteps: number;
  stage: TrainStageName | 'done';
  /** The last checkpoint written for this run, if any. */
  checkpoint: { id: string; step: number; savedAt: string } | null;
  problem: TrainProblem | null;
  /** Saved patch once the run finished (or after "Save patch"). */
  savedPatch: { id: string; name: string } | null;
  /** The recipe this run trains with (a resume's, overrides applied); null before the trainer exists. */
  recipe?: TrainRecipe | null;
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
  /**
   * Is a set for these models, sets and settings already collected (IndexedDB)?
   * A query answered by 'collected-lookup'; the page asks on load and whenever
   * the key changes, so stored pairs show as collected after a reload.
   */
  | WithRequestId<{ type: 'collect-lookup'; sets: PromptSet[]; settings: CollectSettings }>
  /** Ask for unfinished checkpoints (a query: answered by 'train-checkpoints'). */
  | WithRequestId<{ type: 'train-list-checkpoints' }>
  | { type: 'train-discard-checkpoint'; id: string }
  /** Save training run `trainRunId`'s current patch to the patch library (a short run of its own). */
  | WithRunId<{ type: 'train-save-patch'; trainRunId: RunId; name: string }>;

export type TrainEvent =
  | WithRunId<{ type: 'collected'; summary: CollectedSummary }>
  /** The stored set for a collect-lookup's key, or null when none is stored (or M / M′ is not loaded). */
  | { type: 'collected-lookup'; requestId: RequestId; summary: CollectedSummary | null }
  | WithRunId<{ type: 'train-step'; point: TrainStepPoint }>
  | WithRunId<{ type: 'train-status'; info: TrainStatusInfo }>
  /** Unfinished checkpoints: a list-checkpoints answer, or pushed (requestId null) after a run changes them. */
  | { type: 'train-checkpoints'; requestId: RequestId | null; checkpoints: TrainCheckpointInfo[] };

/** The run id of the in-training evaluation at `step`: the page finds its progress under it. */
export function trainingEvalRunId(trainRunId: RunId, step: number): RunId {
  return `${trainRunId}-eval-${step}`;
}
