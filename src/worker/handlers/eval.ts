// Evaluation commands and the training hook. M, M′ and the random-patch
// control M+R are evaluated once per config and cached (memory + IndexedDB;
// M+R's key adds its seed and row norms); M+P is evaluated on demand with the
// applied patch stack, and during training through the hook every
// `duringTraining.everySteps` updates, each as its own run so its progress
// shows and it can be cancelled without stopping training.
import type { tf } from '../../engine/tf';
import { DEFAULT_EVAL_CONFIG } from '../../protocol/eval-defaults';
import type {
  EvalCommand,
  EvalConfig,
  EvalControlShape,
  EvalTargetKind,
  RunId,
} from '../../protocol/messages';
import { trainingEvalRunId } from '../../protocol/train';
import { cancelRun, forgetRun, isCancelled } from '../cancellation';
import { errorInfo } from '../error-text';
import { EvalCache, evalCacheKey } from '../eval-cache';
import { evalConfigKey } from '../eval-config-key';
import { controlCacheKey } from '../eval-control';
import { noteEvalResult, restoredEvalResults } from '../eval-latest';
import { controlSeed, controlTemplate, resolveTarget, runEvaluation } from '../eval-run';
import { requireModel } from '../session';
import { setTrainingEvalHook } from '../train-eval-hook';
import type { HandlersOf, Post } from './handler';

const cache = new EvalCache();

/** The config the training hook uses: the one the UI sent last. */
let trainingConfig: EvalConfig = DEFAULT_EVAL_CONFIG;
/** The last training step evaluated, per training run. */
const lastEvaluatedStep = new Map<RunId, number>();

const TARGET_WORDS: Record<EvalTargetKind, string> = {
  base: 'M',
  patched: 'M+P',
  reference: 'M′',
  control: 'M+R',
};

async function evaluateCommand(
  runId: RunId,
  kind: EvalTargetKind,
  config: EvalConfig,
  force: boolean,
  post: Post,
  controlShape?: EvalControlShape,
): Promise<void> {
  post({ type: 'run-started', runId, kind: 'evaluate', label: `Evaluating ${TARGET_WORDS[kind]}` });
  const fingerprint = requireModel(kind === 'reference' ? 'reference' : 'base').summary
    .embeddingFingerprint;
  const control =
    kind === 'control'
      ? {
          template: await controlTemplate(requireModel('base'), controlShape),
          seed: controlSeed(config),
        }
      : null;
  const key =
    kind === 'patched'
      ? null
      : control
        ? controlCacheKey(fingerprint, evalConfigKey(config), control.seed, control.template)
        : evalCacheKey(kind, fingerprint, evalConfigKey(config));
  if (key && !force) {
    const hit = await cache.get(key);
    if (hit) {
      const cached = { ...hit, cached: true };
      void noteEvalResult(cached);
      post({ type: 'eval-result', runId, result: cached });
      post({ type: 'run-done', runId });
      return;
    }
  }
  const target = await resolveTarget(kind, null, null, control);
  try {
    const result = await runEvaluation({
      runId,
      target,
      config,
      step: null,
      trainRunId: null,
      post,
    });
    if (key) {
      const { persisted } = await cache.put(key, result);
      if (!persisted) {
        post({
          type: 'eval-warning',
          runId,
          message:
            'This browser would not store the result (IndexedDB unavailable): it will be recomputed after a reload.',
        });
      }
    }
    void noteEvalResult(result);
    post({ type: 'eval-result', runId, result });
    post({ type: 'run-done', runId });
  } catch (e) {
    if (isCancelled(runId)) {
      post({ type: 'run-cancelled', runId });
      return;
    }
    throw e;
  } finally {
    if (target.ownsPrefix) target.prefix?.dispose();
  }
}

// Training waits for the hook, and a throw would fail the training step: every
// failure here becomes this evaluation's own run-error, never the trainer's.
const workerPost: Post = (e) => (globalThis as unknown as { postMessage?: Post }).postMessage?.(e);

/** Installed at load: evaluates the training patch when the settings ask for it. */
export async function evaluateDuringTraining(
  trainRunId: RunId,
  step: number,
  prefix: tf.Tensor2D,
  stopSignal: AbortSignal | null = null,
  post: Post = workerPost,
): Promise<void> {
  const config = trainingConfig;
  if (!config.duringTraining.enabled) return;
  const last = lastEvaluatedStep.get(trainRunId);
  if (last !== undefined && step - last < Math.max(1, config.duringTraining.everySteps)) return;
  lastEvaluatedStep.set(trainRunId, step);
  const runId = trainingEvalRunId(trainRunId, step);
  // Stopping the training run cancels its evaluation too.
  const stop = () => cancelRun(runId);
  if (stopSignal?.aborted) stop();
  stopSignal?.addEventListener('abort', stop, { once: true });
  post({ type: 'run-started', runId, kind: 'evaluate', label: `Evaluating M+P at step ${step}` });
  try {
    const target = await resolveTarget('patched', prefix, `patch at step ${step}`);
    const result = await runEvaluation({ runId, target, config, step, trainRunId, post });
    void noteEvalResult(result);
    post({ type: 'eval-result', runId, result });
    post({ type: 'run-done', runId });
  } catch (e) {
    post(
      isCancelled(runId)
        ? { type: 'run-cancelled', runId }
        : { type: 'run-error', runId, ...errorInfo(e) },
    );
  } finally {
    stopSignal?.removeEventListener('abort', stop);
    // Started by the training hook, not the dispatcher: forget its controller here.
    forgetRun(runId);
  }
}

setTrainingEvalHook((runId, step, prefix, signal) =>
  evaluateDuringTraining(runId, step, prefix, signal),
);

/** Test seam: the config the training hook would use now. */
export function currentTrainingConfig(): EvalConfig {
  return trainingConfig;
}

export const evalHandlers: HandlersOf<EvalCommand> = {
  evaluate: (cmd, post) =>
    evaluateCommand(cmd.runId, cmd.target, cmd.config, cmd.force, post, cmd.controlShape),
  'eval-configure': async (cmd) => {
    trainingConfig = cmd.config;
  },
  'eval-restore-history': async (cmd, post) => {
    post({ type: 'eval-history', requestId: cmd.requestId, results: await restoredEvalResults() });
  },
};
