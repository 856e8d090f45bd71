// What the Train panel offers after a run pauses or fails, as a pure
// function of the problem, so the policy is tested without React:
// non-finite loss or gradient → halve the learning rates (the usual cause is
// a step too large); out of memory or a lost device → halve the batch, or
// move to another backend. Every offer resumes the last checkpoint, so none
// is possible without one.
import type { BackendName } from '../engine/backend-names';
import type { TrainRecipe } from './recipe';

/** The parts of a run's problem the policy reads (the protocol's TrainProblem has this shape). */
export type RecoveryProblem =
  | { kind: 'non-finite' }
  | { kind: 'out-of-memory' | 'device-lost'; batchSize: number }
  | { kind: 'other' };

export type RecoveryOffer =
  | {
      kind: 'halve-lr' | 'halve-batch';
      label: string;
      /** Recipe changes the resumed run takes. */
      override: Partial<TrainRecipe>;
      enabled: boolean;
    }
  | { kind: 'switch-backend'; label: string; backend: BackendName; enabled: boolean };

export interface RecoveryContext {
  /** The recipe the failed run used; null when this tab did not start it. */
  recipe: TrainRecipe | null;
  hasCheckpoint: boolean;
  /** The backend the run used; null before the worker reported one. */
  activeBackend: BackendName | null;
}

/** The offers for a problem, in the order the panel shows them; [] when only a fix of the cause helps. */
export function recoveryOffers(problem: RecoveryProblem, ctx: RecoveryContext): RecoveryOffer[] {
  switch (problem.kind) {
    case 'non-finite': {
      const r = ctx.recipe;
      return [
        {
          kind: 'halve-lr',
          label: 'Halve the learning rates and resume',
          override: r ? { sftLr: r.sftLr / 2, dpoLr: r.dpoLr / 2 } : {},
          enabled: ctx.hasCheckpoint && r !== null,
        },
      ];
    }
    case 'out-of-memory':
    case 'device-lost': {
      const half = Math.max(1, Math.floor(problem.batchSize / 2));
      // wasm is the fast fallback; a run that failed on wasm falls back to cpu.
      const other: BackendName = ctx.activeBackend === 'wasm' ? 'cpu' : 'wasm';
      return [
        {
          kind: 'halve-batch',
          label: `Resume with batch size ${half}`,
          override: { batchSize: half },
          enabled: ctx.hasCheckpoint && problem.batchSize > 1,
        },
        {
          kind: 'switch-backend',
          label: `Switch to ${other} and resume`,
          backend: other,
          enabled: ctx.hasCheckpoint,
        },
      ];
    }
    case 'other':
      return [];
  }
}
