// The stack composer's "Composition report" command: runs the worker's
// composition-report with the current eval settings and resolves with its
// table. Progress arrives as the run's ordinary run-progress events (the
// store's runs slice, as for any evaluation); `runId` lets the caller cancel.
import type { CompositionResult, RunId } from '../protocol/messages';
import type { LabClient } from './lab-client';

export function compositionReport(
  client: LabClient,
  patchIds: string[],
  orders?: string[][],
): { runId: RunId; result: Promise<CompositionResult | null> } {
  const runId = client.newRunId();
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
