// Composition-report messages: evaluate each patch of a stack alone and in
// every order, and get the interference table (src/eval/composition-report.ts).
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { CompositionReport } from '../eval/composition-report';
import type { WithRunId } from './base';
import type { EvalConfig } from './eval';

export interface CompositionResult {
  /** Library ids of the stack's patches, in the order the user listed them. */
  patchIds: string[];
  report: CompositionReport;
  /** The eval config key every evaluation of the report ran under. */
  configKey: string;
  /** How many of the evaluations came from the cache. */
  cachedEvaluations: number;
}

export type CompositionCommand =
  /** Runs the report: 2–4 library patches; `orders` (library ids) picks a subset of the 24 orders of 4. */
  WithRunId<{
    type: 'composition-report';
    patchIds: string[];
    orders?: string[][];
    config: EvalConfig;
  }>;

export type CompositionEvent = WithRunId<{ type: 'composition-result'; result: CompositionResult }>;
