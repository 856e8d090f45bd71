// The training run loop: steps a Trainer until it is done, and between steps
// gives the worker's message queue a turn, so pause / resume / stop /
// step-once commands land while a run is going. It reports every update and
// every change of status or activity (stepping, evaluating at step k,
// checkpointing, stopping), checkpoints after the first update (so a reload
// loses at most one interval from the very start), on the recipe's schedule
// and whenever the run halts, stops a running evaluation when the user stops, and turns the failures a user can act on (NaN/Inf, out of
// memory, lost device) into a paused or failed run with the last good state
// saved, instead of an exception.
import type { tf } from '../engine/tf';
import type {
  RunId,
  TrainActivity,
  TrainControlAction,
  TrainProblem,
  TrainRunStatus,
  TrainStatusInfo,
  TrainStepPoint,
} from '../protocol/messages';
import type { TrainerCheckpoint } from '../train/checkpoint';
import { NonFiniteError } from '../train/errors';
import type { StepResult, Trainer, TrainerHooks } from '../train/trainer';
import { classifyDeviceError, describeDeviceFailure } from './train-device-error';
import type { TrainingEvalHook } from './train-eval-hook';

/** Where the loop's checkpoints go (IndexedDB in the worker, memory in tests). */
export interface CheckpointSink {
  save(id: string, checkpoint: TrainerCheckpoint, points: TrainStepPoint[]): Promise<void>;
}

export interface TrainLoopOptions {
  runId: RunId;
  /** The checkpoint slot this run writes (a resumed run keeps its original one). */
  checkpointId: string;
  /** Builds the trainer (fresh or from a checkpoint) with the loop's hooks. */
  createTrainer: (hooks: TrainerHooks) => Trainer | Promise<Trainer>;
  checkpoints: CheckpointSink;
  onStep: (point: TrainStepPoint) => void;
  onStatus: (info: TrainStatusInfo) => void;
  /** Polled between steps: the core 'cancel' command ends the run like 'stop'. */
  isCancelled?: () => boolean;
  /** Read at every evaluation, so a hook installed mid-run is used. */
  evalHook?: () => TrainingEvalHook | null;
  /** Points of the run so far (a resumed run's history), kept in checkpoints. */
  history?: TrainStepPoint[];
  /** Start paused (a resume offer the user has not confirmed yet). */
  startPaused?: boolean;
  /** The checkpoint a resumed run starts from: the readout shows it until the next one is written. */
  resumedFrom?: { id: string; step: number; savedAt: string } | null;
}

export type TrainLoopOutcome = 'done' | 'stopped' | 'failed';

/**
 * Whether the loop checkpoints after update `step`: after the first one (a
 * reload right after starting loses nothing but that update) and then every
 * `every` updates (0 = only the first, on halts and at the end).
 */
export function isCheckpointStep(step: number, every: number): boolean {
  return step === 1 || (every > 0 && step % every === 0);
}

/** A macrotask: lets queued worker messages (control commands) run. */
const nextMacrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Paused loops also wake this often to notice a cancelled run. */
const PAUSED_POLL_MS = 200;

/** Weight of the newest step in the pace estimate (an exponential moving average). */
const PACE_SMOOTHING = 0.3;

export class TrainLoop {
  private trainer: Trainer | null = null;
  private status: TrainRunStatus = 'starting';
  private paused: boolean;
  private stopRequested = false;
  private stepOnceRequested = false;
  private wake: (() => void) | null = null;
  private problem: TrainProblem | null = null;
  private lastCheckpoint: { id: string; step: number; savedAt: string } | null = null;
  private readonly points: TrainStepPoint[];
  private msPerStep: number | null = null;
  private savedPatch: { id: string; name: string } | null = null;
  private activity: TrainActivity = { kind: 'stepping' };
  /** The recipe the trainer runs, read once (getState copies the whole patch). */
  private recipe: TrainerCheckpoint['recipe'] | null = null;
  /** Aborts the evaluation in progress (if any) when the user stops. */
  private evalAbort: AbortController | null = null;

  constructor(private readonly opts: TrainLoopOptions) {
    this.points = [...(opts.history ?? [])];
    this.paused = opts.startPaused ?? false;
    this.lastCheckpoint = opts.resumedFrom ?? null;
  }

