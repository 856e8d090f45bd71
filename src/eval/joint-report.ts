// The composition table of a stack before and after joint retraining: the
// same table (eval/composition-report.ts: per domain, the gap the domain's
// own patch closes alone and in the stack, the loss with its paired
// interval) once for the stack as concatenated ("before") and once for the
// jointly retrained patch ("after"), both against the same M, M′ and
// patches-alone reports, so the same prompts, seeds and intervals. Beside
// them, per domain, the change after − before with a paired interval.
import type { Domain } from '../data/types';
import {
  CompositionError,
  type CompositionReport,
  compositionReport,
  type LossEstimate,
  lossWithInterval,
  type StackMember,
} from './composition-report';
import type { BootstrapOptions } from './metrics/bootstrap';
import type { EvalReport } from './report';

export interface JointChange {
  domain: Domain;
  metricId: string;
  /** Gap closed after − before (fraction; ×100 = points); positive = the retrain gained. */
  gain: LossEstimate;
}

export interface JointReport {
  /** Member ids in the stack's order. */
  order: string[];
  /** The stack as concatenated: a composition report of this one order. */
  before: CompositionReport;
  /** The jointly retrained patch in the stack's place, same rows and columns. */
  after: CompositionReport;
  changes: JointChange[];
}

export interface JointReportInputs {
  members: StackMember[];
  order: string[];
  base: EvalReport;
  reference: EvalReport;
  alone: Record<string, EvalReport>;
  /** The stack in `order`, before retraining. */
  before: EvalReport;
  /** The jointly retrained patch alone. */
  after: EvalReport;
}

export function jointReport(inputs: JointReportInputs, opts: BootstrapOptions = {}): JointReport {
  const { members, order, base, reference, alone } = inputs;
  if (
    [...order].sort().join('\n') !==
    members
      .map((m) => m.id)
      .sort()
      .join('\n')
  ) {
    throw new CompositionError('The order must use every patch of the stack exactly once.');
  }
  const one = (stacked: EvalReport) =>
    compositionReport(
      { members, base, reference, alone, orders: [order], stacked: [stacked] },
      opts,
    );
  const before = one(inputs.before);
  const after = one(inputs.after);
  const changes = before.rows.map((r) => {
    // lossWithInterval(x, y) is gap(x) − gap(y) with a paired interval; after − before is its mirror.
    const l = lossWithInterval(r.metricId, base, reference, inputs.after, inputs.before, opts);
    return { domain: r.domain, metricId: r.metricId, gain: l };
  });
  return { order: [...order], before, after, changes };
}
