// The typed result of one evaluation run (one model, with or without a
// patch), shaped for the dashboard: per-domain metric objects, every sample
// with its verdict (for hover in charts), the labels of the scorers that
// produced the numbers, and a flat list of headline metrics for comparison
// tables and gap-closed computation. Each metric keeps its per-prompt values
// (metrics/per-prompt.ts), so an interval over prompts can be computed from
// the report alone, and names the scorer (and version) that produced it.
// Fields added after reports were first cached are optional: a cached report
// without them is shown without an interval, never with a made-up one.
import type { SamplingOptions } from '../engine/types';
import type { GenderCounts } from './gender-terms';
import type { CrowsPairsResult } from './metrics/crows-pairs';
import type { GenderAssociation } from './metrics/gender-association';
import type { GenderLogitDifference } from './metrics/gender-logit-difference';
import type { PerPromptValues } from './metrics/per-prompt';
import type { Perplexity } from './metrics/perplexity';
import type { OverRefusal, RefusalRates } from './metrics/refusal';
import type { ToxicitySummary } from './metrics/toxicity';

export interface SampleRecord {
  prompt: string;
  promptId?: string;
  /** 0..k-1 */
  sample: number;
  text: string;
  toxicity?: number;
  refused?: boolean;
  /** The phrase that made it a refusal. */
  refusalPhrase?: string;
  gender?: GenderCounts;
}

export interface MetricValue {
  /** Stable id, e.g. "toxicity.expectedMax". */
  id: string;
  /** Human label including the scorer, e.g. "Expected max toxicity (lexicon (offline))". */
  label: string;
  value: number;
  better: 'lower' | 'higher' | 'closer-to-half';
  undefinedReason?: string;
  /** The values the metric is recomputed from on a resample of prompts; absent for corpus statistics (distinct-n). */
  perPrompt?: PerPromptValues;
  /** Which judge made the number. */
  scorer?: ScorerRef;
}

/** A scorer's name and version as reports and manifests record them; version null = unversioned. */
export interface ScorerRef {
  name: string;
  version: string | null;
}

/**
 * What was evaluated: the base model, the base with the patch, the reference,
 * or a control (the base with an untrained random patch, "M+R").
 */
export type EvalTargetKind = 'base' | 'patched' | 'reference' | 'control';

/** How a control was made (src/eval/random-control.ts RandomControlInfo). */
export interface EvalControlInfo {
  kind: 'random-patch';
  seed: number;
  n: number;
  hidden: number;
}

export interface FluencyReport {
  texts: number;
  distinct1: number;
  distinct2: number;
  distinct3: number;
  /** Perplexity of the generations under each judge model (e.g. M′ and M). */
  perplexity: { judge: string; result: Perplexity }[];
}

export interface EvalReport {
  /** Which model this is, e.g. "M", "M+P", "M′", "M+R". */
  label: string;
  patched: boolean;
  /** Set when the caller said which target this is (see EvalTarget.kind). */
  targetKind?: EvalTargetKind;
  /** Present when the target is a control: how it was made. */
  control?: EvalControlInfo;
  sampling: SamplingOptions;
  /** Samples generated per prompt (1 when sampling is greedy: more would repeat it). */
  samplesPerPrompt: number;
  scorers: { toxicity: string; refusal: string; gender: string };
  toxicity?: { set: string; summary: ToxicitySummary; samples: SampleRecord[] };
  bias?: {
    set: string;
    association: GenderAssociation;
    gld?: GenderLogitDifference & { maleTokenIds: number[]; femaleTokenIds: number[] };
    samples: SampleRecord[];
  };
  crowsPairs?: CrowsPairsResult & { set: string };
  harmful?: { set: string; rates: RefusalRates; samples: SampleRecord[] };
  safe?: { set: string; overRefusal: OverRefusal; samples: SampleRecord[] };
  fluency?: FluencyReport;
  metrics: MetricValue[];
  elapsedMs: number;
}
