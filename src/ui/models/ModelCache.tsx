import { useEffect, useState } from 'react';
import { clearModelCache, listModelCache } from '../../client/models';
import { formatBytes } from '../../engine/format-bytes';
import { errorText } from '../error-text';
import { useLab, useLabClient } from '../lab-context';

/** What the browser keeps of hub downloads, with sizes; clear one model or all. */
export function ModelCache() {
  const client = useLabClient();
  const cache = useLab((s) => s.models.cache);
  const available = useLab((s) => s.models.cacheAvailable);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const act = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    // List once when the view opens.
    listModelCache(client).catch((e) => setError(errorText(e)));
  }, [client]);

  if (!available) {
    return (
      <p className="muted">
        This browser gives the lab no download cache (Cache API), so hub models download each time.
      </p>
    );
  }
  const total = (cache ?? []).reduce((n, m) => n + m.totalBytes, 0);
  return (
    <div data-testid="model-cache">
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {cache === null ? (
        <p className="muted">Reading the cache…</p>
      ) : cache.length === 0 ? (
        <p className="muted">
          Nothing cached. Hub models are kept here after their first download.
        </p>
      ) : (
        <>
          <table className="table">
            <thead>
              <tr>
                <th>model</th>
                <th>files</th>
                <th>size</th>
                <th>
                  <span className="visually-hidden">actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cache.map((m) => (
                <tr key={m.key}>
                  <td>{m.key}</td>
                  <td>{m.files.length}</td>
                  <td>{formatBytes(m.totalBytes)}</td>
                  <td>
                    <button
                      type="button"
                      className="ghost"
                      disabled={busy}
                      onClick={() => act(() => clearModelCache(client, m.repoId, m.revision))}
                    >
                      Clear
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <span className="muted">{formatBytes(total)} in all</span>
            <button
              type="button"
              className="ghost"
              disabled={busy}
              onClick={() => act(() => clearModelCache(client, null))}
            >
              Clear all
            </button>
          </div>
        </>
      )}
    </div>
  );
}
