import type { LabEvent } from '../../worker/protocol';
import type { LabState } from '../lab-store';

export type PatchesState = Record<never, never>;

export const initialPatchesState: PatchesState = {};

/** How a patches event changes the state; null when the event is not this slice's. */
export function reducePatchesEvent(_s: LabState, _e: LabEvent): Partial<LabState> | null {
  return null;
}
