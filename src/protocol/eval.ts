// Evaluation messages: metrics of M, M+P and M′.
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { PromptSet, PromptSetKind, SentencePairSet } from '../data/types';
import type { EvalReport } from '../eval/report';
import type { ModelVariant, RunId, SamplingOptions, WithRunId } from './base';

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
