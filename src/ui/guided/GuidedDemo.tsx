import { useMemo, useReducer, useRef, useState } from 'react';
import { setEvalConfig } from '../../client/eval';
import { currentRecipe } from '../../client/share-sync';
import { describeRunPhase, shownRecipe } from '../../state/run-phase';
import { recipeOfDraft } from '../../state/setup-state';
import { formatEta } from '../../train/pace';
import type { TrainRecipe } from '../../train/recipe';
import { useLab, useLabClient } from '../lab-context';
import { useRunPhase } from '../use-run-phase';
import { GuidedResult } from './GuidedResult';
import { GUIDED_STEPS, guidedRecipe, STEP_HELP } from './guided-plan';
import { initialGuidedState, reduceGuided, stepsDone } from './guided-state';
import { GuidedRun } from './run-guided';
import './guided.css';

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * The talk button: one click runs the whole demo (load, measure, collect,
 * train with M+P measured as it learns, save, compare), with the step list,
 * progress and Cancel in one strip above the panels.
 */
export function GuidedDemo() {
  const client = useLabClient();
  const [state, dispatch] = useReducer(reduceGuided, initialGuidedState);
  const runRef = useRef<GuidedRun | null>(null);
  const [restorable, setRestorable] = useState(false);
  const run = useLab((s) => (state.runId ? s.runs[state.runId] : undefined));
  // The one status model: the strip says what the Train panel and the header say.
  const phase = useRunPhase();
  const train = useLab((s) => s.train);
  const running = state.status === 'running';
  // Idle: what a click would run now (follows the Train panel's form).
  // Running: the recipe of the run that trains, else the one the flow started with.
  const draft = useLab((s) => s.recipe.draft);
  const nextRecipe = useMemo(() => guidedRecipe(recipeOfDraft(draft)), [draft]);
  const [flowRecipe, setFlowRecipe] = useState<TrainRecipe | null>(null);
  const recipe = running
    ? (shownRecipe(train, null).recipe ?? flowRecipe ?? nextRecipe)
    : nextRecipe;

  const start = () => {
    const r = guidedRecipe(currentRecipe(client));
    setFlowRecipe(r);
    setRestorable(false);
    const flow = new GuidedRun(client, dispatch);
    runRef.current = flow;
    void flow.run(r).finally(() => setRestorable(flow.previousEvalConfig !== null));
  };

  const restoreEval = () => {
    const prev = runRef.current?.previousEvalConfig;
    if (prev) setEvalConfig(client, prev);
    setRestorable(false);
  };

  const progress = useMemo(() => {
    if (!running) return null;
    if (state.current === 'train' && phase.kind !== 'idle' && phase.kind !== 'collecting') {
      const p =
        phase.kind === 'training' || phase.kind === 'evaluating' || phase.kind === 'negatives'
          ? phase.progress
          : { done: phase.step, total: phase.total, etaSeconds: null };
      const eta = p.etaSeconds !== null ? ` · about ${formatEta(p.etaSeconds)} left` : '';
      return { done: p.done, total: p.total, text: `${describeRunPhase(phase)}${eta}` };
    }
    if (run && run.status === 'running') {
      return { done: run.done, total: run.total, text: run.message || run.label };
    }
    return { done: 0, total: 0, text: 'Starting…' };
  }, [running, state.current, phase, run]);

  const done = stepsDone(state);
  const elapsed =
    state.startedAt !== null && state.finishedAt !== null
      ? seconds(state.finishedAt - state.startedAt)
      : null;

  return (
    <section
      className="guided"
      aria-labelledby="guided-h"
      data-testid="guided"
      data-status={state.status}
    >
      <div className="guided-intro">
        <h2 id="guided-h">Patch the demo in one minute</h2>
        <p className="muted guided-sub" data-testid="guided-recipe">
          {recipe.sftSteps} SFT + {recipe.dpoSteps} DPO steps on the embedded demo pair; M+P is
          measured every {recipe.evalEvery || '—'} steps. Works offline.
        </p>
        <div className="guided-actions">
          {running ? (
            <button
              type="button"
              className="ghost"
              onClick={() => runRef.current?.cancel()}
              data-testid="guided-cancel"
            >
              Cancel
            </button>
          ) : (
            <button
              type="button"
              className="guided-start"
              onClick={start}
              data-testid="guided-start"
            >
              {state.status === 'idle' ? '▶ Patch the demo' : '▶ Run it again'}
            </button>
          )}
          {restorable && (
            <button
              type="button"
              className="ghost"
              onClick={restoreEval}
              data-testid="guided-restore-eval"
            >
              Restore my evaluation settings
            </button>
          )}
        </div>
      </div>
      <div className="guided-track">
        <ol className="guided-steps" aria-label="Guided demo steps">
          {GUIDED_STEPS.map((s, i) => {
            const st = state.steps[s.id];
            return (
              <li
                key={s.id}
                className={`guided-step is-${st.status}`}
                aria-current={state.current === s.id && running ? 'step' : undefined}
                data-testid={`guided-step-${s.id}`}
                data-status={st.status}
              >
                <span className="guided-num" aria-hidden="true">
                  {st.status === 'done' ? '✓' : st.status === 'failed' ? '!' : i + 1}
                </span>
                <span className="guided-label">
                  {s.label}
                  <span className="visually-hidden"> — {st.status}</span>
                </span>
                {st.detail && st.status === 'done' && (
                  <span className="guided-detail muted">{st.detail}</span>
                )}
              </li>
            );
          })}
        </ol>
        <div className="guided-status" aria-live="polite">
          {running && progress && (
            <div className="guided-progress">
              <progress
                max={Math.max(1, progress.total)}
                value={progress.total > 0 ? progress.done : undefined}
                aria-label="Current step progress"
                data-testid="guided-progress"
              />
              <span className="muted guided-progress-text">
                Step {done + 1} of {GUIDED_STEPS.length}: {progress.text}
              </span>
            </div>
          )}
          {state.status === 'done' && <GuidedResult elapsed={elapsed} />}
          {state.status === 'cancelled' && (
            <p className="muted" data-testid="guided-cancelled">
              Cancelled. What finished is kept: loaded models, measurements and collected pairs.
            </p>
          )}
          {state.status === 'failed' && state.current && (
            <div className="guided-failed" role="alert" data-testid="guided-error">
              <strong>{GUIDED_STEPS.find((s) => s.id === state.current)?.label} failed:</strong>{' '}
              {state.steps[state.current].detail}
              <br />
              <span>Next: {STEP_HELP[state.current]}</span>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
