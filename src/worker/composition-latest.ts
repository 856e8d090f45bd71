// The last composition report per set of library patches, so that stacking
// them into a new patch (PatchLibrary.compose) records what that order cost
// in the new manifest without the page sending the numbers back.
import { type CompositionReport, compositionSummary } from '../eval/composition-report';
import type { PatchComposition } from '../patch/types';

const latest = new Map<string, CompositionReport>();
const setKey = (ids: readonly string[]) => [...ids].sort().join('\n');

export function noteCompositionReport(report: CompositionReport): void {
  latest.set(setKey(report.members.map((m) => m.id)), report);
}

/**
 * The manifest composition for library ids stacked in `order`, with parents
 * named by their tensor hashes; null when no report covered that order.
 */
export function compositionFor(
  order: string[],
  hashOf: (id: string) => string,
): PatchComposition | null {
  const report = latest.get(setKey(order));
  if (!report?.orders.some((o) => o.join('\n') === order.join('\n'))) return null;
  const s = compositionSummary(report, order);
  return {
    ...s,
    order: s.order.map(hashOf),
    recommendedOrder: s.recommendedOrder?.map(hashOf) ?? null,
  };
}
