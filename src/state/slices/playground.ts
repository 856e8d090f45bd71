import type { LabEvent } from '../../worker/protocol';
import type { LabState } from '../lab-store';

export type PlaygroundState = Record<never, never>;

export const initialPlaygroundState: PlaygroundState = {};

/** How a playground event changes the state; null when the event is not this slice's. */
export function reducePlaygroundEvent(_s: LabState, _e: LabEvent): Partial<LabState> | null {
  return null;
}
