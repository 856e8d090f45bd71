// The stack composer's "Composition report" command: runs the worker's
// composition-report with the current eval settings and resolves with its
// table. The request is checked here first (requestedOrders), so a bad one
// fails with its reason before anything is sent. Progress arrives as the
// run's ordinary run-progress events; `runId` lets the caller cancel. The
// result also lands in the store (slices/composition.ts), as does the newest
// stored report that `restoreComposition` asks for after a reload.
import { requestedOrders } from '../protocol/composition';
import type { CompositionResult, RunId } from '../protocol/messages';
import type { LabClient } from './lab-client';

export function compositionReport(
  client: LabClient,
  patchIds: string[],
  orders?: string[][],
): { runId: RunId; result: Promise<CompositionResult | null> } {
  const runId = client.newRunId();
  try {
    requestedOrders({ patchIds, orders });
  } catch (e) {
    return { runId, result: Promise.reject(e) };
  }
  let result: CompositionResult | null = null;
  const stop = client.subscribe((e) => {
    if (e.type === 'composition-result' && e.runId === runId) result = e.result;
  });
  const config = client.store.getState().evaluation.config;
  const done = client
    .run({ type: 'composition-report', runId, patchIds, config, ...(orders ? { orders } : {}) })
    .then(() => result)
    .finally(stop);
  return { runId, result: done };
}

/** Asks the worker for the newest stored report; it lands in the store. Null when there is none. */
export function restoreComposition(client: LabClient): Promise<CompositionResult | null> {
  return client
    .query({ type: 'composition-restore' }, 'composition-latest')
    .then((e) => e.result)
    .catch(() => null);
}
