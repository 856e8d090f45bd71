// Joint-retraining messages: where each parent's training pairs stand, and
// the run that fine-tunes a stack's concatenated rows on the union of those
// pairs and reports the composition table before and after
// (src/train/joint-run.ts, src/eval/joint-report.ts).
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { Domain } from '../data/types';
import type { JointReport } from '../eval/joint-report';
import type { TrainRecipe } from '../train/recipe';
import type { WithRequestId, WithRunId } from './base';
import type { EvalConfig } from './eval';

/**
 * Where one parent's pairs stand: `stored` (ready), `not-stored` (its
 * manifest names a set this browser does not hold), `unknown` (nothing names
 * its pairs: imported, composed or older patches), `other-model` (collected
 * with another M or M′ than the loaded ones), `empty` (none in its domains).
 */
export type JointPairsStatus = 'stored' | 'not-stored' | 'unknown' | 'other-model' | 'empty';

export interface JointParentPairsInfo {
  patchId: string;
  name: string;
  domains: Domain[];
  /** The set its pairs come from (the one picked for it, else its manifest's); null when none is named. */
  collectedId: string | null;
  /** Pairs in its domains, when the set is stored. */
  pairs: number | null;
  status: JointPairsStatus;
  /** One sentence for the user. */
  message: string;
}

export interface JointRetrainResult {
  /** Library ids in the stack's order. */
  patchIds: string[];
  report: JointReport;
  /** The new library patch. */
  patch: { id: string; name: string };
  /** Pairs in the union it trained on. */
  pairs: number;
  configKey: string;
}

/**
 * Per library id, the collected set to use for that parent instead of the
 * one its manifest names (pairs the user collected for it just now).
 */
export type JointPairsChoice = Record<string, string>;

export type JointRetrainCommand =
  | WithRequestId<{ type: 'joint-pairs'; patchIds: string[]; pairs: JointPairsChoice }>
  /**
   * Retrains the stack `patchIds` (in this order) jointly: the recipe's knobs
   * (its length and domains are the stack's), evaluated with `config` before
   * and after; saves the result to the library as `name`.
   */
  | WithRunId<{
      type: 'joint-retrain';
      patchIds: string[];
      pairs: JointPairsChoice;
      recipe: Partial<TrainRecipe>;
      config: EvalConfig;
      name: string;
    }>;

export type JointRetrainEvent =
  | WithRequestId<{ type: 'joint-pairs-info'; parents: JointParentPairsInfo[] }>
  | WithRunId<{ type: 'joint-retrain-result'; result: JointRetrainResult }>;
