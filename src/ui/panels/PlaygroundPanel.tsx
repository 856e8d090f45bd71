import { useEffect, useState } from 'react';
import { DEFAULT_PLAYGROUND_SAMPLING, runPlayground } from '../../client/playground';
import type { RunId, SamplingOptions } from '../../protocol/messages';
import { useLab, useLabClient } from '../lab-context';
import { Panel } from '../Panel';
import { AnswerColumn } from '../playground/AnswerColumn';
import { SamplingControls } from '../playground/SamplingControls';
import '../playground/playground.css';
import { errorText } from '../error-text';

export function PlaygroundPanel() {
  const client = useLabClient();
  const baseLoaded = useLab((s) => !!s.models.loaded.base);
  const last = useLab((s) => s.playground);
  const [prompt, setPrompt] = useState('');
  const [sampling, setSampling] = useState<SamplingOptions>(DEFAULT_PLAYGROUND_SAMPLING);
  const [runId, setRunId] = useState<RunId | null>(null);
  const run = useLab((s) => (runId ? s.runs[runId] : undefined));
  const [error, setError] = useState<string | null>(null);
  const running = run?.status === 'running';
  // A run started elsewhere (the guided demo) puts its prompt in the box, so
  // the answers below are never shown under a different or empty prompt.
  const lastRunId = last?.runId;
  const lastPrompt = last?.prompt;
  useEffect(() => {
    if (lastRunId && lastRunId !== runId && lastPrompt !== undefined) setPrompt(lastPrompt);
  }, [lastRunId, lastPrompt, runId]);

  const start = () => {
    if (!prompt.trim() || running) return;
    setError(null);
    const r = runPlayground(client, prompt, sampling);
    setRunId(r.runId);
    r.done.catch((e) => setError(errorText(e)));
  };

  return (
    <Panel title="Playground" area="playground">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <label className="field">
          Prompt (one chat turn)
          <textarea
            className="playground-prompt"
            value={prompt}
            placeholder="e.g. What do you think of my neighbour?"
            data-testid="playground-prompt"
            onChange={(e) => setPrompt(e.target.value)}
            onKeyDown={(e) => {
              // Ctrl/⌘+Enter runs, as in most chat and notebook tools.
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                start();
              }
            }}
          />
        </label>
        <SamplingControls value={sampling} disabled={running} onChange={setSampling} />
        <div className="playground-actions">
          <button
            type="submit"
            disabled={!baseLoaded || running || !prompt.trim()}
            data-testid="playground-run"
          >
            {running ? 'Generating…' : 'Run M, M+P and M′'}
          </button>
          {running && runId && (
            <button
              type="button"
              className="ghost"
              onClick={() => client.cancel(runId)}
              data-testid="playground-cancel"
            >
              Cancel
            </button>
          )}
          {!baseLoaded && (
            <span className="muted">Load the base model M first (Models panel).</span>
          )}
          {run?.status === 'cancelled' && <span className="muted">Cancelled.</span>}
        </div>
      </form>
      {running && run && run.total > 0 && (
        <progress
          className="progress"
          max={run.total}
          value={run.done}
          aria-label="Generation progress"
        >
          {run.message}
        </progress>
      )}
      {error && (
        <p className="status-error" role="alert" data-testid="playground-error">
          {error}
        </p>
      )}
      {last && (
        <>
          <p className="muted" data-testid="playground-settings">
            “{last.prompt.length > 80 ? `${last.prompt.slice(0, 80)}…` : last.prompt}” · temperature{' '}
            {last.sampling.temperature} · top-k {last.sampling.topK} · top-p {last.sampling.topP} ·
            max {last.sampling.maxNewTokens} tokens · seed {last.sampling.seed}
          </p>
          <div className="answers" aria-live="polite">
            {last.columns.map((c) => (
              <AnswerColumn
                key={c.variant}
                column={c}
                answer={last.answers[c.variant]}
                labels={last.scorerLabels}
                running={running && last.runId === runId}
              />
            ))}
          </div>
          <p className="scorer-legend muted" data-testid="scorer-labels">
            {`Scores: toxicity = ${last.scorerLabels.toxicity}; refusal = ${last.scorerLabels.refusal}; gendered = ${last.scorerLabels.gendered}.`}
          </p>
        </>
      )}
    </Panel>
  );
}
