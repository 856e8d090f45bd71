import { useEffect, useRef, useState } from 'react';
import { restoreComposition } from '../../client/composition';
import {
  applyPatches,
  composePatches,
  deletePatch,
  dismissUndo,
  downloadPatch,
  exportPatchPeft,
  refreshPatches,
  renamePatch,
  restorePatch,
} from '../../client/patches';
import { saveFile } from '../download';
import { errorText } from '../error-text';
import { useLab, useLabClient } from '../lab-context';
import { Panel } from '../Panel';
import { PatchImport } from '../patches/PatchImport';
import { type PatchActions, PatchRow } from '../patches/PatchRow';
import { SigningKeys } from '../patches/SigningKeys';
import { StackComposer } from '../patches/StackComposer';
import { useBusyAction } from '../patches/use-busy-action';
import '../patches/patches.css';

export function PatchesPanel() {
  const client = useLabClient();
  const patches = useLab((s) => s.patches);
  const loaded = useLab((s) => s.patchesLoaded);
  const active = useLab((s) => s.activePatchIds);
  const lastDeleted = useLab((s) => s.lastDeleted);
  const [selection, setSelection] = useState<string[]>([]);
  const composition = useLab((s) => s.composition);
  const restoredStack = useRef(false);
  const [sign, setSign] = useState(false);
  const { busy, status, setStatus, act } = useBusyAction();

  useEffect(() => {
    const refresh = () =>
      refreshPatches(client).catch((e) => setStatus({ ok: false, text: errorText(e) }));
    void refresh();
    // Fit with M is judged in the worker: ask again whenever a new base model arrives.
    return client.subscribe((e) => {
      if (e.type === 'model-loaded' && e.summary.role === 'base') void refresh();
    });
  }, [client, setStatus]);

  // After a reload: the newest composition report comes back, and with it the
  // stack it measured (when the composer is empty and those patches are still here).
  useEffect(() => {
    void restoreComposition(client);
  }, [client]);
  useEffect(() => {
    if (restoredStack.current || !loaded || !composition) return;
    restoredStack.current = true;
    const ids = composition.patchIds;
    if (ids.every((id) => patches.some((p) => p.id === id))) {
      setSelection((sel) => (sel.length === 0 ? ids : sel));
    }
  }, [loaded, composition, patches]);

  // A deleted patch leaves the selection too.
  useEffect(() => {
    setSelection((sel) => sel.filter((id) => patches.some((p) => p.id === id)));
  }, [patches]);

  const nameOf = (id: string) => patches.find((p) => p.id === id)?.name ?? 'patch';

  const actions: PatchActions = {
    apply: (id, allowInvalid) =>
      act(async () => {
        await applyPatches(client, [id], allowInvalid);
        return `M+P now uses "${nameOf(id)}".`;
      }),
    unapply: (id) =>
      act(async () => {
        await applyPatches(
          client,
          active.filter((a) => a !== id),
        );
        return `"${nameOf(id)}" is no longer applied.`;
      }),
    rename: (id, name) => act(async () => void (await renamePatch(client, id, name))),
    download: (id) =>
      act(async () => {
        const file = await downloadPatch(client, id, sign);
        saveFile(file);
        // The worker's name says what the file carries: ".signed." only with a signature.
        const carries = sign
          ? 'signed with your key'
          : file.fileName.includes('.signed.')
            ? 'with the signature it carries'
            : 'unsigned';
        return `Downloaded ${file.fileName} (${carries}).`;
      }),
    exportPeft: (id) =>
      act(async () => {
        const file = await exportPatchPeft(client, id, sign);
        saveFile(file);
        return `Downloaded ${file.fileName}: unzip it and load with PeftModel.from_pretrained.`;
      }),
    remove: (id) => act(async () => void (await deletePatch(client, id))),
  };

  return (
    <Panel title="Patches" area="patches">
      <PatchImport />
      {status && (
        <p
          className={status.ok ? 'status-ok' : 'status-error'}
          role={status.ok ? 'status' : 'alert'}
          data-testid="patches-status"
        >
          {status.text}
        </p>
      )}
      {lastDeleted && (
        <div className="undo" role="status" data-testid="patch-undo">
          <span>Deleted “{lastDeleted.name}”.</span>
          <button
            type="button"
            disabled={busy}
            onClick={() => act(async () => void (await restorePatch(client, lastDeleted.id)))}
          >
            Undo
          </button>
          <button
            type="button"
            className="ghost btn-small"
            aria-label="Dismiss"
            onClick={() => dismissUndo(client)}
          >
            ×
          </button>
        </div>
      )}
      <div className="p-row library-head">
        <h3>Library</h3>
        <label className="inline">
          <input type="checkbox" checked={sign} onChange={(e) => setSign(e.target.checked)} /> Sign
          exports with my key
        </label>
      </div>
      {!loaded ? (
        <p className="muted">Reading the library…</p>
      ) : patches.length === 0 ? (
        <p className="muted" data-testid="patches-empty">
          No patches yet. Train one in the Train panel, or import a patch file above.
        </p>
      ) : (
        <ul className="patch-list" data-testid="patch-list">
          {patches.map((p) => (
            <PatchRow
              key={p.id}
              patch={p}
              active={active.includes(p.id)}
              selected={selection.includes(p.id)}
              busy={busy}
              signWithMyKey={sign}
              onSelect={(on) =>
                setSelection((sel) =>
                  on ? [...sel.filter((s) => s !== p.id), p.id] : sel.filter((s) => s !== p.id),
                )
              }
              actions={actions}
            />
          ))}
        </ul>
      )}
      {active.length > 0 && (
        <p className="applied" data-testid="applied-stack">
          Applied to M+P: {active.map(nameOf).join(' → ')}{' '}
          <button
            type="button"
            className="ghost btn-small"
            disabled={busy}
            onClick={() =>
              act(async () => {
                await applyPatches(client, []);
                return 'No patch is applied now.';
              })
            }
          >
            Unapply all
          </button>
        </p>
      )}
      {patches.length > 0 && (
        <StackComposer
          order={selection}
          patches={patches}
          busy={busy}
          onReorder={setSelection}
          onApply={() =>
            act(async () => {
              const invalid = selection.filter(
                (id) => patches.find((p) => p.id === id)?.verification.state === 'invalid',
              );
              if (
                invalid.length > 0 &&
                !window.confirm(
                  `${invalid.map(nameOf).join(', ')}: the signature does not match — the file was modified. Apply anyway?`,
                )
              )
                return undefined;
              await applyPatches(client, selection, invalid.length > 0);
              return `M+P now uses ${selection.map(nameOf).join(' → ')}.`;
            })
          }
          onCompose={(name) =>
            act(async () => {
              await composePatches(client, selection, name);
              setSelection([]);
              return `Stacked into “${name}”.`;
            })
          }
        />
      )}
      <SigningKeys />
    </Panel>
  );
}
