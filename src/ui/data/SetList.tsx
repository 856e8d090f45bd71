import { useState } from 'react';
import { removeDataSet, selectDataSet, splitPromptSet } from '../../client/data';
import type { PromptSetKind } from '../../data/types';
import { type StoredPromptSet, selectAllPromptSets } from '../../state/slices/data';
import { useLab, useLabClient } from '../lab-context';
import { LabDialog } from '../models/LabDialog';

const GROUPS: { kind: PromptSetKind; label: string }[] = [
  { kind: 'toxicity', label: 'Toxicity' },
  { kind: 'bias', label: 'Bias' },
  { kind: 'harmful', label: 'Harmful requests' },
  { kind: 'safe', label: 'Safe look-alikes (over-refusal)' },
  { kind: 'general', label: 'General (fluency)' },
];

function SplitForm({ set, onDone }: { set: StoredPromptSet; onDone: () => void }) {
  const client = useLabClient();
  const [fraction, setFraction] = useState(0.2);
  const [seed, setSeed] = useState(1);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        splitPromptSet(client, set.id, fraction, seed).then(onDone, (err: Error) =>
          setError(err.message),
        );
      }}
    >
      <label className="field">
        Eval share
        <input
          type="number"
          min={0.05}
          max={0.95}
          step={0.05}
          value={fraction}
          onChange={(e) => setFraction(Number(e.target.value))}
        />
      </label>
      <label className="field">
        Seed
        <input
          type="number"
          step={1}
          value={seed}
          onChange={(e) => setSeed(Math.trunc(Number(e.target.value)))}
        />
      </label>
      <button type="submit">Split</button>
      {error && <span className="error-text">{error}</span>}
    </form>
  );
}

/** Every prompt set by domain: select for training/evaluation, view, split or remove. */
export function SetList() {
  const client = useLabClient();
  const sets = useLab(selectAllPromptSets);
  const selected = useLab((s) => s.data.selected);
  const [viewing, setViewing] = useState<StoredPromptSet | null>(null);
  const [splitting, setSplitting] = useState<string | null>(null);
  const on = new Set(selected);

  return (
    <div data-testid="set-list">
      {GROUPS.map((g) => {
        const inGroup = sets.filter((x) => x.set.kind === g.kind);
        if (inGroup.length === 0) return null;
        return (
          <section key={g.kind} className="set-group" aria-label={g.label}>
            <h3>{g.label}</h3>
            {inGroup.map((x) => (
              <div className="set-row" key={x.id} data-testid="set-row" data-set-name={x.set.name}>
                <input
                  type="checkbox"
                  checked={on.has(x.id)}
                  onChange={(e) => selectDataSet(client, x.id, e.target.checked)}
                  aria-label={`Use ${x.set.name}`}
                />
                <span className="name">
                  {x.set.name}
                  <span className="badge">{x.set.split}</span>
                </span>
                <span className="row">
                  <button type="button" className="ghost" onClick={() => setViewing(x)}>
                    View
                  </button>
                  {x.origin === 'imported' && (
                    <button
                      type="button"
                      className="ghost"
                      onClick={() => setSplitting(splitting === x.id ? null : x.id)}
                      aria-expanded={splitting === x.id}
                    >
                      Split…
                    </button>
                  )}
                  {x.origin !== 'builtin' && (
                    <button
                      type="button"
                      className="ghost"
                      onClick={() => removeDataSet(client, x.id)}
                      aria-label={`Remove ${x.set.name}`}
                    >
                      Remove
                    </button>
                  )}
                </span>
                <span className="sub muted" data-testid="set-count">
                  {x.set.items.length} prompts ·{' '}
                  {x.origin === 'builtin' ? 'built-in demo' : x.fileName}
                </span>
                {splitting === x.id && (
                  <div className="sub">
                    <SplitForm set={x} onDone={() => setSplitting(null)} />
                  </div>
                )}
              </div>
            ))}
          </section>
        );
      })}
      <LabDialog
        title={viewing ? `${viewing.set.name} (${viewing.set.items.length} prompts)` : ''}
        open={viewing !== null}
        onClose={() => setViewing(null)}
      >
        {viewing && (
          <ol className="prompt-list" data-testid="prompt-list">
            {viewing.set.items.slice(0, 1000).map((item, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list in file order
              <li key={i}>{item.prompt}</li>
            ))}
            {viewing.set.items.length > 1000 && (
              <li className="muted">… and {viewing.set.items.length - 1000} more</li>
            )}
          </ol>
        )}
      </LabDialog>
    </div>
  );
}
