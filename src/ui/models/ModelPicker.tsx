import { useId, useMemo, useState } from 'react';
import { loadModel, presetSpec, setHubSettings } from '../../client/models';
import { formatBytes } from '../../engine/format-bytes';
import { repoIdProblem } from '../../hub/hub-url';
import {
  findPreset,
  groupPresetsBySize,
  type ModelPreset,
  PRESET_PAIRS,
  presetMemory,
} from '../../hub/presets';
import type { ModelRole, ModelSourceSpec } from '../../protocol/messages';
import { useLab, useLabClient } from '../lab-context';
import { useFileDrop } from '../use-file-drop';
import { limitsOf, presetFit } from './fit';
import { formatCount } from './format-count';
import { filesFromDrop } from './pick-files';

const ROLE_LABEL: Record<ModelRole, string> = { base: 'M (base)', reference: 'M′ (reference)' };
const GROUPS = groupPresetsBySize();

/**
 * Choosing what to load into M or M′: presets by size with what each costs
 * and whether it fits, suggested pairs, any hub id, or a folder from disk.
 * Starting a load closes the picker; progress shows on the role's card.
 */
export function ModelPicker({
  role,
  onRoleChange,
  onStarted,
}: {
  role: ModelRole;
  onRoleChange: (r: ModelRole) => void;
  onStarted: () => void;
}) {
  const client = useLabClient();
  const hub = useLab((s) => s.models.hub);
  const backend = useLab((s) => s.backend?.active ?? null);
  const adapter = useLab((s) => s.device?.adapter ?? null);
  const limits = useMemo(() => limitsOf(backend, adapter), [backend, adapter]);
  const [repo, setRepo] = useState('');
  // Checked as typed, not after the picker has closed and the load failed.
  const repoProblem = repo.trim() ? repoIdProblem(repo.trim()) : null;
  const [revision, setRevision] = useState('main');
  const { over, dropHandlers } = useFileDrop(async (data) => startLocal(await filesFromDrop(data)));
  const ids = { repo: useId(), rev: useId(), host: useId(), folder: useId() };

  const start = (r: ModelRole, spec: ModelSourceSpec) => {
    // Failures show on the card; nothing to catch here.
    loadModel(client, r, spec).catch(() => {});
  };
  const startPreset = (p: ModelPreset) => {
    start(role, presetSpec(p, hub));
    onStarted();
  };
  const startPair = async (base: string, reference: string) => {
    const b = findPreset(base);
    const r = findPreset(reference);
    if (!b || !r) return;
    onStarted();
    try {
      await loadModel(client, 'base', presetSpec(b, hub));
      await loadModel(client, 'reference', presetSpec(r, hub));
    } catch {
      // Shown on the card of the role that failed.
    }
  };
  const startLocal = (files: File[]) => {
    if (files.length === 0) return;
    const first = (files[0] as File & { webkitRelativePath?: string }).webkitRelativePath;
    const label = first?.includes('/') ? first.split('/')[0] : '';
    start(role, { kind: 'local', files, label });
    onStarted();
  };

  return (
    <div data-testid="model-picker">
      <fieldset className="row" style={{ border: 'none', padding: 0 }}>
        <legend className="muted">Load into</legend>
        {(['base', 'reference'] as const).map((r) => (
          <label key={r}>
            <input
              type="radio"
              name="picker-role"
              checked={role === r}
              onChange={() => onRoleChange(r)}
            />{' '}
            {ROLE_LABEL[r]}
          </label>
        ))}
      </fieldset>

      <h3>Suggested pairs (base → instruct of the same family)</h3>
      <ul>
        {PRESET_PAIRS.map((p) => (
          <li key={p.base} className="row">
            <span>
              {findPreset(p.base)?.label} → {findPreset(p.reference)?.label}{' '}
              <span className="muted">({p.why})</span>
            </span>
            <button type="button" className="ghost" onClick={() => startPair(p.base, p.reference)}>
              Load pair
            </button>
          </li>
        ))}
      </ul>

      {GROUPS.map((g) => (
        <fieldset key={g.label} className="preset-group">
          <legend>{g.label}</legend>
          {g.presets.map((p) => {
            const mem = presetMemory(p);
            const fit = presetFit(p, limits);
            const offline = p.source === 'hub' && !hub.enabled;
            return (
              <div className="preset" key={p.id} data-testid={`preset-${p.id}`}>
                <strong>{p.label}</strong>
                <span className="muted">{p.role === 'base' ? 'base' : 'instruct'}</span>
                <button
                  type="button"
                  onClick={() => startPreset(p)}
                  className={fit.ok ? '' : 'ghost'}
                >
                  {fit.ok ? `Load as ${role === 'base' ? 'M' : 'M′'}` : 'Load anyway'}
                </button>
                <span className="facts muted">
                  {mem
                    ? `${formatCount(mem.params)} parameters · download ${p.downloadBytes ? formatBytes(p.downloadBytes) : '?'} · training needs ≈ ${formatBytes(mem.trainingBytes)}`
                    : 'tiny, ships with the app, works offline'}
                  {p.gated && ' · gated'}
                </span>
                {!fit.ok && (
                  <span className="facts warn-text" role="note">
                    {fit.message}
                  </span>
                )}
                {offline && (
                  <span className="facts warn-text">
                    Hub downloads are off: only a cached copy can load.
                  </span>
                )}
                {p.note && <span className="facts muted">{p.note}</span>}
              </div>
            );
          })}
        </fieldset>
      ))}

      <h3>Any model on the hub</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!repo.trim() || repoProblem) return;
          start(role, {
            kind: 'hub',
            repo: repo.trim(),
            revision: revision.trim() || 'main',
            host: hub.host,
            enabled: hub.enabled,
          });
          onStarted();
        }}
      >
        <label className="field" htmlFor={ids.repo}>
          Repo id
          <input
            id={ids.repo}
            value={repo}
            placeholder="HuggingFaceTB/SmolLM2-135M"
            onChange={(e) => setRepo(e.target.value)}
            aria-invalid={repoProblem !== null}
            aria-describedby={repoProblem ? `${ids.repo}-problem` : undefined}
            data-testid="hub-repo"
          />
        </label>
        <label className="field" htmlFor={ids.rev}>
          Revision
          <input
            id={ids.rev}
            value={revision}
            size={10}
            onChange={(e) => setRevision(e.target.value)}
            data-testid="hub-revision"
          />
        </label>
        <button
          type="submit"
          disabled={!repo.trim() || repoProblem !== null}
          data-testid="hub-load"
        >
          Load as {role === 'base' ? 'M' : 'M′'}
        </button>
        {repoProblem && (
          <p className="error-text" id={`${ids.repo}-problem`} data-testid="hub-repo-problem">
            {repoProblem[0].toUpperCase()}
            {repoProblem.slice(1)}.
          </p>
        )}
      </form>
      <div className="row">
        <label className="field" htmlFor={ids.host}>
          Hub host (or a mirror)
          <input
            id={ids.host}
            value={hub.host}
            onChange={(e) => setHubSettings(client, { ...hub, host: e.target.value })}
            data-testid="hub-host"
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={hub.enabled}
            onChange={(e) => setHubSettings(client, { ...hub, enabled: e.target.checked })}
            data-testid="hub-enabled"
          />{' '}
          Hub downloads on
        </label>
      </div>

      <h3>A model folder from this computer</h3>
      {/* dropping is a pointer shortcut; the file input inside is the keyboard path */}
      <div className="drop-zone" data-over={over} {...dropHandlers}>
        <p>
          Drop a Hugging Face model folder (config.json, model.safetensors, tokenizer.json) here, or
        </p>
        <label htmlFor={ids.folder}>Choose a folder: </label>
        <input
          id={ids.folder}
          type="file"
          multiple
          // React does not know webkitdirectory; spread it as a plain attribute.
          {...{ webkitdirectory: '' }}
          onChange={(e) => startLocal(Array.from(e.target.files ?? []))}
          data-testid="local-folder"
        />
      </div>
    </div>
  );
}
