// Exporting a run bundle for PyTorch + PEFT (src/train/run-bundle.ts).
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { TrainRecipe } from '../train/recipe';
import type { WithRunId } from './base';
import type { EvalConfig } from './eval';

export type RunBundleCommand =
  /**
   * Build a zip of the run bundle from collected set `collectedId`, the
   * recipe and the held-out sets the evaluation config picks (whole sets,
   * not cut to maxPromptsPerSet). Answered by a patch-file event.
   */
  WithRunId<{
    type: 'train-export-bundle';
    collectedId: string;
    recipe: TrainRecipe;
    name: string;
    evalConfig: EvalConfig;
  }>;
