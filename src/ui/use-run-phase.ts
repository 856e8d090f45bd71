import { useMemo } from 'react';
import { type RunPhase, runPhase } from '../state/run-phase';
import { useLab } from './lab-context';

/**
 * The run's phase (src/state/run-phase.ts) for a component: the Train panel,
 * the guided demo strip and the header all read this one derivation. It
 * subscribes to the two inputs (stable references), not to a fresh object.
 */
export function useRunPhase(): RunPhase {
  const train = useLab((s) => s.train);
  const runs = useLab((s) => s.runs);
  // Recomputed on every event of the run, so an ETA's "now" is the latest progress.
  return useMemo(() => runPhase({ train, runs }, Date.now()), [train, runs]);
}
