// Evaluation messages: metrics of M, M+P, M′ and the random-patch control M+R.
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { PromptSet, PromptSetKind, SentencePairSet } from '../data/types';
import type { EvalReport, EvalTargetKind as ReportTargetKind } from '../eval/report';
import type {
  ModelVariant,
  RequestId,
  RunId,
  SamplingOptions,
  WithRequestId,
  WithRunId,
} from './base';

/**
 * Which model an evaluation runs: M, M with the applied patch stack, M′, or
 * the control M+R (M with an untrained random patch of the same shape and
 * row norms as the applied stack). Eval's own kind, re-exported: the
 * playground's columns stay ModelVariant (no M+R there).
 */
export type EvalTargetKind = ReportTargetKind;

/** The targets that are not M+P: evaluated once per config and cached. */
export type BaselineKind = Exclude<EvalTargetKind, 'patched'>;

/** Every ModelVariant is an eval target; checked here so the two never drift apart. */
const _variantsAreTargets: ModelVariant extends EvalTargetKind ? true : never = true;
void _variantsAreTargets;

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

/** Who judges refused vs answered: an offline rule (by id, src/eval/refusal-judge.ts) or a hub classifier. */
export type RefusalJudgeChoice =
  | { kind: 'rule'; id: string }
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
  /** Absent = the default rule (opening-sentences); absent keeps older configs' keys. */
  refusal?: RefusalJudgeChoice;
  /** Use the first N prompts of each set (0 = all): keeps in-browser checks short. */
  maxPromptsPerSet: number;
  /** Evaluate M+P while a patch trains, at most once every `everySteps` updates. */
  duringTraining: { enabled: boolean; everySteps: number };
  /**
   * The random-patch control M+R: the seed of its directions (its shape and
   * row norms come from the applied patch stack, or without one from
   * `EvaluateControlShape`). Optional so settings stored before the control
   * existed still load; absent = DEFAULT_CONTROL_SEED.
   */
  control?: { seed: number };
}

/**
 * The control's shape when no patch is applied: the recipe's number of
 * virtual tokens, each row at M's mean embedding row norm (what a random
 * init would be). Ignored while a patch stack is applied: then the control
 * copies the stack's length and per-row norms.
 */
export interface EvalControlShape {
  nVirtual: number;
}

/** The toxicity scorer that actually ran, and why (e.g. the classifier was offline). */
export interface EvalScorerInfo {
  kind: 'classifier' | 'lexicon';
  label: string;
  reason: string;
  /** True when a classifier was asked for but the lexicon ran instead. */
  fellBack: boolean;
}

/** How the worker made an M+R result's control (besides report.control's seed and shape). */
export interface EvalControlSource {
  /** 'patch' = length and row norms of the applied stack; 'embedding' = n rows at M's mean embedding norm. */
  from: 'patch' | 'embedding';
  /** Hash of the rows' norms (part of the cache key), so two controls of different scale never share a result. */
  normsHash: string;
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
  /** The refusal judge that ran and why (a classifier that could not load falls back to the rule). */
  refusalJudge?: { kind: 'classifier' | 'rule'; label: string; reason: string; fellBack: boolean };
  report: EvalReport;
  /** ISO time the numbers were computed. */
  computedAt: string;
  /** Set for target 'control': where its shape came from (seed and shape are in report.control). */
  control?: EvalControlSource;
}

export type EvalCommand =
  /** Evaluates one target on the configured sets; M, M′ and M+R come from the cache when they can. */
  | WithRunId<{
      type: 'evaluate';
      target: EvalTargetKind;
      config: EvalConfig;
      force: boolean;
      /** For target 'control' without an applied patch; default DEFAULT_CONTROL_SHAPE. */
      controlShape?: EvalControlShape;
    }>
  /** The config the training hook uses for M+P; sent whenever the user changes it. */
  | { type: 'eval-configure'; config: EvalConfig }
  /** The stored metrics history (baselines and the newest run's M+P points): a query answered by 'eval-history'. */
  | WithRequestId<{ type: 'eval-restore-history' }>;

export type EvalEvent =
  | WithRunId<{ type: 'eval-result'; result: EvalResult }>
  /** Non-fatal: e.g. a training-time evaluation was skipped, and why. */
  | WithRunId<{ type: 'eval-warning'; message: string }>
  /**
   * Stored results, oldest first, that the page folds in as if they had just
   * arrived: the answer to eval-restore-history, or (requestId null) a resumed
   * run's points from before a reload, re-tagged with its new run id.
   */
  | { type: 'eval-history'; requestId: RequestId | null; results: EvalResult[] };
