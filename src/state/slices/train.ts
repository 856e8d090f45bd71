// Training as the UI sees it: the collected set (summary and sample pairs),
// the active run's status and loss history, and the checkpoints a reload can
// resume. Everything lives under one `train` key so the slice never collides
// with another feature's state.
import type {
  CollectedSummary,
  LabEvent,
  RunId,
  TrainCheckpointInfo,
  TrainStageName,
  TrainStatusInfo,
  TrainStepPoint,
} from '../../protocol/messages';
import { sliceReducer } from './slice';

export interface TrainSliceState {
  /** The latest collect run (progress and errors are in s.runs[collectRunId]). */
  collectRunId: RunId | null;
  collected: CollectedSummary | null;
  /** The active (or last) training run. */
  runId: RunId | null;
  status: TrainStatusInfo | null;
  /** Every update of the run so far, in step order (a resumed run includes its history). */
  points: TrainStepPoint[];
  /** Unfinished checkpoints in IndexedDB, newest first: the resume offer. */
  resumable: TrainCheckpointInfo[];
}

export interface TrainState {
  train: TrainSliceState;
}

export const initialTrainState: TrainState = {
  train: {
    collectRunId: null,
    collected: null,
    runId: null,
    status: null,
    points: [],
    resumable: [],
  },
};

function patchTrainEvent(s: TrainState, e: LabEvent): Partial<TrainState> | null {
  const t = s.train;
  switch (e.type) {
    case 'run-started':
      // The collect run in progress, wherever it was started (panel, guided demo).
      return e.kind === 'collect' ? { train: { ...t, collectRunId: e.runId } } : null;
    case 'collected':
      return { train: { ...t, collectRunId: e.runId, collected: e.summary } };
    case 'collected-lookup':
      // A set stored for the current key is as good as one collected now; no
      // stored set leaves what is on screen (a collect run may be answering).
      return e.summary ? { train: { ...t, collected: e.summary } } : null;
    case 'train-status':
      // A status from another run id starts a new run: its history (if it
      // resumes a checkpoint) arrives as train-step events next.
      if (e.runId !== t.runId) {
        return { train: { ...t, runId: e.runId, status: e.info, points: [] } };
      }
      return { train: { ...t, status: e.info } };
    case 'train-step': {
      if (e.runId !== t.runId) return { train: t };
      return { train: { ...t, points: appendPoint(t.points, e.point) } };
    }
    case 'train-checkpoints':
      return { train: { ...t, resumable: e.checkpoints } };
    default:
      return null;
  }
}

/**
 * Appends a point, dropping any at or after its step first: a run resumed
 * from a checkpoint replays steps after it, and the chart must show the
 * resumed values, not both.
 */
export function appendPoint(points: TrainStepPoint[], p: TrainStepPoint): TrainStepPoint[] {
  const last = points.at(-1);
  if (!last || last.step < p.step) return [...points, p];
  return [...points.filter((q) => q.step < p.step), p];
}

/** The run's points of one stage (the charts draw one per stage). */
export function stagePoints(points: TrainStepPoint[], stage: TrainStageName): TrainStepPoint[] {
  return points.filter((p) => p.stage === stage);
}

/** True while a run can take pause/resume/stop/step-once. */
export function isRunLive(status: TrainStatusInfo | null): boolean {
  return (
    status?.status === 'starting' || status?.status === 'running' || status?.status === 'paused'
  );
}

/** The train slice's reducer: every event goes through it; events of other features leave it as it was. */
export const reduceTrainEvent = sliceReducer(patchTrainEvent);
