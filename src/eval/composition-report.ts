// The composition report: what stacking cost. For a stack of k ≤ 4 patches,
// each patch is evaluated alone and every order of the stack (k!, or a chosen
// subset) is evaluated, all with the same sets, sampling, seeds and judges.
// Per (domain, order) the table holds the gap closed by the domain's own
// patch alone, the gap closed by the stack, and the loss (alone − stacked)
// with a paired bootstrap interval: each resample draws one set of prompt
// indices and applies it to M, M′, the patch alone and the stack, so the
// interval reflects which prompts were drawn, not four independent draws.
// The recommended order is the one with the highest mean stacked gap closed
// over the stack's domains (equivalently, the lowest mean loss).
// Pure logic over reports; the runner `runComposition` takes the evaluation
// as a callback so it works in the worker, in Node and in tests alike.
import type { Domain } from '../data/types';
import { type GapDomain, gapClosedOn } from './gap-table';
import {
  type BootstrapInterval,
  type BootstrapOptions,
  bootstrapInterval,
  undefinedInterval,
} from './metrics/bootstrap';
import { type GapClosedEstimate, gapClosed } from './metrics/gap-closed';
import { statisticOf } from './metrics/per-prompt';
import type { EvalReport } from './report';

export const MAX_STACK = 4;

/** A patch's own domain → the gap-table domain it is judged on. */
export const DOMAIN_GAP: Record<Domain, { gap: GapDomain; metricId: string }> = {
  toxicity: { gap: 'toxicity', metricId: 'toxicity.expectedMax' },
  bias: { gap: 'bias', metricId: 'bias.genderedShare' },
  harmful: { gap: 'refusal', metricId: 'harmful.refusalRate' },
};

export class CompositionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompositionError';
  }
}

export interface StackMember {
  /** Stable id (the patch's tensorSha256 or store id). */
  id: string;
  name: string;
  domains: Domain[];
}

/** Every order of `ids` (k! of them), lexicographic in the given order. */
export function allOrders<T>(ids: readonly T[]): T[][] {
  if (ids.length <= 1) return [ids.slice()];
  const out: T[][] = [];
  ids.forEach((id, i) => {
    const rest = [...ids.slice(0, i), ...ids.slice(i + 1)];
    for (const tail of allOrders(rest)) out.push([id, ...tail]);
  });
  return out;
}

/** Orders a stack of this many patches runs in full; above it the user chooses a subset. */
export const ALL_ORDERS_UP_TO = 3;

/**
 * The orders to evaluate, validated before anything is evaluated: all k! for
 * k ≤ 3 (a subset there is refused: six orders are cheap enough to run
 * them all); for k = 4 exactly the chosen orders, in the given order, each a
 * permutation of the stack and none twice (no subset = all 24, for scripts).
 */
export function ordersToEvaluate(ids: readonly string[], subset?: readonly string[][]): string[][] {
  if (ids.length < 2) throw new CompositionError('A composition report needs at least 2 patches.');
  if (ids.length > MAX_STACK) {
    throw new CompositionError(
      `A composition report covers at most ${MAX_STACK} patches, got ${ids.length}.`,
    );
  }
  if (new Set(ids).size !== ids.length)
    throw new CompositionError('The stack holds the same patch twice.');
  if (subset === undefined) return allOrders(ids);
  if (ids.length <= ALL_ORDERS_UP_TO) {
    throw new CompositionError(
      `A stack of ${ids.length} patches runs all ${allOrders(ids).length} orders; choosing orders is for ${MAX_STACK} patches.`,
    );
  }
  if (subset.length === 0) throw new CompositionError('Choose at least one order to evaluate.');
  const members = new Set(ids);
  const seen = new Map<string, number>();
  subset.forEach((o, i) => {
    const which = `Order ${i + 1}`;
    if (!Array.isArray(o)) throw new CompositionError(`${which} is not a list of patches.`);
    if (o.length !== ids.length) {
      throw new CompositionError(
        `${which} lists ${o.length} patches; the stack has ${ids.length}.`,
      );
    }
    const stranger = o.find((id) => !members.has(id));
    if (stranger !== undefined) {
      throw new CompositionError(`${which} names "${stranger}", which is not in the stack.`);
    }
    if (new Set(o).size !== o.length) throw new CompositionError(`${which} uses a patch twice.`);
    const key = o.join('\n');
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new CompositionError(`${which} repeats order ${earlier + 1}.`);
    seen.set(key, i);
  });
  return subset.map((o) => [...o]);
}

