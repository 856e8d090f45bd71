// The newest composition report the page knows: the one just computed, or
// after a reload the newest stored one (answer to composition-restore), with
// the settings it ran under. The stack composer shows it for its stack.
import type { CompositionResult, LabEvent } from '../../protocol/messages';
import { sliceReducer } from './slice';

export interface CompositionState {
  composition: CompositionResult | null;
}

export const initialCompositionState: CompositionState = { composition: null };

function patchComposition(s: CompositionState, e: LabEvent): Partial<CompositionState> | null {
  switch (e.type) {
    case 'composition-result':
      return { composition: e.result };
    case 'composition-latest':
      // A report computed meanwhile is newer than the stored one.
      return e.result && !s.composition ? { composition: e.result } : null;
    default:
      return null;
  }
}

export const reduceCompositionEvent = sliceReducer(patchComposition);
