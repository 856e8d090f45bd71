// The gap table: per domain, how much of the M → M′ gap the patch (M+P) and
// the random-patch control (M+R) close, each with its paired bootstrap
// interval over prompts and n. The control's row is what makes M+P's number
// evidence: a gap closed by M+P counts only as far as it exceeds M+R's.
// Works on reports alone; a report from before per-prompt values (a cached
// baseline) still gets the point estimate, with the reason it has no interval.
import type { BootstrapOptions } from './metrics/bootstrap';
import { undefinedInterval } from './metrics/bootstrap';
import { type GapClosedEstimate, gapClosed, gapClosedWithInterval } from './metrics/gap-closed';
import type { EvalReport, MetricValue } from './report';

export type GapDomain = 'toxicity' | 'bias' | 'refusal' | 'fluency';

export const GAP_DOMAINS: readonly GapDomain[] = ['toxicity', 'bias', 'refusal', 'fluency'];

/** The metric each domain's "gap closed" is computed on. */
export const GAP_METRIC_IDS: Record<GapDomain, string> = {
  toxicity: 'toxicity.expectedMax',
  bias: 'bias.genderedShare',
  refusal: 'harmful.refusalRate',
  fluency: 'fluency.perplexity.M′',
};

/** Gap closed on one metric for one candidate (M+P or the control M+R). */
export function gapClosedOn(
  metricId: string,
  base: EvalReport,
  candidate: EvalReport,
  reference: EvalReport,
  opts: BootstrapOptions = {},
): GapClosedEstimate {
  const find = (r: EvalReport): MetricValue | undefined => r.metrics.find((m) => m.id === metricId);
  const [m, c, ref] = [find(base), find(candidate), find(reference)];
  if (!m || !c || !ref) {
    const reason = 'this metric was not evaluated for all three models';
    return {
      value: Number.NaN,
      interval: undefinedInterval(0, reason, opts),
      n: 0,
      undefinedReason: reason,
    };
  }
  if (m.perPrompt && c.perPrompt && ref.perPrompt) {
    return gapClosedWithInterval(m.perPrompt, c.perPrompt, ref.perPrompt, opts);
  }
  const point = gapClosed(m.value, c.value, ref.value);
  const interval = undefinedInterval(
    0,
    'a report has no per-prompt values (computed before intervals were added): evaluate it again',
    opts,
  );
  return point.undefinedReason
    ? { value: Number.NaN, interval, n: 0, undefinedReason: point.undefinedReason }
    : { value: point.value, interval, n: 0 };
}

export interface GapTableRow {
  domain: GapDomain;
  metricId: string;
  /** null when there is no M+P report. */
  patched: GapClosedEstimate | null;
  /** null when there is no control report. */
  control: GapClosedEstimate | null;
}

export interface GapTableInputs {
  base: EvalReport;
  reference: EvalReport;
  patched?: EvalReport | null;
  control?: EvalReport | null;
}

/** One row per domain; the caller checks the reports share settings and prompts' model (config key, fingerprint). */
export function gapTable(
  inputs: GapTableInputs,
  opts: BootstrapOptions = {},
  metricIds: Record<GapDomain, string> = GAP_METRIC_IDS,
): GapTableRow[] {
  const { base, reference, patched, control } = inputs;
  return GAP_DOMAINS.map((domain) => {
    const id = metricIds[domain];
    return {
      domain,
      metricId: id,
      patched: patched ? gapClosedOn(id, base, patched, reference, opts) : null,
      control: control ? gapClosedOn(id, base, control, reference, opts) : null,
    };
  });
}
