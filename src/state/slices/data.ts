import type { LabEvent } from '../../worker/protocol';
import type { LabState } from '../lab-store';

export type DataState = Record<never, never>;

export const initialDataState: DataState = {};

/** How a data event changes the state; null when the event is not this slice's. */
export function reduceDataEvent(_s: LabState, _e: LabEvent): Partial<LabState> | null {
  return null;
}
