import { useRef, useState } from 'react';
import { clearImportLog, importPatchFiles } from '../../client/patches';
import { errorText } from '../error-text';
import { useLab, useLabClient } from '../lab-context';
import { useFileDrop } from '../use-file-drop';

/** Codes a user may override: the file is readable but was changed after it was made. */
const OVERRIDABLE = new Set(['CONTENT_MODIFIED', 'SIGNATURE_INVALID']);

/**
 * Import by picker (files or a PEFT adapter folder) or by dropping several
 * files at once; one result line per file, and for a modified file an
 * explicit "import anyway" that marks it as modified.
 */
export function PatchImport() {
  const client = useLabClient();
  const log = useLab((s) => s.importLog);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { over, dropHandlers } = useFileDrop((data) => void run([...data.files]));
  // The picked files, by name, so an override can re-send the one the user chose.
  const files = useRef(new Map<string, File>());
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const run = async (picked: File[], acceptModified = false) => {
    if (picked.length === 0) return;
    for (const f of picked) files.current.set(f.name, f);
    setBusy(true);
    setError(null);
    try {
      await importPatchFiles(client, picked, acceptModified);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="patch-import" aria-label="Import patches">
      {/* the drop zone is an extra; the buttons inside do the same by keyboard. */}
      <div
        className={`drop-zone${over ? ' drop-over' : ''}`}
        data-testid="patch-drop-zone"
        {...dropHandlers}
      >
        <p className="muted">
          Drop patch files here (<code>.patch.safetensors</code>, PEFT <code>.zip</code>), or
        </p>
        <div className="p-row">
          <button
            type="button"
            onClick={() => fileInput.current?.click()}
            disabled={busy}
            data-testid="patch-import-button"
          >
            {busy ? 'Importing…' : 'Import files…'}
          </button>
          <button
            type="button"
            className="ghost"
            onClick={() => folderInput.current?.click()}
            disabled={busy}
          >
            Import PEFT folder…
          </button>
        </div>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          accept=".safetensors,.zip,application/zip"
          data-testid="patch-import-input"
          onChange={(e) => {
            void run([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          hidden
          // Folder picking: every current browser supports it, and a PEFT adapter is a folder.
          webkitdirectory=""
          onChange={(e) => {
            void run([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>
      {error && (
        <p className="status-error" role="alert">
          {error}
        </p>
      )}
      {log.length > 0 && (
        <div className="import-log" aria-live="polite">
          <ul data-testid="import-log">
            {log.map((r) => (
              <li
                key={r.fileName}
                className={r.ok ? 'import-ok' : 'import-bad'}
                data-testid="import-result"
                data-ok={r.ok}
              >
                <strong>{r.fileName}</strong>: <span>{r.message}</span>
                {r.notes.length > 0 && (
                  <ul className="notes">
                    {r.notes.map((n) => (
                      <li key={n}>{n}</li>
                    ))}
                  </ul>
                )}
                {!r.ok && r.code && OVERRIDABLE.has(r.code) && files.current.has(r.fileName) && (
                  <button
                    type="button"
                    className="ghost btn-small"
                    disabled={busy}
                    onClick={() => {
                      const f = files.current.get(r.fileName);
                      if (f) void run([f], true);
                    }}
                  >
                    Import anyway, marked as modified
                  </button>
                )}
              </li>
            ))}
          </ul>
          <button type="button" className="ghost btn-small" onClick={() => clearImportLog(client)}>
            Clear messages
          </button>
        </div>
      )}
    </section>
  );
}
