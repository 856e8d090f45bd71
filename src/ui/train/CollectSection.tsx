import { useEffect, useState } from 'react';
import { collect, lookupCollected } from '../../client/train';
import type { PromptSet } from '../../data/types';
import type { CollectSettings } from '../../train/collected';
import { useLab, useLabClient } from '../lab-context';
import { CollectedViewer } from './CollectedViewer';

const SAMPLING_FIELDS: { key: keyof CollectSettings; label: string; step: string; help: string }[] =
  [
    {
      key: 'temperature',
      label: 'Temperature',
      step: 'any',
      help: '0 = greedy; higher = more varied answers.',
    },
    {
      key: 'topK',
      label: 'Top-k',
      step: '1',
      help: 'Sample among the k likeliest tokens (0 = off).',
    },
    {
      key: 'topP',
      label: 'Top-p',
      step: 'any',
      help: 'Sample within this much probability mass (1 = off).',
    },
    {
      key: 'batchSize',
      label: 'Prompts per batch',
      step: '1',
      help: 'Generation batch; larger is faster and uses more memory.',
    },
    {
      key: 'seed',
      label: 'Sampling seed',
      step: '1',
      help: 'Same seed, models and prompts give the same answers.',
    },
  ];

/**
 * Step 1 of a run: M′ and M answer every training prompt; the pairs (and
 * M′'s log-probs of both answers) are what SFT and DPO train on.
 */
export function CollectSection({
  sets,
  settings,
  onSettings,
  busy,
}: {
  sets: PromptSet[];
  settings: CollectSettings;
  onSettings: (s: CollectSettings) => void;
  busy: boolean;
}) {
  const client = useLabClient();
  const base = useLab((s) => s.models.loaded.base);
  const reference = useLab((s) => s.models.loaded.reference);
  const runId = useLab((s) => s.train.collectRunId);
  const [activeRun, setActiveRun] = useState<string | null>(null);
  const run = useLab((s) => (activeRun ? s.runs[activeRun] : runId ? s.runs[runId] : undefined));
  const collected = useLab((s) => s.train.collected);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const prompts = sets.reduce((n, s) => n + s.items.length, 0);
  const running = run?.status === 'running';
  const workerReady = useLab((s) => s.workerReady);

  // Pairs collected before (this tab or before a reload) for exactly these
  // models, sets and sampling are in IndexedDB: ask for them whenever the
  // key changes, so the Train panel never asks to collect what is stored.
  useEffect(() => {
    if (workerReady && base && reference && sets.length > 0)
      void lookupCollected(client, sets, settings);
  }, [client, workerReady, base, reference, sets, settings]);

  const missing = !base
    ? 'Load the base model M first (Models panel).'
    : !reference
      ? 'Load the reference model M′ first (Models panel).'
      : prompts === 0
        ? 'Select at least one training set with prompts (Data panel).'
        : null;

  const start = async () => {
    const { runId: id, done } = collect(client, sets, settings);
    setActiveRun(id);
    try {
      await done;
    } catch {
      // The error is in the store (runs[id].error) and shown below.
    }
  };

  return (
    <section className="train-section" aria-labelledby="train-collect-h">
      <h3 id="train-collect-h">1 · Collect answers</h3>
      <p className="muted train-small">
        {sets.length > 0
          ? `${prompts} prompts from ${sets.map((s) => s.name).join(', ')}.`
          : 'No training sets selected.'}
      </p>
      <details className="train-details">
        <summary>Sampling settings</summary>
        <div className="train-recipe">
          {SAMPLING_FIELDS.map(({ key, label, step, help }) => (
            <label className="train-field" key={key}>
              <span className="train-label">{label}</span>
              <input
                type="number"
                step={step}
                value={drafts[key] ?? String(settings[key])}
                disabled={busy || running}
                onChange={(e) => {
                  setDrafts({ ...drafts, [key]: e.target.value });
                  const v = Number(e.target.value);
                  if (e.target.value.trim() !== '' && Number.isFinite(v))
                    onSettings({ ...settings, [key]: v });
                }}
                data-testid={`collect-${key}`}
              />
              <span className="train-help">{help}</span>
            </label>
          ))}
        </div>
      </details>
      <div className="train-row">
        <button
          type="button"
          onClick={start}
          disabled={missing !== null || running || busy}
          data-testid="collect-start"
        >
          {running ? 'Collecting…' : collected ? 'Collect again' : 'Collect'}
        </button>
        {running && run && (
          <button
            type="button"
            className="ghost"
            onClick={() => client.cancel(run.runId)}
            data-testid="collect-cancel"
          >
            Cancel
          </button>
        )}
        {missing && <span className="muted train-small">{missing}</span>}
      </div>
      {run && running && (
        <div className="train-progress-line">
          <progress
            max={Math.max(1, run.total)}
            value={run.done}
            aria-label="Collecting answers"
            data-testid="collect-progress"
          />
          <span className="train-small">{run.message || 'starting…'}</span>
        </div>
      )}
      {run?.status === 'error' && (
        <p className="train-error" role="alert" data-testid="collect-error">
          Collecting failed: {run.error}
        </p>
      )}
      {run?.status === 'cancelled' && (
        <p className="muted train-small">Collecting was cancelled.</p>
      )}
      {collected && <CollectedViewer summary={collected} />}
    </section>
  );
}
