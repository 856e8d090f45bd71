// Composition-report messages: evaluate each patch of a stack alone and in
// every order (or, for 4 patches, the chosen orders), and get the
// interference table (src/eval/composition-report.ts). The last report comes
// back after a reload through `composition-restore`.
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import {
  CompositionError,
  type CompositionReport,
  ordersToEvaluate,
} from '../eval/composition-report';
import type { RequestId, WithRequestId, WithRunId } from './base';
import type { EvalConfig } from './eval';

export interface CompositionResult {
  /** Library ids of the stack's patches, in the order the user listed them. */
  patchIds: string[];
  report: CompositionReport;
  /** The evaluation settings every evaluation of the report ran under (shown with the report). */
  config: EvalConfig;
  /** The eval config key every evaluation of the report ran under. */
  configKey: string;
  /** How many of the evaluations came from the cache. */
  cachedEvaluations: number;
  /** True when the whole report came from the composition store (nothing evaluated). */
  cachedReport: boolean;
  /** ISO time the report was computed. */
  computedAt: string;
}

export type CompositionCommand =
  /**
   * Runs the report on 2–4 library patches. `orders` (library ids) is for 4
   * patches only: exactly those orders are evaluated; absent = all k!.
   */
  | WithRunId<{
      type: 'composition-report';
      patchIds: string[];
      orders?: string[][];
      config: EvalConfig;
    }>
  /** The newest stored report with its settings: a query answered by 'composition-latest'. */
  | WithRequestId<{ type: 'composition-restore' }>;

export type CompositionEvent =
  | WithRunId<{ type: 'composition-result'; result: CompositionResult }>
  | { type: 'composition-latest'; requestId: RequestId | null; result: CompositionResult | null };

const isIdList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * The orders a composition-report command asks for, or a CompositionError
 * that says what is wrong (too many patches, an order that is not a
 * permutation of the stack, a subset for k ≤ 3…). Both sides call it: the
 * page before sending, the worker before it loads or evaluates anything.
 */
export function requestedOrders(cmd: { patchIds: unknown; orders?: unknown }): string[][] {
  if (!isIdList(cmd.patchIds)) throw new CompositionError('patchIds must be a list of patch ids.');
  if (cmd.orders !== undefined) {
    if (!Array.isArray(cmd.orders)) throw new CompositionError('orders must be a list of orders.');
    cmd.orders.forEach((o, i) => {
      if (!isIdList(o)) throw new CompositionError(`Order ${i + 1} is not a list of patch ids.`);
    });
  }
  return ordersToEvaluate(cmd.patchIds, cmd.orders as string[][] | undefined);
}
