import { describeRunPhase, isPhaseActive } from '../state/run-phase';
import { useRunPhase } from './use-run-phase';

/**
 * Header badge: what the patch run is doing now, in the words the Train
 * panel and the demo strip use (one status model, src/state/run-phase.ts).
 * Shown only while something runs or waits on the user.
 */
export function RunStatusBadge() {
  const phase = useRunPhase();
  if (!isPhaseActive(phase)) return null;
  return (
    <span role="status">
      <a
        className="run-status-badge"
        href="#train-run-h"
        data-testid="header-run-status"
        data-phase={phase.kind}
      >
        {describeRunPhase(phase)}
      </a>
    </span>
  );
}