  get runId(): RunId {
    return this.opts.runId;
  }

  get currentStatus(): TrainRunStatus {
    return this.status;
  }

  /** The trainer, once run() has built it. */
  get trainerOrNull(): Trainer | null {
    return this.trainer;
  }

  get history(): readonly TrainStepPoint[] {
    return this.points;
  }

  /** Applies a control command. Returns false when it does not apply now (e.g. resume while running). */
  control(action: TrainControlAction): boolean {
    const live =
      this.status === 'starting' || this.status === 'running' || this.status === 'paused';
    if (!live) return false;
    switch (action) {
      case 'pause':
        if (this.paused) return false;
        this.paused = true;
        break;
      case 'resume':
        if (!this.paused) return false;
        this.paused = false;
        this.problem = null;
        break;
      case 'step-once':
        if (!this.paused) return false;
        this.stepOnceRequested = true;
        this.problem = null;
        break;
      case 'stop':
        if (this.stopRequested) return false;
        this.stopRequested = true;
        this.evalAbort?.abort(new DOMException('Training stopped', 'AbortError'));
        // Said at once, even while an evaluation or a step winds down.
        this.activity = { kind: 'stopping' };
        this.emitStatus();
        break;
    }
    this.wake?.();
    return true;
  }

  /** Records the patch saved from this run, and tells the UI. */
  markSaved(patch: { id: string; name: string }): void {
    this.savedPatch = patch;
    this.emitStatus();
  }

  statusInfo(): TrainStatusInfo {
    const t = this.trainer;
    const live =
      this.status === 'starting' || this.status === 'running' || this.status === 'paused';
    return {
      status: this.status,
      activity: live ? this.activity : null,
      step: t?.completedSteps ?? 0,
      totalSteps: t?.totalSteps ?? 0,
      stage: t?.stage ?? 'sft',
      checkpoint: this.lastCheckpoint,
      problem: this.problem,
      savedPatch: this.savedPatch,
      recipe: this.recipe,
    };
  }

  /** Runs until the trainer is done, the user stops, or a failure ends the run. */
  async run(): Promise<TrainLoopOutcome> {
    const hooks: TrainerHooks = {
      onEvaluate: async (step: number, prefix: tf.Tensor2D) => {
        const hook = this.opts.evalHook?.();
        if (!hook || this.stopRequested) return;
        this.evalAbort = new AbortController();
        this.setActivity({ kind: 'evaluating', step, startedAt: Date.now() });
        try {
          await hook(this.opts.runId, step, prefix, this.evalAbort.signal);
        } finally {
          this.evalAbort = null;
          if (!this.stopRequested) this.setActivity({ kind: 'stepping' });
        }
      },
      // The on-policy negatives step between SFT and DPO: its own progress,
      // then back to stepping once the first DPO update runs.
      onProgress: (p) => {
        if (this.stopRequested) return;
        const startedAt = this.activity.kind === 'negatives' ? this.activity.startedAt : Date.now();
        this.setActivity(
          p.done >= p.total
            ? { kind: 'stepping' }
            : {
                kind: 'negatives',
                step: this.trainer?.completedSteps ?? 0,
                done: p.done,
                total: p.total,
                startedAt,
              },
        );
      },
    };
    // Checkpoints are the loop's job, not the trainer's hook: the slot also
    // keeps the chart points, which exist only once step() has returned.
    const trainer = await this.opts.createTrainer(hooks);
    this.trainer = trainer;
    this.recipe = trainer.getState().recipe;
    const every = this.recipe.checkpointEvery;
    this.setStatus(this.paused ? 'paused' : 'running');

    while (!trainer.done) {
      if (this.stopRequested || this.opts.isCancelled?.()) {
        await this.checkpointNow();
        this.setStatus('stopped');
        return 'stopped';
      }
      if (this.paused && !this.stepOnceRequested) {
        if (this.status !== 'paused') {
          await this.checkpointNow();
          this.setStatus('paused');
        }
        await this.waitForControl();
        continue;
      }
      const once = this.stepOnceRequested;
      this.stepOnceRequested = false;
      if (this.status !== 'running') this.setStatus('running');

      let result: StepResult;
      try {
        result = await trainer.step();
      } catch (e) {
        const outcome = await this.handleStepFailure(e);
        if (outcome) return outcome;
        continue;
      }
      this.recordStep(result);
      if (isCheckpointStep(result.step, every) || trainer.done) await this.checkpointNow();
      if (once) this.paused = true;
      await nextMacrotask();
    }
    this.setStatus('done');
    return 'done';
  }

