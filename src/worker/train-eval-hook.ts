// The point where evaluation plugs into training. The metrics feature owns
// evaluation; training only promises to call this every recipe.evalEvery
// updates (and after the last one) and to wait for it, so the charts show
// M+P's metrics as the patch learns without the run loop knowing what they are.
import type { tf } from '../engine/tf';
import type { RunId } from '../protocol/messages';

/**
 * Evaluates the patch at `step`. `prefix` [n, hidden] is disposed by the
 * trainer once the promise settles: copy it to keep it. `signal` aborts when
 * the user stops the run: the evaluation must check it between prompts and
 * settle promptly, so Stop answers mid-evaluation.
 */
export type TrainingEvalHook = (
  runId: RunId,
  step: number,
  prefix: tf.Tensor2D,
  signal: AbortSignal,
) => Promise<void>;

let hook: TrainingEvalHook | null = null;

/** Installs the evaluation hook (null removes it). */
export function setTrainingEvalHook(fn: TrainingEvalHook | null): void {
  hook = fn;
}

export function getTrainingEvalHook(): TrainingEvalHook | null {
  return hook;
}
