import type { LabEvent } from '../../worker/protocol';
import type { LabState } from '../lab-store';

export type TrainState = Record<never, never>;

export const initialTrainState: TrainState = {};

/** How a train event changes the state; null when the event is not this slice's. */
export function reduceTrainEvent(_s: LabState, _e: LabEvent): Partial<LabState> | null {
  return null;
}
