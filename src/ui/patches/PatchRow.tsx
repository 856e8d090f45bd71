import { useState } from 'react';
import { formatBytes } from '../../engine/format-bytes';
import type { PatchSummary } from '../../protocol/messages';
import { downloadWording } from './download-wording';
import { ManifestComposition } from './ManifestComposition';
import { ReportCardView } from './ReportCardView';
import { VerificationBadge } from './VerificationBadge';

export interface PatchActions {
  apply(id: string, allowInvalid: boolean): void;
  unapply(id: string): void;
  rename(id: string, name: string): void;
  download(id: string): void;
  exportPeft(id: string): void;
  remove(id: string): void;
}

const shortBase = (b: PatchSummary['manifest']['base']) =>
  `${b.id.slice(b.id.lastIndexOf('/') + 1)} (${b.architecture}, hidden ${b.hiddenSize})`;

/** One library patch: what it is, whether it can be trusted, and what can be done with it. */
export function PatchRow({
  patch,
  active,
  selected,
  busy,
  signWithMyKey,
  onSelect,
  actions,
}: {
  patch: PatchSummary;
  active: boolean;
  selected: boolean;
  busy: boolean;
  /** The library head's "Sign exports with my key": the Download button says what it will write. */
  signWithMyKey: boolean;
  onSelect: (on: boolean) => void;
  actions: PatchActions;
}) {
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(patch.name);
  const [confirmInvalid, setConfirmInvalid] = useState(false);
  const invalid = patch.verification.state === 'invalid';
  const misfit = patch.fit !== null && !patch.fit.ok;
  const download = downloadWording(patch, signWithMyKey);

  const commitRename = () => {
    setRenaming(false);
    if (draft.trim() && draft.trim() !== patch.name) actions.rename(patch.id, draft.trim());
    else setDraft(patch.name);
  };

  return (
    <li
      className={`patch-row${active ? ' patch-active' : ''}`}
      data-testid="patch-row"
      data-name={patch.name}
    >
      <div className="patch-head">
        <input
          type="checkbox"
          checked={selected}
          onChange={(e) => onSelect(e.target.checked)}
          aria-label={`Select "${patch.name}" for stacking`}
        />
        {renaming ? (
          <input
            className="rename-input"
            value={draft}
            // biome-ignore lint/a11y/noAutofocus: the user just asked to rename; focus belongs in the field.
            autoFocus
            aria-label="New name"
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commitRename}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitRename();
              if (e.key === 'Escape') {
                setDraft(patch.name);
                setRenaming(false);
              }
            }}
          />
        ) : (
          <strong className="patch-name" data-testid="patch-name">
            {patch.name}
          </strong>
        )}
        {active && <span className="applied-tag">applied</span>}
        <VerificationBadge v={patch.verification} />
      </div>
      <p className="patch-facts muted">
        {shortBase(patch.manifest.base)} · {patch.nVirtual} tokens · {formatBytes(patch.sizeBytes)}
        {patch.manifest.domains.length > 0 && <> · {patch.manifest.domains.join(', ')}</>} ·{' '}
        {patch.origin}
      </p>
      {patch.fit && (
        <p className={patch.fit.ok ? 'fit-ok' : 'status-error'} data-testid="patch-fit">
          {patch.fit.ok ? '✓ ' : '✗ '}
          {patch.fit.message}
        </p>
      )}
      <ReportCardView manifest={patch.manifest} />
      <ManifestComposition manifest={patch.manifest} />
      {confirmInvalid && (
        <div className="confirm" role="alert">
          <p>{patch.verification.message} Apply it only if you trust where it came from.</p>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setConfirmInvalid(false);
              actions.apply(patch.id, true);
            }}
          >
            Apply the modified patch
          </button>{' '}
          <button type="button" className="ghost" onClick={() => setConfirmInvalid(false)}>
            Cancel
          </button>
        </div>
      )}
      <div className="p-row patch-actions">
        {active ? (
          <button type="button" disabled={busy} onClick={() => actions.unapply(patch.id)}>
            Unapply
          </button>
        ) : (
          <button
            type="button"
            disabled={busy || misfit}
            title={misfit ? (patch.fit?.message ?? '') : 'Use this patch for M+P'}
            onClick={() => (invalid ? setConfirmInvalid(true) : actions.apply(patch.id, false))}
            data-testid="patch-apply"
          >
            {invalid ? 'Apply anyway…' : 'Apply'}
          </button>
        )}
        <button type="button" className="ghost" disabled={busy} onClick={() => setRenaming(true)}>
          Rename
        </button>
        <button
          type="button"
          className="ghost"
          disabled={busy}
          onClick={() => actions.download(patch.id)}
          title={download.detail}
          data-testid="patch-download"
        >
          {download.label}
        </button>
        <button
          type="button"
          className="ghost"
          disabled={busy}
          onClick={() => actions.exportPeft(patch.id)}
        >
          Export for PEFT
        </button>
        <button
          type="button"
          className="ghost"
          disabled={busy}
          onClick={() => actions.remove(patch.id)}
          data-testid="patch-delete"
        >
          Delete
        </button>
      </div>
      <details className="patch-details">
        <summary>Manifest and notes</summary>
        <p className="muted">{patch.verification.message}</p>
        {patch.notes.length > 0 && (
          <ul className="notes">
            {patch.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        {/* Plain text: React escapes it, so a hostile manifest cannot inject markup. */}
        <pre className="manifest-text" data-testid="manifest-text">
          {JSON.stringify(patch.manifest, null, 2)}
        </pre>
      </details>
    </li>
  );
}
