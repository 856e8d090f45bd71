import { useEffect, useId, useRef, useState } from 'react';
import { BACKEND_NAMES, type BackendName, isBackendName } from '../engine/backend-names';
import { formatBytes } from '../engine/format-bytes';
import { useLab, useLabClient } from './lab-context';

/** Header badge: which backend runs and why; details and override in a popover. */
export function DeviceStatus() {
  const client = useLabClient();
  const device = useLab((s) => s.device);
  const backend = useLab((s) => s.backend);
  const pending = useLab((s) => s.backendPending);
  const selftest = useLab((s) => s.selftest);
  const selftestNote = useLab((s) => {
    const runs = Object.values(s.runs).filter(
      (r) => r.kind === 'selftest' && r.status === 'running',
    );
    return runs.length ? runs[runs.length - 1].message : '';
  });
  const [open, setOpen] = useState(false);
  const [testing, setTesting] = useState(false);
  const popoverId = useId();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (
        e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const adapter = device?.adapter;
  const adapterText = adapter
    ? `${adapter.vendor || 'unknown vendor'} · ${adapter.architecture || 'unknown'}${adapter.isFallbackAdapter ? ' (software)' : ''}`
    : 'no WebGPU adapter';

  const runSelftest = async () => {
    setTesting(true);
    try {
      const available = BACKEND_NAMES.filter((b) => b !== 'webgpu' || adapter);
      await client.selftest(available);
    } catch {
      // The run's error is already in the store and shown below.
    } finally {
      setTesting(false);
    }
  };

  return (
    <div className="device-status" ref={ref}>
      <button
        type="button"
        className="device-badge"
        aria-expanded={open}
        aria-controls={popoverId}
        onClick={() => setOpen((o) => !o)}
        data-testid="device-badge"
      >
        <span
          className={`dot ${pending ? 'dot-pending' : backend ? 'dot-ok' : 'dot-bad'}`}
          aria-hidden
        />
        <span data-testid="backend-name">
          {pending ? 'starting…' : (backend?.active ?? 'no backend')}
        </span>
        {!pending && backend?.threads && (
          <span className="muted" data-testid="backend-threads">
            {backend.threads.count} thread{backend.threads.count === 1 ? '' : 's'}
          </span>
        )}
        <span className="muted" data-testid="adapter-summary">
          {device ? adapterText : 'detecting…'}
        </span>
      </button>
      {backend && (
        <p className="backend-reason" data-testid="backend-reason">
          {backend.reason}
        </p>
      )}
      {open && (
        <div className="popover" id={popoverId} role="dialog" aria-label="Device details">
          <h3>WebGPU adapter</h3>
          {adapter ? (
            <dl className="kv" data-testid="adapter-details">
              <dt>Vendor</dt>
              <dd>{adapter.vendor || '—'}</dd>
              <dt>Architecture</dt>
              <dd data-testid="adapter-architecture">{adapter.architecture || '—'}</dd>
              <dt>Software / fallback</dt>
              <dd data-testid="adapter-fallback">{adapter.isFallbackAdapter ? 'yes' : 'no'}</dd>
              <dt>shader-f16</dt>
              <dd>{adapter.shaderF16 ? 'yes' : 'no'}</dd>
              <dt>maxBufferSize</dt>
              <dd data-testid="adapter-max-buffer">{formatBytes(adapter.maxBufferSize)}</dd>
              <dt>maxStorageBufferBindingSize</dt>
              <dd>{formatBytes(adapter.maxStorageBufferBindingSize)}</dd>
            </dl>
          ) : (
            <p>{device?.adapterProblem ?? 'Detecting…'}</p>
          )}
          <h3>TensorFlow.js backend</h3>
          <p>{backend ? backend.reason : 'Starting…'}</p>
          {backend?.threads && (
            <p data-testid="wasm-threads-reason">Threads: {backend.threads.reason}</p>
          )}
          {backend && backend.failed.length > 0 && (
            <p className="note" role="note">
              Fell back: {backend.failed.map((f) => `${f.backend} (${f.error})`).join('; ')}
            </p>
          )}
          <label className="field">
            Backend
            <select
              value={backend?.override ?? 'auto'}
              disabled={pending}
              onChange={(e) => {
                const v = e.target.value;
                client.setBackend(isBackendName(v) ? (v as BackendName) : null);
              }}
              data-testid="backend-override"
            >
              <option value="auto">automatic</option>
              {BACKEND_NAMES.map((b) => (
                <option key={b} value={b} disabled={b === 'webgpu' && !adapter}>
                  {b}
                </option>
              ))}
            </select>
          </label>
          <h3>Gradient self-test</h3>
          <p className="muted">
            Runs a tiny computation and its gradients on every backend and compares with cpu.
          </p>
          <button
            type="button"
            onClick={runSelftest}
            disabled={testing || pending}
            data-testid="run-selftest"
          >
            {testing ? 'Testing…' : 'Run self-test'}
          </button>
          {testing && selftestNote && (
            <p className="muted" role="status">
              {selftestNote.startsWith('waiting') ? selftestNote : `testing ${selftestNote}…`}
            </p>
          )}
          {selftest.length > 0 && (
            <table className="table" data-testid="selftest-table">
              <thead>
                <tr>
                  <th>backend</th>
                  <th>result</th>
                  <th>max |Δ| vs cpu</th>
                </tr>
              </thead>
              <tbody>
                {selftest.map((r) => (
                  <tr key={r.backend} data-testid={`selftest-${r.backend}`} data-ok={r.ok}>
                    <td>{r.backend}</td>
                    <td>{r.ok ? 'agrees' : (r.error ?? 'failed')}</td>
                    <td>{r.maxAbsDiff === null ? '—' : r.maxAbsDiff.toExponential(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
