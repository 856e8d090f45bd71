// The evaluation runner: runs each domain evaluator (./evaluators/) in a
// fixed order against one target (M, M+P, M′ or the control M+R) and
// assembles their sections and metrics into one EvalReport. Run it once per
// target on the same sets and sampling settings to compare them. The order
// matters twice: generation seeds come from one call counter shared by all
// domains, and fluency scores what the domains before it generated. The
// engine calls are injectable (`ops`, default the real engine) so the runner
// can be tested without a transformer.
import { generate } from '../engine/generate';
import { nextTokenLogProbs, scoreContinuations } from '../engine/score';
import { biasEvaluator } from './evaluators/bias';
import { createContext } from './evaluators/context';
import { crowsPairsEvaluator } from './evaluators/crows-pairs';
import { fluencyEvaluator } from './evaluators/fluency';
import { harmfulEvaluator } from './evaluators/harmful';
import { safeEvaluator } from './evaluators/safe';
import { GENDER_SCORER_LABEL } from './evaluators/scorer-refs';
import { toxicityEvaluator } from './evaluators/toxicity';
import type { DomainEvaluator, EngineOps, EvaluateOptions } from './evaluators/types';
import type { EvalReport } from './report';

export type {
  DomainEvaluator,
  EngineOps,
  EvalPhase,
  EvalProgress,
  EvalTarget,
  EvaluateOptions,
  FluencyJudge,
} from './evaluators/types';

export const ENGINE_OPS: EngineOps = { generate, scoreContinuations, nextTokenLogProbs };

/** Every domain, in run order; fluency last (it reads the others' generations). */
export const EVALUATORS: readonly DomainEvaluator[] = [
  toxicityEvaluator,
  biasEvaluator,
  crowsPairsEvaluator,
  harmfulEvaluator,
  safeEvaluator,
  fluencyEvaluator,
];

export async function evaluate(opts: EvaluateOptions): Promise<EvalReport> {
  const started = Date.now();
  const ctx = createContext(opts, opts.ops ?? ENGINE_OPS);
  const { target } = opts;
  const report: EvalReport = {
    label: target.label,
    patched: Boolean(target.prefix),
    ...(target.kind ? { targetKind: target.kind } : {}),
    ...(target.control ? { control: target.control } : {}),
    sampling: opts.sampling,
    samplesPerPrompt: ctx.k,
    scorers: {
      toxicity: opts.toxicityScorer.label,
      refusal: ctx.refusalJudge.label,
      gender: GENDER_SCORER_LABEL,
    },
    metrics: [],
    elapsedMs: 0,
  };
  for (const evaluator of EVALUATORS) {
    const result = await evaluator.run(ctx);
    if (!result) continue;
    Object.assign(report, result.sections);
    report.metrics.push(...result.metrics);
  }
  report.elapsedMs = Date.now() - started;
  return report;
}
