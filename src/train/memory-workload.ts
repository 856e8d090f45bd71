// The training step a recipe asks for, in the shape memory.ts estimates:
// checkModelFits then judges the run the user set up, not a stock one.
import type { Workload } from '../engine/memory';
import type { TrainRecipe } from './recipe';

/**
 * The largest micro-batch of the recipe's run: SFT scores batchSize
 * sequences, DPO scores chosen and rejected answers of batchSize pairs in one
 * forward (2 × batchSize). Prompt + answer are at most maxPromptTokens +
 * maxAnswerTokens (collection generates answers up to maxAnswerTokens), and
 * only the answer positions reach the lm_head.
 */
export function trainingWorkload(r: TrainRecipe): Workload {
  return {
    batch: r.dpoSteps > 0 ? 2 * r.batchSize : r.batchSize,
    sequenceTokens: r.maxPromptTokens + r.maxAnswerTokens,
    prefixTokens: r.nVirtualTokens,
    newTokens: r.maxAnswerTokens,
    answerTokens: r.maxAnswerTokens,
    checkpointLayers: r.checkpointLayers,
  };
}
