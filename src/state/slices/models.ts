import type { LabEvent } from '../../worker/protocol';
import type { LabState } from '../lab-store';

export type ModelsState = Record<never, never>;

export const initialModelsState: ModelsState = {};

/** How a models event changes the state; null when the event is not this slice's. */
export function reduceModelsEvent(_s: LabState, _e: LabEvent): Partial<LabState> | null {
  return null;
}
