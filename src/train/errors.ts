// Typed failures of a training run, so the worker can tell "the maths blew up
// at step k, the last good state is intact" from a bug.

import type { TrainStage } from './checkpoint';

export class NonFiniteError extends Error {
  override readonly name = 'NonFiniteError';
  constructor(
    readonly stage: TrainStage,
    /** The update that was refused (1-based, as StepResult.step would have been). */
    readonly step: number,
    /** Which quantity was NaN/Inf. */
    readonly quantity: 'loss' | 'gradient',
  ) {
    super(
      `non-finite ${quantity} at ${stage} step ${step}; the update was not applied and the last good state is kept (try a lower learning rate)`,
    );
  }
}
