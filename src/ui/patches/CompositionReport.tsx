// The stack composer's composition report: evaluates each patch of the stack
// alone and in every order (worker: handlers/composition.ts), with the run's
// progress and Cancel, then the interference table: per domain, the gap the
// domain's own patch closes alone and in each order, and the loss in points
// with its paired 95 % interval. The recommended order is marked.
import { useState } from 'react';
import { compositionReport } from '../../client/composition';
import type { CompositionReport as Report } from '../../eval/composition-report';
import type { CompositionResult, PatchSummary, RunId } from '../../protocol/messages';
import { errorText } from '../error-text';
import { useLab, useLabClient } from '../lab-context';
import { JointRetrainSection } from './JointRetrain';

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)} %` : '—');
const pts = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}` : '—');

export function InterferenceTable({
  report,
  names,
}: {
  report: Report;
  names: Map<string, string>;
}) {
  const orderName = (o: string[]) => o.map((id) => names.get(id) ?? id).join(' → ');
  return (
    <table className="interference" data-testid="composition-table">
      <thead>
        <tr>
          <th>Domain</th>
          <th>Alone</th>
          {report.orders.map((o, i) => (
            <th key={o.join()} data-testid="composition-order">
              {orderName(o)}
              {report.recommended === i ? ' ★' : ''}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {report.rows.map((r) => (
          <tr key={r.domain}>
            <th scope="row">{r.domain}</th>
            <td>{pct(r.alone.value)}</td>
            {r.cells.map((c) => (
              <td key={c.order.join()}>
                {pct(c.stacked.value)}{' '}
                <span className="muted">
                  (loss {pts(c.loss.value)} pts
                  {Number.isFinite(c.loss.interval.lo)
                    ? ` [${pts(c.loss.interval.lo)}, ${pts(c.loss.interval.hi)}]`
                    : ''}
                  )
                </span>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <caption>
        Gap closed (M → M′) on each patch's own domains; loss = alone − stacked, in points, with a
        paired 95 % bootstrap interval over prompts.{' '}
        {report.recommended === null
          ? 'No order has every gap defined, so none is recommended.'
          : `Recommended order (★): ${orderName(report.orders[report.recommended])}.`}
      </caption>
    </table>
  );
}

export function CompositionReportSection({
  order,
  patches,
}: {
  order: string[];
  patches: PatchSummary[];
}) {
  const client = useLabClient();
  const [runId, setRunId] = useState<RunId | null>(null);
  const [result, setResult] = useState<CompositionResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useLab((s) => (runId ? s.runs[runId] : undefined));
  const names = new Map(patches.map((p) => [p.id, p.name]));
  if (order.length < 2) return null;
  const tooMany = order.length > 4;

  const start = () => {
    setError(null);
    setResult(null);
    const r = compositionReport(client, order);
    setRunId(r.runId);
    r.result
      .then((res) => setResult(res))
      .catch((e) => setError(errorText(e)))
      .finally(() => setRunId(null));
  };

  return (
    <div className="composition" data-testid="composition">
      <div className="p-row">
        <button
          type="button"
          disabled={runId !== null || tooMany}
          onClick={start}
          data-testid="composition-run"
          title={tooMany ? 'A composition report covers at most 4 patches.' : undefined}
        >
          Composition report
        </button>
        {runId !== null && (
          <>
            <progress
              max={run?.total || 1}
              value={run?.total ? run.done : undefined}
              aria-label="Composition report"
            />
            <span className="muted">{run?.message}</span>
            <button type="button" className="ghost" onClick={() => client.cancel(runId)}>
              Cancel
            </button>
          </>
        )}
      </div>
      {tooMany && <p className="muted">A composition report covers at most 4 patches.</p>}
      {error && <p className="error">{error}</p>}
      {result && <InterferenceTable report={result.report} names={names} />}
      {result && <JointRetrainSection report={result.report} patches={patches} />}
    </div>
  );
}
