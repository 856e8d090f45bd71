// What a slice is: a part of the lab state and a pure reducer of worker
// events for it. The store hands every event to every slice (lab-store.ts);
// a slice that does not care about an event returns its state unchanged.
import type { LabEvent } from '../../protocol/messages';

export type SliceReducer<S> = (slice: S, e: LabEvent) => S;

/**
 * A slice reducer from a function that answers only its own events with a
 * patch (null or {} for any other): unchanged slices keep their identity, so
 * subscribers of other features do not re-render.
 */
export function sliceReducer<S extends object>(
  patchOf: (slice: S, e: LabEvent) => Partial<S> | null,
): SliceReducer<S> {
  return (slice, e) => {
    const patch = patchOf(slice, e);
    if (!patch || Object.keys(patch).length === 0) return slice;
    return { ...slice, ...patch };
  };
}
