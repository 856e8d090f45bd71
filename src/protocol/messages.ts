// The one typed contract between the UI thread and the lab worker. Commands
// go in, events come out; every event of a run carries its run id, and
// failures travel as events (never swallowed, never thrown across threads).
// One file per feature (core, models, data, train, eval, playground,
// patches, and base for the ids): a new feature adds a file and a line in
// each union below. Import from here.
import type { RequestId, RunId } from './base';
import type { CompositionCommand, CompositionEvent } from './composition';
import type { CoreCommand, CoreEvent } from './core';
import type { DataCommand, DataEvent } from './data';
import type { EvalCommand, EvalEvent } from './eval';
import type { JointRetrainCommand, JointRetrainEvent } from './joint-retrain';
import type { ModelCommand, ModelEvent } from './models';
import type { PatchCommand, PatchEvent } from './patches';
import type { PlaygroundCommand, PlaygroundEvent } from './playground';
import type { RunBundleCommand } from './run-bundle';
import type { TrainCommand, TrainEvent } from './train';

export type * from './base';
export type * from './composition';
export type * from './core';
export type * from './data';
export type * from './eval';
export type * from './joint-retrain';
export type * from './models';
export type * from './patches';
export type * from './playground';
export type * from './run-bundle';
export type * from './train';

export type LabCommand =
  | CoreCommand
  | ModelCommand
  | DataCommand
  | TrainCommand
  | EvalCommand
  | PlaygroundCommand
  | PatchCommand
  | RunBundleCommand
  | CompositionCommand
  | JointRetrainCommand;
export type LabEvent =
  | CoreEvent
  | ModelEvent
  | DataEvent
  | TrainEvent
  | EvalEvent
  | PlaygroundEvent
  | PatchEvent
  | CompositionEvent
  | JointRetrainEvent;

export type LabEventOf<T extends LabEvent['type']> = Extract<LabEvent, { type: T }>;
/** Commands that start a run (the client awaits its run-done / run-cancelled / run-error). */
export type RunCommand = Extract<LabCommand, { runId: RunId }>;
/** Commands that only ask for data; each has one answer event carrying its requestId. */
export type QueryCommand = Extract<LabCommand, { requestId: RequestId }>;
export type LabCommandOf<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;

/** Events that belong to a run carry a runId; this narrows to them. */
export function isRunEvent(e: LabEvent): e is Extract<LabEvent, { runId: RunId }> {
  return 'runId' in e;
}
