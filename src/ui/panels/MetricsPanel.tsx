import { useEffect, useState } from 'react';
import {
  evaluateBaselines,
  evaluateTarget,
  setEvalConfig,
  storedEvalConfig,
} from '../../client/eval';
import { CHART_DOMAINS } from '../../state/slices/eval';
import { downloadText } from '../download';
import { useLab, useLabClient } from '../lab-context';
import { EvalRuns } from '../metrics/EvalRuns';
import { EvalSettings } from '../metrics/EvalSettings';
import { GapClosed } from '../metrics/GapClosed';
import { MetricChart } from '../metrics/MetricChart';
import { gapsCsvOf, metricsCsvOf, metricsJsonOf } from '../metrics/metrics-export';
import { SamplesList } from '../metrics/SamplesList';
import { Panel } from '../Panel';
import '../metrics/metrics.css';
import { errorText } from '../error-text';

export function MetricsPanel() {
  const client = useLabClient();
  const evaluation = useLab((s) => s.evaluation);
  const hasBase = useLab((s) => Boolean(s.models.loaded.base));
  const hasRef = useLab((s) => Boolean(s.models.loaded.reference));
  const baseFp = useLab((s) => s.models.loaded.base?.embeddingFingerprint ?? null);
  const patchCount = useLab((s) => s.activePatchIds.length);
  const [error, setError] = useState<string | null>(null);
  const [recompute, setRecompute] = useState(false);

  // The settings the user chose last time, also handed to the worker's training hook.
  useEffect(() => {
    setEvalConfig(client, storedEvalConfig());
  }, [client]);

  // Any evaluation a button started (M, M′, M+R or M+P) keeps the buttons off until it ends.
  const busy = Object.values(evaluation.pending).some(Boolean);
  const run = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const hasResults =
    Boolean(evaluation.baselines.base || evaluation.baselines.reference) ||
    evaluation.history.length > 0;
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

  const baselinesWhy = !hasBase || !hasRef ? 'Load M and M′ in the Models panel first.' : null;
  const patchedWhy = !hasBase
    ? 'Load M in the Models panel first.'
    : patchCount === 0
      ? 'Apply a patch in the Patches panel (training evaluates M+P by itself).'
      : null;

  return (
    <Panel title="Metrics" area="metrics">
      <div className="metrics-actions">
        <button
          type="button"
          disabled={busy || baselinesWhy !== null}
          onClick={() => run(() => evaluateBaselines(client, recompute))}
          data-testid="eval-baselines"
          aria-describedby={baselinesWhy ? 'eval-baselines-why' : undefined}
        >
          Evaluate M, M′ and M+R (baselines)
        </button>
        <button
          type="button"
          disabled={busy || patchedWhy !== null}
          onClick={() => run(() => evaluateTarget(client, 'patched'))}
          data-testid="eval-patched"
          aria-describedby={patchedWhy ? 'eval-patched-why' : undefined}
        >
          Evaluate M+P now
        </button>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={recompute}
            onChange={(e) => setRecompute(e.target.checked)}
          />
          Recompute baselines (ignore the cache)
        </label>
      </div>
      {(baselinesWhy || patchedWhy) && (
        <p className="muted metrics-why">
          {baselinesWhy && <span id="eval-baselines-why">Baselines: {baselinesWhy} </span>}
          {patchedWhy && <span id="eval-patched-why">M+P: {patchedWhy}</span>}
        </p>
      )}
      {error && (
        <p className="banner error metrics-error" role="alert" data-testid="eval-error">
          {error}
        </p>
      )}
      {evaluation.warnings.length > 0 && (
        <p className="note" role="note">
          {evaluation.warnings.at(-1)}
        </p>
      )}
      <EvalRuns />
      <div className="metrics-grid">
        {CHART_DOMAINS.map((d) => (
          <MetricChart key={d} domain={d} />
        ))}
      </div>
      <GapClosed />
      <SamplesList />
      <div className="metrics-export">
        <button
          type="button"
          className="ghost"
          disabled={!hasResults}
          data-testid="export-csv"
          onClick={() =>
            downloadText(metricsCsvOf(evaluation), `metrics-${stamp()}.csv`, 'text/csv')
          }
        >
          Export CSV
        </button>
        <button
          type="button"
          className="ghost"
          disabled={!hasResults}
          data-testid="export-gaps-csv"
          onClick={() =>
            downloadText(gapsCsvOf(evaluation, baseFp), `gap-closed-${stamp()}.csv`, 'text/csv')
          }
        >
          Export gap table (CSV)
        </button>
        <button
          type="button"
          className="ghost"
          disabled={!hasResults}
          data-testid="export-json"
          onClick={() =>
            downloadText(
              metricsJsonOf(evaluation, baseFp, new Date().toISOString()),
              `metrics-${stamp()}.json`,
              'application/json',
            )
          }
        >
          Export JSON
        </button>
        {!hasResults && <span className="muted">Nothing to export yet.</span>}
      </div>
      <details className="metrics-settings">
        <summary>Evaluation settings</summary>
        <EvalSettings
          config={evaluation.config}
          disabled={busy}
          onChange={(c) => setEvalConfig(client, c)}
        />
      </details>
    </Panel>
  );
}
