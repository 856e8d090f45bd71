import type { RunState } from '../../state/lab-store';
import { useLab, useLabClient } from '../lab-context';

/** Progress of every evaluation still running (buttons' and training's), each with Cancel. */
export function EvalRuns() {
  const client = useLabClient();
  const runs = useLab((s) => s.runs);
  const running = Object.values(runs).filter(
    (r): r is RunState => r.kind === 'evaluate' && r.status === 'running',
  );
  if (running.length === 0) return null;
  return (
    <ul className="eval-runs" aria-live="polite">
      {running.map((r) => (
        <li key={r.runId} data-testid="eval-run">
          <div className="eval-run-head">
            <span>{r.label}</span>
            <button type="button" className="ghost" onClick={() => client.cancel(r.runId)}>
              Cancel
            </button>
          </div>
          <progress max={r.total || 1} value={r.total ? r.done : undefined} aria-label={r.label} />
          <span className="muted eval-run-message">{r.message || 'Starting…'}</span>
        </li>
      ))}
    </ul>
  );
}
