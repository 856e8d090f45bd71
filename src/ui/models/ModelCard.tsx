import { cancelModelLoad, dismissModelLoad } from '../../client/models';
import type { ModelRole } from '../../protocol/messages';
import { useLab, useLabClient } from '../lab-context';
import { formatCount } from './format-count';
import { loadPhaseText } from './load-phase-text';
import { ProgressRow } from './ProgressRow';

const TITLE: Record<ModelRole, string> = {
  base: 'M · base model',
  reference: 'M′ · reference model',
};

/** What one role holds: the loaded model's summary, and the load in progress or its failure. */
export function ModelCard({
  modelRole: role,
  onChange,
}: {
  modelRole: ModelRole;
  onChange: () => void;
}) {
  const client = useLabClient();
  const summary = useLab((s) => s.models.loaded[role]);
  const load = useLab((s) => s.models.loads[role]);
  const backend = useLab((s) => s.backend?.active ?? null);
  const run = useLab((s) => (load ? s.runs[load.runId] : undefined));
  const running = run?.status === 'running' || (load !== undefined && run === undefined);

  return (
    <article
      className="model-card"
      data-role={role}
      data-testid={`model-card-${role}`}
      aria-label={TITLE[role]}
    >
      <div className="model-card-head">
        <h3>{TITLE[role]}</h3>
        <button type="button" className="ghost" onClick={onChange} data-testid={`change-${role}`}>
          {summary ? 'Change…' : 'Choose…'}
        </button>
      </div>
      {summary ? (
        <dl className="kv" data-testid={`model-summary-${role}`}>
          <dt>Model</dt>
          <dd data-testid={`model-label-${role}`}>{summary.label}</dd>
          <dt>Parameters</dt>
          <dd>
            {formatCount(summary.params)} · {summary.modelType}, {summary.numLayers} layers, hidden{' '}
            {summary.hiddenSize}
          </dd>
          <dt>Backend</dt>
          <dd>{summary.backend}</dd>
          <dt>Fingerprint</dt>
          <dd
            className="fingerprint"
            title={summary.embeddingFingerprint}
            data-testid={`model-fingerprint-${role}`}
          >
            {summary.embeddingFingerprint.split(':').pop()?.slice(0, 8)}
          </dd>
        </dl>
      ) : (
        !load && <p className="muted">No model loaded.</p>
      )}
      {load && running && (
        <div role="status" aria-live="polite" data-testid={`model-progress-${role}`}>
          <p className="muted">
            Loading {load.label}: {loadPhaseText(load.phase, backend)}
          </p>
          {Object.entries(load.files).map(([file, b]) => (
            <ProgressRow key={file} name={file} loaded={b.loaded} total={b.total} />
          ))}
          {load.upload.total !== null && (
            <ProgressRow
              name="weights on device"
              loaded={load.upload.loaded}
              total={load.upload.total}
              unit="tensors"
            />
          )}
          <button
            type="button"
            className="ghost"
            onClick={() => cancelModelLoad(client, role)}
            data-testid={`cancel-load-${role}`}
          >
            Cancel
          </button>
        </div>
      )}
      {load && !running && run && (
        <div role="alert" data-testid={`model-error-${role}`}>
          <p className={run.status === 'error' ? 'error-text' : 'muted'}>
            {run.status === 'error' ? run.error : `Loading ${load.label} was cancelled.`}
            {summary && ` ${summary.label} is still loaded.`}
          </p>
          <div className="row">
            <button type="button" onClick={onChange}>
              Choose another…
            </button>
            <button type="button" className="ghost" onClick={() => dismissModelLoad(client, role)}>
              Dismiss
            </button>
          </div>
        </div>
      )}
      {load && load.warnings.length > 0 && (
        <ul className="warn-text">
          {load.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </article>
  );
}
