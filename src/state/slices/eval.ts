import type { LabEvent } from '../../worker/protocol';
import type { LabState } from '../lab-store';

export type EvalState = Record<never, never>;

export const initialEvalState: EvalState = {};

/** How a eval event changes the state; null when the event is not this slice's. */
export function reduceEvalEvent(_s: LabState, _e: LabEvent): Partial<LabState> | null {
  return null;
}
