// The lab's UI state, framework-free (zustand/vanilla): the core plus one
// slice per feature (src/state/slices/). Each slice owns its part and reduces
// every worker event; only the page's client (src/client/) writes the store,
// and React components subscribe through useLabStore.
import { createStore } from 'zustand/vanilla';
import type { LabEvent } from '../protocol/messages';
import {
  type CompositionState,
  initialCompositionState,
  reduceCompositionEvent,
} from './slices/composition';
import { type CoreState, initialCoreState, reduceCoreEvent } from './slices/core';
import { type DataState, initialDataState, reduceDataEvent } from './slices/data';
import { type EvalState, initialEvalState, reduceEvalEvent } from './slices/eval';
import { initialModelsState, type ModelsState, reduceModelsEvent } from './slices/models';
import { initialPatchesState, type PatchesState, reducePatchesEvent } from './slices/patches';
import {
  initialPlaygroundState,
  type PlaygroundState,
  reducePlaygroundEvent,
} from './slices/playground';
import { initialRecipeState, type RecipeState, reduceRecipeEvent } from './slices/recipe';
import type { SliceReducer } from './slices/slice';
import { initialTrainState, reduceTrainEvent, type TrainState } from './slices/train';

export type { CoreState, RunState, RunStatus } from './slices/core';

/** The whole lab state: the core plus one slice per feature. */
export type LabState = CoreState &
  ModelsState &
  DataState &
  TrainState &
  EvalState &
  PlaygroundState &
  PatchesState &
  CompositionState &
  RecipeState;

interface Slice<S extends object> {
  initial: S;
  reduce: SliceReducer<S>;
}

const slice = <S extends object>(initial: S, reduce: SliceReducer<S>): Slice<object> =>
  ({ initial, reduce }) as unknown as Slice<object>;

/** Every slice, with the keys of the lab state it owns (those of its initial state). */
const SLICES: Slice<object>[] = [
  slice(initialCoreState, reduceCoreEvent),
  slice(initialModelsState, reduceModelsEvent),
  slice(initialDataState, reduceDataEvent),
  slice(initialTrainState, reduceTrainEvent),
  slice(initialEvalState, reduceEvalEvent),
  slice(initialPlaygroundState, reducePlaygroundEvent),
  slice(initialPatchesState, reducePatchesEvent),
  slice(initialCompositionState, reduceCompositionEvent),
  slice(initialRecipeState, reduceRecipeEvent),
];

export const initialLabState = Object.assign({}, ...SLICES.map((x) => x.initial)) as LabState;

/**
 * Pure: how one worker event changes the state. Every slice sees the event
 * and returns its own part; the state keeps its identity when none changed.
 */
export function reduceLabEvent(s: LabState, e: LabEvent): LabState {
  let next = s;
  for (const { initial, reduce } of SLICES) {
    const part = Object.fromEntries(
      Object.keys(initial).map((k) => [k, s[k as keyof LabState]]),
    ) as object;
    const reduced = reduce(part, e);
    if (reduced !== part) next = { ...next, ...reduced };
  }
  return next;
}

export function createLabStore() {
  return createStore<LabState>()(() => ({ ...initialLabState }));
}

export type LabStore = ReturnType<typeof createLabStore>;
