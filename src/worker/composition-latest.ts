// The worker's composition reports (composition-store.ts, IndexedDB): the
// handler stores each finished report here, a reload asks for the newest, and
// stacking patches into a new one (PatchLibrary.compose) records what that
// order cost in the new manifest without the page sending the numbers back,
// also after a reload. Reports are matched to a stack by the patches'
// tensor hashes, so a re-imported copy of a measured patch still matches.
import { compositionSummary } from '../eval/composition-report';
import type { PatchComposition } from '../patch/types';
import type { CompositionResult } from '../protocol/messages';
import { type CompositionRecord, CompositionStore } from './composition-store';

let store = new CompositionStore();

/** Test seam: use this store from now on. */
export function useCompositionStore(s: CompositionStore): void {
  store = s;
}

export function compositionStore(): CompositionStore {
  return store;
}

export function noteCompositionResult(record: CompositionRecord): Promise<void> {
  return store.put(record);
}

/** The newest report, for a freshly loaded page; null when none was stored. */
export async function latestCompositionResult(): Promise<CompositionResult | null> {
  return (await store.newest())?.result ?? null;
}

/**
 * The manifest composition for patches stacked in this order (tensor hashes,
 * first = leftmost), from the newest report that measured exactly these
 * patches in this order; null when none did.
 */
export async function compositionFor(orderHashes: string[]): Promise<PatchComposition | null> {
  const want = [...orderHashes].sort().join('\n');
  for (const record of await store.all()) {
    if ([...record.hashes].sort().join('\n') !== want) continue;
    const hashOf = new Map(record.result.patchIds.map((id, i) => [id, record.hashes[i]]));
    const idOf = new Map(record.result.patchIds.map((id, i) => [record.hashes[i], id]));
    const order = orderHashes.map((h) => idOf.get(h) as string);
    const { report } = record.result;
    if (!report.orders.some((o) => o.join('\n') === order.join('\n'))) continue;
    const s = compositionSummary(report, order);
    const hash = (id: string) => hashOf.get(id) ?? id;
    return {
      ...s,
      order: s.order.map(hash),
      recommendedOrder: s.recommendedOrder?.map(hash) ?? null,
    };
  }
  return null;
}
