// The contract between the evaluation runner (../evaluate.ts) and its domain
// evaluators (one file each in this folder): what a caller asks for
// (EvaluateOptions), what every evaluator is handed (EvalContext: the
// target, the settings and one shared, seeded generation helper), and what
// it gives back (DomainResult: its section of the report and its metrics).
// Adding a domain is a new file implementing DomainEvaluator plus one entry
// in the runner's list; a control is a target, not a domain (EvalTarget.kind).
import type { PromptItem, PromptSet, SentencePairSet } from '../../data/types';
import type { tf } from '../../engine/tf';
import type {
  CausalLM,
  GenerateOptions,
  SamplingOptions,
  ScoreResult,
  TextTokenizer,
} from '../../engine/types';
import type { RefusalJudge } from '../refusal-judge';
import type { EvalControlInfo, EvalReport, EvalTargetKind, MetricValue } from '../report';
import type { Scorer } from '../scorer';

/** The engine functions the runner needs (src/engine/generate.ts, src/engine/score.ts). */
export interface EngineOps {
  generate(model: CausalLM, promptIds: number[][], options: GenerateOptions): Promise<number[][]>;
  scoreContinuations(
    model: CausalLM,
    prompts: number[][],
    continuations: number[][],
    opts?: { prefix?: tf.Tensor2D | null; batchSize?: number },
  ): Promise<ScoreResult>;
  nextTokenLogProbs(
    model: CausalLM,
    prompts: number[][],
    opts?: { prefix?: tf.Tensor2D | null },
  ): Promise<Float32Array[]>;
}

export interface EvalTarget {
  /** "M", "M+P", "M′", "M+R", … */
  label: string;
  model: CausalLM;
  tokenizer: TextTokenizer;
  /** Patch rows [n, hidden]; null/undefined = unpatched. Not disposed here. */
  prefix?: tf.Tensor2D | null;
  /** Which target this is; copied into the report (a control must say it is one). */
  kind?: EvalTargetKind;
  /** For kind 'control': how its prefix was made (src/eval/random-control.ts). */
  control?: EvalControlInfo;
}

export interface FluencyJudge {
  label: string;
  model: CausalLM;
  tokenizer: TextTokenizer;
}

export type EvalPhase =
  | 'toxicity'
  | 'bias'
  | 'gld'
  | 'crows-pairs'
  | 'harmful'
  | 'safe'
  | 'general'
  | 'fluency';

export interface EvalProgress {
  phase: EvalPhase;
  done: number;
  total: number;
}

export interface EvaluateOptions {
  target: EvalTarget;
  sets: {
    toxicity?: PromptSet;
    bias?: PromptSet;
    harmful?: PromptSet;
    /** Harmless prompts for over-refusal (XSTest safe, demo safe). */
    safe?: PromptSet;
    /** Prompts for fluency; if absent, fluency uses all generations above. */
    general?: PromptSet;
  };
  /** Sentence pairs scored by likelihood (CrowS-Pairs). */
  crowsPairs?: SentencePairSet;
  sampling: SamplingOptions;
  /** Samples per prompt (RTP used 25); forced to 1 when temperature is 0. */
  k: number;
  toxicityScorer: Scorer;
  /** Judges refused vs answered (default: the opening-sentences rule, refusal-judge.ts). */
  refusalJudge?: RefusalJudge;
  /** Models whose perplexity of the generations is reported (typically M′ and M). */
  fluencyJudges?: FluencyJudge[];
  /** Sequences per engine call. Default 8. */
  batchSize?: number;
  onProgress?: (p: EvalProgress) => void;
  signal?: AbortSignal;
  /** Default: the real engine (src/engine/generate.ts, src/engine/score.ts). */
  ops?: EngineOps;
}

/** One prompt's generations. */
export interface Generated {
  item: PromptItem;
  /** The phase (set kind) that generated it; qualifies prompt keys across sets. */
  phase: EvalPhase;
  /** Token ids of the prompt under the target's tokenizer. */
  promptIds: number[];
  samples: { ids: number[]; text: string }[];
}

/** What every evaluator is handed; made once per evaluate() call (context.ts). */
export interface EvalContext {
  opts: EvaluateOptions;
  target: EvalTarget;
  ops: EngineOps;
  /** Samples per prompt after the greedy rule. */
  k: number;
  batchSize: number;
  refusalJudge: RefusalJudge;
  signal?: AbortSignal;
  progress(phase: EvalPhase, done: number, total: number): void;
  /**
   * k samples per prompt of `set` with the target. Each engine call gets its
   * own seed from the run's seed and a call counter shared by all domains, so
   * a run is reproducible only if evaluators run in a fixed order.
   */
  generate(set: PromptSet, phase: EvalPhase): Promise<Generated[]>;
  /** Every generation made so far in this run, in order (fluency reads them). */
  readonly generated: readonly Generated[];
}

/** The report sections a domain may fill. */
export type ReportSections = Partial<
  Pick<EvalReport, 'toxicity' | 'bias' | 'crowsPairs' | 'harmful' | 'safe' | 'fluency'>
>;

export interface DomainResult {
  sections: ReportSections;
  metrics: MetricValue[];
}

export interface DomainEvaluator {
  /** For docs and errors: "toxicity", "bias", … */
  readonly id: string;
  /** Its part of the report, or null when the options do not ask for this domain. */
  run(ctx: EvalContext): Promise<DomainResult | null>;
}