  /** Handles an exception from step(): pauses (NaN) or ends (device, bug) the run. */
  private async handleStepFailure(e: unknown): Promise<TrainLoopOutcome | null> {
    const trainer = this.trainer!;
    if (e instanceof NonFiniteError) {
      // The trainer refused the update: its state is still the last good one.
      this.problem = {
        kind: 'non-finite',
        stage: e.stage,
        step: e.step,
        quantity: e.quantity,
        message: `The ${e.quantity} became NaN or infinite at ${e.stage.toUpperCase()} step ${e.step}. The run paused; the last good state (step ${e.step - 1}) is saved.`,
      };
      this.paused = true;
      await this.checkpointNow();
      this.setStatus('paused');
      return null;
    }
    const kind = classifyDeviceError(e);
    const batchSize = trainer.getState().recipe.batchSize;
    this.problem = kind
      ? { kind, message: describeDeviceFailure(kind, batchSize), batchSize }
      : { kind: 'other', message: e instanceof Error ? e.message : String(e) };
    // The trainer keeps its state in JS arrays and applies an update only
    // after the whole step succeeded, so even after a lost device it is the
    // last good state and worth saving.
    try {
      await this.checkpointNow();
    } catch {
      // Saving can fail for the same reason the step did; the previous
      // checkpoint (if any) is still in IndexedDB.
    }
    this.setStatus('failed');
    return 'failed';
  }

  private recordStep(r: StepResult): void {
    const trainer = this.trainer!;
    this.msPerStep =
      this.msPerStep === null
        ? r.ms
        : PACE_SMOOTHING * r.ms + (1 - PACE_SMOOTHING) * this.msPerStep;
    const remaining = trainer.totalSteps - r.step;
    const pairs = r.stage === 'dpo' ? trainer.dpoPairs : null;
    const point: TrainStepPoint = {
      stage: r.stage,
      step: r.step,
      totalSteps: trainer.totalSteps,
      stageStep: r.stageStep,
      loss: r.loss,
      lr: r.lr,
      gradNorm: r.gradNorm,
      tokensPerSecond: r.ms > 0 ? (r.tokens * 1000) / r.ms : 0,
      etaSeconds: (remaining * this.msPerStep) / 1000,
      rewardAccuracy: r.metrics.rewardAccuracy ?? null,
      rewardMargin: r.metrics.rewardMargin ?? null,
      pairsKept: pairs?.kept ?? null,
      pairsDropped: pairs?.dropped ?? null,
    };
    this.points.push(point);
    this.opts.onStep(point);
  }

  /** Saves the trainer's current state unless that exact step is already saved. */
  private async checkpointNow(): Promise<void> {
    const trainer = this.trainer;
    if (!trainer) return;
    if (this.lastCheckpoint?.step === trainer.completedSteps) return;
    await this.saveCheckpoint(trainer.getState());
  }

  private async saveCheckpoint(c: TrainerCheckpoint): Promise<void> {
    const before = this.activity;
    this.setActivity({ kind: 'checkpointing', step: c.step });
    try {
      await this.opts.checkpoints.save(this.opts.checkpointId, c, this.points.slice());
      this.lastCheckpoint = { id: this.opts.checkpointId, step: c.step, savedAt: c.savedAt };
    } finally {
      // Back to what the run was doing; the status now names the new checkpoint.
      this.setActivity(this.stopRequested ? { kind: 'stopping' } : before);
    }
  }

  private setActivity(activity: TrainActivity): void {
    this.activity = activity;
    this.emitStatus();
  }

  private waitForControl(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, PAUSED_POLL_MS);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  private setStatus(status: TrainRunStatus): void {
    this.status = status;
    this.emitStatus();
  }

  private emitStatus(): void {
    this.opts.onStatus(this.statusInfo());
  }
}
