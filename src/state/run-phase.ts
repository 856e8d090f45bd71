// The one status model of a patch run, derived from the store: collecting /
// training step k of n / evaluating at step k / checkpointing / on-policy
// negatives before DPO / paused /
// stopping / done / stopped / failed, each with its own progress and ETA.
// The Train panel, the guided demo strip and the header all read it (and
// its wording, describeRunPhase; ETAs from train/pace.ts), so no two places can disagree about what
// runs, at which step, or with which recipe.

import type { TrainStageName } from '../protocol/messages';
import { trainingEvalRunId } from '../protocol/train';
import { etaFromPace } from '../train/pace';
import type { TrainRecipe } from '../train/recipe';
import type { RunState } from './slices/core';
import type { TrainSliceState } from './slices/train';

/** Progress of the phase now running: `done` of `total` units, and seconds left when known. */
export interface PhaseProgress {
  done: number;
  total: number;
  etaSeconds: number | null;
}

export type RunPhase =
  | { kind: 'idle' }
  | { kind: 'collecting'; progress: PhaseProgress; message: string }
  | {
      kind: 'training';
      stage: TrainStageName;
      step: number;
      total: number;
      progress: PhaseProgress;
    }
  | { kind: 'evaluating'; step: number; total: number; progress: PhaseProgress; message: string }
  | { kind: 'checkpointing'; step: number; total: number }
  /** Between SFT and DPO: the SFT patch answers train prompts for on-policy negatives. */
  | { kind: 'negatives'; step: number; total: number; progress: PhaseProgress }
  | { kind: 'paused'; stage: TrainStageName | 'done'; step: number; total: number }
  | { kind: 'stopping'; step: number; total: number }
  | { kind: 'done'; step: number; total: number }
  | { kind: 'stopped'; step: number; total: number }
  | { kind: 'failed'; step: number; total: number; message: string };

/** What the derivation reads: the train slice and the runs (for collect and evaluation progress). */
export interface RunPhaseInput {
  train: TrainSliceState;
  runs: Record<string, RunState>;
}

/** The run's phase now; `now` (ms since epoch) is only used for an evaluation's ETA. */
export function runPhase(s: RunPhaseInput, now: number): RunPhase {
  const collect = s.train.collectRunId ? s.runs[s.train.collectRunId] : undefined;
  if (collect?.status === 'running') {
    return {
      kind: 'collecting',
      progress: { done: collect.done, total: collect.total, etaSeconds: null },
      message: collect.message,
    };
  }
  const status = s.train.status;
  if (!status) return { kind: 'idle' };
  const last = s.train.points.at(-1);
  // train-status is posted on changes; the newest step point is fresher.
  const step = Math.max(status.step, last?.step ?? 0);
  const total = status.totalSteps || last?.totalSteps || 0;
  const activity = status.activity ?? null;
  switch (status.status) {
    case 'done':
      return { kind: 'done', step, total };
    case 'stopped':
      return { kind: 'stopped', step, total };
    case 'failed':
      return {
        kind: 'failed',
        step,
        total,
        message: status.problem?.message ?? 'Training failed.',
      };
    case 'paused':
      return activity?.kind === 'stopping'
        ? { kind: 'stopping', step, total }
        : { kind: 'paused', stage: status.stage, step, total };
    case 'starting':
    case 'running':
      break;
  }
  if (activity?.kind === 'stopping') return { kind: 'stopping', step, total };
  if (activity?.kind === 'checkpointing')
    return { kind: 'checkpointing', step: activity.step, total };
  if (activity?.kind === 'negatives') {
    return {
      kind: 'negatives',
      step: activity.step,
      total,
      progress: {
        done: activity.done,
        total: activity.total,
        etaSeconds: etaFromPace(now - activity.startedAt, activity.done, activity.total),
      },
    };
  }
  if (activity?.kind === 'evaluating' && s.train.runId) {
    const run = s.runs[trainingEvalRunId(s.train.runId, activity.step)];
    const done = run?.done ?? 0;
    const units = run?.total ?? 0;
    return {
      kind: 'evaluating',
      step: activity.step,
      total,
      progress: {
        done,
        total: units,
        etaSeconds: etaFromPace(now - activity.startedAt, done, units),
      },
      message: run?.message ?? '',
    };
  }
  const stage: TrainStageName = status.stage === 'done' ? (last?.stage ?? 'dpo') : status.stage;
  return {
    kind: 'training',
    stage: last && last.step === step ? last.stage : stage,
    step,
    total,
    progress: { done: step, total, etaSeconds: last ? last.etaSeconds : null },
  };
}

/** True while the run (or its collection) is going and the header should say so. */
export function isPhaseActive(p: RunPhase): boolean {
  return (
    p.kind === 'collecting' ||
    p.kind === 'training' ||
    p.kind === 'evaluating' ||
    p.kind === 'checkpointing' ||
    p.kind === 'negatives' ||
    p.kind === 'stopping' ||
    p.kind === 'paused'
  );
}

/** The phase in words, the same everywhere it is shown. */
export function describeRunPhase(p: RunPhase): string {
  switch (p.kind) {
    case 'idle':
      return 'not started';
    case 'collecting':
      return `collecting answers · ${p.message || `${p.progress.done} of ${p.progress.total} prompts`}`;
    case 'training':
      return `training · ${p.stage.toUpperCase()} · step ${p.step} of ${p.total}`;
    case 'evaluating':
      return `evaluating M+P at step ${p.step} of ${p.total} · ${p.progress.done} of ${p.progress.total}`;
    case 'checkpointing':
      return `checkpointing step ${p.step} of ${p.total}`;
    case 'negatives':
      return `on-policy negatives before DPO · ${p.progress.done} of ${p.progress.total} answers`;
    case 'paused':
      return `paused at step ${p.step} of ${p.total}`;
    case 'stopping':
      return `stopping at step ${p.step} of ${p.total}`;
    case 'done':
      return `done · ${p.total} steps`;
    case 'stopped':
      return `stopped at step ${p.step} of ${p.total}`;
    case 'failed':
      return `failed at step ${p.step} of ${p.total}`;
  }
}

/** The recipe in one line, e.g. "25 SFT + 10 DPO steps · 10 virtual tokens · toxicity + bias". */
export function describeRecipe(r: TrainRecipe): string {
  return `${r.sftSteps} SFT + ${r.dpoSteps} DPO steps · ${r.nVirtualTokens} virtual tokens · ${r.domains.join(' + ')}`;
}

/**
 * The recipe to describe: the live run's own (what actually trains) while a
 * run is live, else the form's draft (what Start would run).
 */
export function shownRecipe(
  train: TrainSliceState,
  draft: TrainRecipe | null,
): { recipe: TrainRecipe | null; running: boolean } {
  const st = train.status;
  const live = st?.status === 'starting' || st?.status === 'running' || st?.status === 'paused';
  if (live && st?.recipe) return { recipe: st.recipe, running: true };
  return { recipe: draft, running: false };
}
