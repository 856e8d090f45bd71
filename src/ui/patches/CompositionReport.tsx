// The stack composer's composition report: evaluates each patch of the stack
// alone and in every order (worker: handlers/composition.ts; for 4 patches
// the orders ticked in the picker), with one progress bar over the real work,
// its ETA and Cancel, then the interference table: per domain, the gap the
// domain's own patch closes alone and in each order, and the loss in points
// with its paired 95 % interval. The recommended order is marked. The newest
// report (also the one restored after a reload) is shown with its settings.
import { useEffect, useState } from 'react';
import { compositionReport } from '../../client/composition';
import {
  ALL_ORDERS_UP_TO,
  allOrders,
  defaultOrderChoice,
  MAX_STACK,
  type CompositionReport as Report,
} from '../../eval/composition-report';
import type { PatchSummary, RunId } from '../../protocol/messages';
import { etaFromPace, formatEta } from '../../train/pace';
import { errorText } from '../error-text';
import { useLab, useLabClient } from '../lab-context';
import { evalSettingsLine, orderKey, sameStack } from './composition-view';
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

/**
 * For 4 patches: which of the 24 orders to evaluate. Starts with the stack
 * as listed, its reverse and its rotations (or the orders of the report on
 * screen); every order can be ticked, all at once too.
 */
function OrderPicker({
  order,
  chosen,
  names,
  onChange,
}: {
  order: string[];
  chosen: string[][];
  names: Map<string, string>;
  onChange: (orders: string[][]) => void;
}) {
  const every = allOrders(order);
  const picked = new Set(chosen.map(orderKey));
  const toggle = (o: string[], on: boolean) =>
    onChange(every.filter((x) => (orderKey(x) === orderKey(o) ? on : picked.has(orderKey(x)))));
  return (
    <details className="order-picker" data-testid="composition-orders">
      <summary>
        Orders to evaluate: {chosen.length} of {every.length}
      </summary>
      <div className="p-row">
        <button type="button" className="ghost btn-small" onClick={() => onChange(every)}>
          All {every.length}
        </button>
        <button
          type="button"
          className="ghost btn-small"
          onClick={() => onChange(defaultOrderChoice(order))}
        >
          Default (listed, reversed, rotations)
        </button>
        <button type="button" className="ghost btn-small" onClick={() => onChange([])}>
          None
        </button>
      </div>
      <ul className="order-list">
        {every.map((o) => (
          <li key={orderKey(o)}>
            <label>
              <input
                type="checkbox"
                checked={picked.has(orderKey(o))}
                onChange={(e) => toggle(o, e.target.checked)}
              />{' '}
              {o.map((id) => names.get(id) ?? id).join(' → ')}
            </label>
          </li>
        ))}
      </ul>
    </details>
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
  const [startedAt, setStartedAt] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const run = useLab((s) => (runId ? s.runs[runId] : undefined));
  const latest = useLab((s) => s.composition);
  const currentConfig = useLab((s) => s.evaluation.config);
  const result = latest && sameStack(latest.patchIds, order) ? latest : null;
  const stackKey = [...order].sort().join('\n');
  const [chosen, setChosen] = useState<{ stack: string; orders: string[][] }>({
    stack: '',
    orders: [],
  });
  // A new set of patches starts from the report on screen, else the default choice.
  useEffect(() => {
    if (chosen.stack === stackKey) return;
    const fromReport = result && order.length > ALL_ORDERS_UP_TO ? result.report.orders : null;
    setChosen({ stack: stackKey, orders: fromReport ?? defaultOrderChoice(order) });
  }, [chosen.stack, stackKey, result, order]);
  const names = new Map(patches.map((p) => [p.id, p.name]));
  if (order.length < 2) return null;
  const tooMany = order.length > MAX_STACK;
  const picks = order.length > ALL_ORDERS_UP_TO && !tooMany;
  const orders = chosen.stack === stackKey ? chosen.orders : defaultOrderChoice(order);
  const noneChosen = picks && orders.length === 0;

  const start = () => {
    setError(null);
    const r = compositionReport(client, order, picks ? orders : undefined);
    setRunId(r.runId);
    setStartedAt(Date.now());
    r.result.catch((e) => setError(errorText(e))).finally(() => setRunId(null));
  };
  const eta =
    run && run.total > 0 ? etaFromPace(Date.now() - startedAt, run.done, run.total) : null;
  const why = tooMany
    ? `A composition report covers at most ${MAX_STACK} patches.`
    : noneChosen
      ? 'Tick at least one order to evaluate.'
      : null;

  return (
    <div className="composition" data-testid="composition">
      {picks && (
        <OrderPicker
          order={order}
          chosen={orders}
          names={names}
          onChange={(o) => setChosen({ stack: stackKey, orders: o })}
        />
      )}
      <div className="p-row">
        <button
          type="button"
          disabled={runId !== null || why !== null}
          onClick={start}
          data-testid="composition-run"
          title={why ?? undefined}
        >
          Composition report
          {picks ? ` (${orders.length} order${orders.length === 1 ? '' : 's'})` : ''}
        </button>
        {runId !== null && (
          <>
            <progress
              max={run?.total || 1}
              value={run?.total ? run.done : undefined}
              aria-label="Composition report"
              data-testid="composition-progress"
            />
            <span className="muted">
              {run?.message}
              {eta !== null ? ` · about ${formatEta(eta)} left` : ''}
            </span>
            <button type="button" className="ghost" onClick={() => client.cancel(runId)}>
              Cancel
            </button>
          </>
        )}
      </div>
      {why && <p className="muted">{why}</p>}
      {error && <p className="error">{error}</p>}
      {result && (
        <>
          <p className="muted" data-testid="composition-settings">
            Measured {new Date(result.computedAt).toLocaleString()} with{' '}
            {evalSettingsLine(result.config)}
            {result.cachedReport
              ? ' (the stored report: nothing had to be evaluated again)'
              : result.cachedEvaluations > 0
                ? ` (${result.cachedEvaluations} evaluations from the cache)`
                : ''}
            .
            {evalSettingsLine(result.config) !== evalSettingsLine(currentConfig) &&
              ' The evaluation settings have changed since: run the report again to measure under them.'}
          </p>
          <InterferenceTable report={result.report} names={names} />
          <JointRetrainSection report={result.report} patches={patches} />
        </>
      )}
    </div>
  );
}
