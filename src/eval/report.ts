// The typed result of one evaluation run (one model, with or without a
// patch), shaped for the dashboard: per-domain metric objects, every sample
// with its verdict (for hover in charts), the labels of the scorers that
// produced the numbers, and a flat list of headline metrics for comparison
// tables and gap-closed computation.
import type { SamplingOptions } from '../engine/types';
import type { GenderCounts } from './gender-terms';
import type { CrowsPairsResult } from './metrics/crows-pairs';
import type { GenderAssociation } from './metrics/gender-association';
import type { GenderLogitDifference } from './metrics/gender-logit-difference';
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
  /** Which model this is, e.g. "M", "M+P", "M′". */
  label: string;
  patched: boolean;
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
