import { useEffect, useRef, useState } from 'react';
import { restoreEvalHistory } from '../../client/eval';
import {
  controlTraining,
  discardCheckpoint,
  listCheckpoints,
  saveTrainedPatch,
  startTraining,
} from '../../client/train';
import type { BackendName } from '../../engine/backend-names';
import type { TrainCheckpointInfo } from '../../protocol/messages';
import { describeRunPhase } from '../../state/run-phase';
import { isRunLive } from '../../state/slices/train';
import { formatEta } from '../../train/pace';
import type { TrainRecipe } from '../../train/recipe';
import { recoveryOffers } from '../../train/recovery';
import { errorText } from '../error-text';
import { useLab, useLabClient } from '../lab-context';
import { useRunPhase } from '../use-run-phase';
import { ExportBundleButton } from './ExportBundleButton';
import { LossCharts } from './LossCharts';

/**
 * Step 2: start, steer and watch a run; recover from what went wrong; offer
 * to resume a run a reload or crash interrupted.
 */
export function RunSection({
  recipe,
  recipeError,
  collectedId,
  busy,
}: {
  recipe: TrainRecipe | null;
  recipeError: string | null;
  collectedId: string | null;
  busy: boolean;
}) {
  const client = useLabClient();
  const base = useLab((s) => s.models.loaded.base);
  const workerReady = useLab((s) => s.workerReady);
  const backend = useLab((s) => s.backend);
  const runId = useLab((s) => s.train.runId);
  const status = useLab((s) => s.train.status);
  const points = useLab((s) => s.train.points);
  const resumable = useLab((s) => s.train.resumable);
  const runError = useLab((s) => (runId ? s.runs[runId]?.error : null));
  const [patchName, setPatchName] = useState('safety patch');
  const [saving, setSaving] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  /** The recipe of the run on screen, for the recovery offers. */
  const runRecipe = useRef<TrainRecipe | null>(null);
  const runDone = useRef<Promise<void> | null>(null);

  // The resume offer and the metrics of the newest run: ask the worker for
  // what is stored once it is up, so a reload shows what was there before.
  useEffect(() => {
    if (!workerReady) return;
    listCheckpoints(client);
    void restoreEvalHistory(client);
  }, [workerReady, client]);

  const live = isRunLive(status);
  const last = points.at(-1);
  // The one status model (src/state/run-phase.ts): the same words as the demo strip and the header.
  const phase = useRunPhase();
  const step = Math.max(status?.step ?? 0, last?.step ?? 0);
  // The bar follows the phase: an evaluation fills its own bar, not a frozen step count.
  const bar =
    phase.kind === 'evaluating' || phase.kind === 'negatives'
      ? { value: phase.progress.done, max: phase.progress.total }
      : { value: step, max: status?.totalSteps || last?.totalSteps || 0 };
  const eta =
    phase.kind === 'evaluating' || phase.kind === 'training' || phase.kind === 'negatives'
      ? phase.progress.etaSeconds
      : null;

  const launch = (opts: Parameters<typeof startTraining>[1]) => {
    setActionError(null);
    runRecipe.current = { ...opts.recipe, ...opts.override };
    const { done } = startTraining(client, opts);
    runDone.current = done.catch(() => {
      // The failure is in the store: the problem banner and runs[runId].error show it.
    });
  };

  const start = () => {
    if (!recipe || !collectedId) return;
    launch({ recipe, collectedId, patchName });
  };

  /** Resumes the run's checkpoint with recipe changes, stopping the paused run first. */
  const restartWith = async (override: Partial<TrainRecipe>) => {
    const ckpt = status?.checkpoint;
    const r = runRecipe.current;
    if (!ckpt || !r || !runId) return;
    if (live) {
      controlTraining(client, runId, 'stop');
      await runDone.current;
    }
    launch({ recipe: r, collectedId: collectedId ?? '', patchName, resumeFrom: ckpt.id, override });
  };

  const switchBackendAndResume = async (to: BackendName) => {
    client.setBackend(to);
    await new Promise<void>((resolve) => {
      const off = client.store.subscribe((s) => {
        if (!s.backendPending) {
          off();
          resolve();
        }
      });
    });
    await restartWith({});
  };

  const resumeFrom = (c: TrainCheckpointInfo) =>
    launch({ recipe: c.recipe, collectedId: c.dataId, patchName, resumeFrom: c.id });

  /** A new run of the form's recipe on a stored run's pairs: no collecting again. */
  const startOver = (c: TrainCheckpointInfo) => {
    if (recipe) launch({ recipe, collectedId: c.dataId, patchName });
  };

  const save = async () => {
    if (!runId) return;
    setSaving(true);
    setActionError(null);
    try {
      await saveTrainedPatch(client, runId, patchName);
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const offers = resumable.filter((c) => c.id !== status?.checkpoint?.id || !live);
  const storedOffer = offers.some((c) => c.pairsStored);
  const startBlocker = live
    ? null
    : !base
      ? 'Load the base model M first (Models panel).'
      : !collectedId
        ? storedOffer
          ? 'Resume a run above or start it over on its stored pairs; Start needs pairs for the current settings (step 1).'
          : 'Collect the answers first (step 1).'
        : recipeError;

  const problem = status?.problem;
  const recovery = problem
    ? recoveryOffers(problem, {
        recipe: runRecipe.current,
        hasCheckpoint: Boolean(status?.checkpoint),
        activeBackend: backend?.active ?? null,
      })
    : [];

  return (
    <section className="train-section" aria-labelledby="train-run-h">
      <h3 id="train-run-h">3 · Train</h3>

      {!live && offers.length > 0 && (
        <div className="train-resume" data-testid="resume-offer">
          {offers.slice(0, 3).map((c) => (
            <div key={c.id} className="train-row">
              <button
                type="button"
                onClick={() => resumeFrom(c)}
                disabled={!base || busy || !c.pairsStored}
                data-testid="resume-run"
              >
                Resume run from step {c.step}
              </button>
              <button
                type="button"
                className="ghost"
                onClick={() => startOver(c)}
                disabled={!base || busy || !c.pairsStored || !recipe}
                title="A new run of the recipe above, on this run's stored pairs"
                data-testid="restart-on-pairs"
              >
                Start over on its pairs
              </button>
              <span className="train-small">
                of {c.totalSteps} ({c.stage.toUpperCase()}), saved{' '}
                {new Date(c.savedAt).toLocaleString()}
                {!base && ' — load the base model M to resume'}
                {base &&
                  !c.pairsStored &&
                  ' — its pairs are no longer stored: collect them again with the same models, sets and settings'}
              </span>
              <button
                type="button"
                className="ghost"
                onClick={() => discardCheckpoint(client, c.id)}
                aria-label={`Discard the checkpoint at step ${c.step}`}
              >
                Discard
              </button>
            </div>
          ))}
        </div>
      )}

      <div className="train-row train-controls">
        <button
          type="button"
          onClick={start}
          disabled={live || startBlocker !== null || busy}
          data-testid="train-start"
        >
          Start
        </button>
        <button
          type="button"
          className="ghost"
          onClick={() => runId && controlTraining(client, runId, 'pause')}
          disabled={status?.status !== 'running'}
          data-testid="train-pause"
        >
          Pause
        </button>
        <button
          type="button"
          className="ghost"
          onClick={() => runId && controlTraining(client, runId, 'resume')}
          disabled={status?.status !== 'paused'}
          data-testid="train-resume"
        >
          Resume
        </button>
        <button
          type="button"
          className="ghost"
          onClick={() => runId && controlTraining(client, runId, 'step-once')}
          disabled={status?.status !== 'paused'}
          data-testid="train-step-once"
        >
          Step once
        </button>
        <button
          type="button"
          className="ghost"
          onClick={() => runId && controlTraining(client, runId, 'stop')}
          disabled={!live}
          data-testid="train-stop"
        >
          Stop
        </button>
      </div>
      {startBlocker && !live && (
        <p className="muted train-small" data-testid="train-blocker">
          {startBlocker}
        </p>
      )}

      <div className="train-progress" aria-live="polite">
        <div className="train-progress-line">
          <progress
            max={Math.max(1, bar.max)}
            value={bar.value}
            aria-label={phase.kind === 'evaluating' ? 'Evaluation progress' : 'Training progress'}
            data-testid="train-progress"
          />
          <span className="train-small" data-testid="train-status" data-phase={phase.kind}>
            {describeRunPhase(phase)}
          </span>
        </div>
        <dl className="train-stats">
          <dt>tokens/s</dt>
          <dd>{last ? Math.round(last.tokensPerSecond) : '—'}</dd>
          <dt>{phase.kind === 'evaluating' ? 'eval ETA' : 'ETA'}</dt>
          <dd data-testid="train-eta">{formatEta(eta)}</dd>
          <dt>loss</dt>
          <dd>{last ? last.loss.toFixed(4) : '—'}</dd>
          <dt>grad norm</dt>
          <dd>{last ? last.gradNorm.toFixed(3) : '—'}</dd>
          <dt>pairs kept</dt>
          <dd>{last?.pairsKept != null ? `${last.pairsKept} (−${last.pairsDropped})` : '—'}</dd>
          <dt>checkpoint</dt>
          <dd data-testid="train-checkpoint">
            {status?.checkpoint ? `step ${status.checkpoint.step}` : '—'}
          </dd>
        </dl>
      </div>

      {problem && (
        <div className="train-problem" role="alert" data-testid="train-problem">
          <p>{problem.message}</p>
          {recovery.length > 0 && (
            <div className="train-row">
              {recovery.map((offer) => (
                <button
                  key={offer.kind}
                  type="button"
                  className={offer.kind === 'switch-backend' ? 'ghost' : undefined}
                  onClick={() =>
                    void (offer.kind === 'switch-backend'
                      ? switchBackendAndResume(offer.backend)
                      : restartWith(offer.override))
                  }
                  disabled={!offer.enabled}
                  data-testid={offer.kind === 'halve-batch' ? 'train-halve-batch' : undefined}
                >
                  {offer.label}
                </button>
              ))}
            </div>
          )}
          {problem.kind === 'other' && (
            <p className="train-small">
              The last checkpoint is kept: resume it once the cause is fixed.
            </p>
          )}
        </div>
      )}
      {!problem && runError && status?.status !== 'done' && (
        <p className="train-error" role="alert">
          {runError}
        </p>
      )}

      <LossCharts points={points} />

      <div className="train-row">
        <label className="train-inline">
          <span className="train-label">Patch name</span>
          <input
            value={patchName}
            onChange={(e) => setPatchName(e.target.value)}
            data-testid="patch-name"
          />
        </label>
        <button
          type="button"
          className="ghost"
          onClick={save}
          disabled={saving || !runId || step === 0 || status?.status === 'running'}
          data-testid="train-save-patch"
        >
          {saving ? 'Saving…' : 'Save patch'}
        </button>
        {status?.savedPatch && (
          <span className="train-small" data-testid="train-saved">
            Saved “{status.savedPatch.name}” to the Patches panel.
          </span>
        )}
      </div>
      {actionError && (
        <p className="train-error" role="alert">
          {actionError}
        </p>
      )}
      <ExportBundleButton recipe={recipe} collectedId={collectedId} name={patchName} />
    </section>
  );
}