/**
 * The orders a 4-stack starts with selected: the stack as listed, its
 * reverse, and each rotation (every patch first once), so every patch is
 * measured both first and last. The user can add or drop any.
 */
export function defaultOrderChoice(ids: readonly string[]): string[][] {
  if (ids.length <= ALL_ORDERS_UP_TO) return allOrders(ids);
  const rotations = ids.map((_, i) => [...ids.slice(i), ...ids.slice(0, i)]);
  const picked = [rotations[0], [...ids].reverse(), ...rotations.slice(1)];
  const seen = new Set<string>();
  return picked.filter((o) => {
    const k = o.join('\n');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface LossEstimate {
  /** Gap closed alone − gap closed stacked (fraction; ×100 = points). */
  value: number;
  interval: BootstrapInterval;
  undefinedReason?: string;
}

/**
 * Loss of gap closed from alone to stacked with a paired bootstrap interval
 * over prompts (the same resampled indices for M, M′, alone and stacked).
 */
export function lossWithInterval(
  metricId: string,
  base: EvalReport,
  reference: EvalReport,
  alone: EvalReport,
  stacked: EvalReport,
  opts: BootstrapOptions = {},
): LossEstimate {
  const pp = [base, reference, alone, stacked].map(
    (r) => r.metrics.find((m) => m.id === metricId)?.perPrompt,
  );
  const a = gapClosedOn(metricId, base, alone, reference, opts);
  const s = gapClosedOn(metricId, base, stacked, reference, opts);
  const value = a.value - s.value;
  const [b, ref, al, st] = pp;
  const same =
    b &&
    ref &&
    al &&
    st &&
    [ref, al, st].every(
      (x) =>
        x.aggregate === b.aggregate &&
        x.keys.length === b.keys.length &&
        x.keys.every((k, i) => k === b.keys[i]),
    );
  if (!same || !b || !ref || !al || !st) {
    const reason = 'the reports lack per-prompt values on the same prompts';
    return {
      value,
      interval: undefinedInterval(b?.keys.length ?? 0, reason, opts),
      undefinedReason: reason,
    };
  }
  const interval = bootstrapInterval(
    b.keys.length,
    (idx) => {
      const m = statisticOf(b, idx);
      const r = statisticOf(ref, idx);
      return (
        gapClosed(m, statisticOf(al, idx), r).value - gapClosed(m, statisticOf(st, idx), r).value
      );
    },
    opts,
  );
  return Number.isNaN(value)
    ? { value, interval, undefinedReason: a.undefinedReason ?? s.undefinedReason ?? 'undefined' }
    : { value, interval };
}

export interface InterferenceCell {
  /** Patch ids in stack order. */
  order: string[];
  stacked: GapClosedEstimate;
  loss: LossEstimate;
}

export interface InterferenceRow {
  domain: Domain;
  metricId: string;
  /** The member whose own domain this is (the first, when several share it). */
  ownerId: string;
  alone: GapClosedEstimate;
  cells: InterferenceCell[];
}

export interface CompositionReport {
  members: StackMember[];
  orders: string[][];
  rows: InterferenceRow[];
  /** Per order (same index as `orders`), the mean stacked gap closed over the rows' domains. */
  meanStacked: number[];
  /** Index into `orders`; null when no order has a defined mean. */
  recommended: number | null;
}

export interface CompositionInputs {
  members: StackMember[];
  base: EvalReport;
  reference: EvalReport;
  /** Each member's report alone, by member id. */
  alone: Record<string, EvalReport>;
  /** Each order's stack report, same index as `orders`. */
  orders: string[][];
  stacked: EvalReport[];
}

export function compositionReport(
  inputs: CompositionInputs,
  opts: BootstrapOptions = {},
): CompositionReport {
  const { members, base, reference, alone, orders, stacked } = inputs;
  if (stacked.length !== orders.length) {
    throw new CompositionError(`${stacked.length} stack reports for ${orders.length} orders`);
  }
  const rows: InterferenceRow[] = [];
  const domains = [...new Set(members.flatMap((m) => m.domains))];
  for (const domain of domains) {
    const owner = members.find((m) => m.domains.includes(domain));
    if (!owner) continue;
    const aloneReport = alone[owner.id];
    if (!aloneReport) throw new CompositionError(`No report for "${owner.name}" alone.`);
    const { metricId } = DOMAIN_GAP[domain];
    rows.push({
      domain,
      metricId,
      ownerId: owner.id,
      alone: gapClosedOn(metricId, base, aloneReport, reference, opts),
      cells: orders.map((order, i) => ({
        order,
        stacked: gapClosedOn(metricId, base, stacked[i], reference, opts),
        loss: lossWithInterval(metricId, base, reference, aloneReport, stacked[i], opts),
      })),
    });
  }
  const meanStacked = orders.map((_, i) => {
    const vals = rows.map((r) => r.cells[i].stacked.value).filter((v) => Number.isFinite(v));
    return vals.length === rows.length && vals.length > 0
      ? vals.reduce((a, b) => a + b, 0) / vals.length
      : Number.NaN;
  });
  let recommended: number | null = null;
  meanStacked.forEach((v, i) => {
    if (Number.isFinite(v) && (recommended === null || v > meanStacked[recommended]))
      recommended = i;
  });
  return { members, orders, rows, meanStacked, recommended };
}

export interface CompositionRunOptions {
  members: StackMember[];
  /** Chosen orders when k = 4 (validated by ordersToEvaluate); default all. */
  subset?: string[][];
  /** Evaluates the given member ids stacked in that order (one id = the patch alone). */
  evaluateStack: (order: string[]) => Promise<EvalReport>;
  base: EvalReport;
  reference: EvalReport;
  onProgress?: (p: { done: number; total: number; label: string }) => void;
  /** Checked between evaluations; throw from it to cancel. */
  checkCancelled?: () => void;
  bootstrap?: BootstrapOptions;
}

/** Evaluates each member alone and every order, then builds the report. */
export async function runComposition(opts: CompositionRunOptions): Promise<{
  report: CompositionReport;
  alone: Record<string, EvalReport>;
  stacked: EvalReport[];
}> {
  const { members } = opts;
  const ids = members.map((m) => m.id);
  const orders = ordersToEvaluate(ids, opts.subset);
  const name = (id: string) => members.find((m) => m.id === id)?.name ?? id;
  const total = ids.length + orders.length;
  let done = 0;
  const step = async (order: string[]) => {
    opts.checkCancelled?.();
    const label = order.map(name).join(' → ');
    opts.onProgress?.({ done, total, label });
    const r = await opts.evaluateStack(order);
    done++;
    return r;
  };
  const alone: Record<string, EvalReport> = {};
  for (const id of ids) alone[id] = await step([id]);
  const stacked: EvalReport[] = [];
  for (const o of orders) stacked.push(await step(o));
  opts.onProgress?.({ done, total, label: 'done' });
  const report = compositionReport(
    { members, base: opts.base, reference: opts.reference, alone, orders, stacked },
    opts.bootstrap,
  );
  return { report, alone, stacked };
}

/** What travels in a stacked patch's manifest: parents' order and per-domain gap alone vs stacked. */
export interface CompositionSummary {
  /** Parent ids (tensorSha256) in the stack's order. */
  order: string[];
  domains: { domain: Domain; alone: number | null; stacked: number | null }[];
  /** Orders evaluated and the recommended one, as parent-id lists. */
  evaluatedOrders: number;
  recommendedOrder: string[] | null;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The summary for the stack built in `order` (must be one of the report's orders). */
export function compositionSummary(report: CompositionReport, order: string[]): CompositionSummary {
  const i = report.orders.findIndex((o) => o.join('\n') === order.join('\n'));
  if (i < 0) throw new CompositionError('That order was not part of the composition report.');
  return {
    order: [...order],
    domains: report.rows.map((r) => ({
      domain: r.domain,
      alone: finiteOrNull(r.alone.value),
      stacked: finiteOrNull(r.cells[i].stacked.value),
    })),
    evaluatedOrders: report.orders.length,
    recommendedOrder: report.recommended === null ? null : [...report.orders[report.recommended]],
  };
}
