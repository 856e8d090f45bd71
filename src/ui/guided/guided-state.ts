// The guided flow's step list as pure state: which step runs, which are
// done, which failed and why. The runner (run-guided.ts) dispatches actions;
// the card renders the state. Kept pure so every transition is unit-tested.
import type { RunId } from '../../protocol/messages';
import { GUIDED_STEPS, type GuidedStepId } from './guided-plan';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
export type FlowStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface StepState {
  status: StepStatus;
  /** One line on what happened (e.g. "24 pairs collected"), or the error. */
  detail: string | null;
}

export interface GuidedState {
  status: FlowStatus;
  steps: Record<GuidedStepId, StepState>;
  current: GuidedStepId | null;
  /** The latest worker run of the current step, for its progress bar. */
  runId: RunId | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export type GuidedAction =
  | { type: 'start'; at: number }
  | { type: 'step'; id: GuidedStepId }
  | { type: 'run'; runId: RunId }
  | { type: 'step-done'; id: GuidedStepId; detail: string | null }
  | { type: 'step-failed'; id: GuidedStepId; message: string }
  | { type: 'cancelled'; at: number }
  | { type: 'finished'; at: number };

const freshSteps = (): Record<GuidedStepId, StepState> =>
  Object.fromEntries(
    GUIDED_STEPS.map((s) => [s.id, { status: 'pending', detail: null }]),
  ) as Record<GuidedStepId, StepState>;

export const initialGuidedState: GuidedState = {
  status: 'idle',
  steps: freshSteps(),
  current: null,
  runId: null,
  startedAt: null,
  finishedAt: null,
};

const withStep = (s: GuidedState, id: GuidedStepId, step: StepState): GuidedState => ({
  ...s,
  steps: { ...s.steps, [id]: step },
});

export function reduceGuided(s: GuidedState, a: GuidedAction): GuidedState {
  switch (a.type) {
    case 'start':
      return { ...initialGuidedState, steps: freshSteps(), status: 'running', startedAt: a.at };
    case 'step':
      if (s.status !== 'running') return s;
      return {
        ...withStep(s, a.id, { status: 'running', detail: null }),
        current: a.id,
        runId: null,
      };
    case 'run':
      return s.status === 'running' ? { ...s, runId: a.runId } : s;
    case 'step-done':
      if (s.status !== 'running') return s;
      return withStep(s, a.id, { status: 'done', detail: a.detail });
    case 'step-failed':
      // A failure after Cancel is the cancellation surfacing: keep "cancelled".
      if (s.status !== 'running') return s;
      return {
        ...withStep(s, a.id, { status: 'failed', detail: a.message }),
        status: 'failed',
        runId: null,
      };
    case 'cancelled': {
      if (s.status !== 'running') return s;
      const cur = s.current;
      const next = cur ? withStep(s, cur, { status: 'cancelled', detail: null }) : s;
      return { ...next, status: 'cancelled', runId: null, finishedAt: a.at };
    }
    case 'finished':
      if (s.status !== 'running') return s;
      return { ...s, status: 'done', current: null, runId: null, finishedAt: a.at };
  }
}

/** Steps finished, for the overall progress bar. */
export function stepsDone(s: GuidedState): number {
  return GUIDED_STEPS.filter((x) => s.steps[x.id].status === 'done').length;
}
