// Cancellation, in one place: each run id has one AbortController. The
// cancel command aborts it, and every long job either passes the signal on
// (downloads, generation, collection, evaluation) or checks it between steps
// (training). A cancel can arrive before its run starts (the run waits at the
// backend gate), so cancelling an unknown id leaves an aborted controller for
// the run to find.
import type { RunId } from '../protocol/messages';

const controllers = new Map<RunId, AbortController>();

function controllerOf(runId: RunId): AbortController {
  let c = controllers.get(runId);
  if (!c) {
    c = new AbortController();
    controllers.set(runId, c);
  }
  return c;
}

/** The signal that aborts when run `runId` is cancelled. */
export function runSignal(runId: RunId): AbortSignal {
  return controllerOf(runId).signal;
}

export function cancelRun(runId: RunId): void {
  controllerOf(runId).abort(new DOMException('Cancelled', 'AbortError'));
}

export function isCancelled(runId: RunId): boolean {
  return controllers.get(runId)?.signal.aborted ?? false;
}

/** Drops a finished run's controller (the dispatcher calls it when the run's handler settles). */
export function forgetRun(runId: RunId): void {
  controllers.delete(runId);
}
