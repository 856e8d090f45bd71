// A patch's report card (manifest `metrics` + `metricsContext`, written by
// src/eval/report-card.ts at export) as the rows the Patches panel shows. A
// file from elsewhere may carry any subset of the keys: a missing number is
// shown as "—", never as 0, and a metric the lab does not know keeps its id.
import { metricInfo } from '../../eval/metric-catalogue';
import type { PatchManifest } from '../../patch/types';

export interface ReportCardRow {
  id: string;
  name: string;
  base: string;
  /** M+P with its interval over prompts when the card has one: "0.11 [0.05, 0.20]". */
  patched: string;
  reference: string;
  control: string;
  n: string;
  /** Gap closed by M+P with its interval, "78 % [64, 90]", or "—". */
  gap: string;
  /** Gap closed by the untrained control M+R, or "—". */
  controlGap: string;
}

const num = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(2));
const pct = (v: number) => `${Math.round(100 * v)}`;

function withInterval(
  v: number | undefined,
  lo: number | undefined,
  hi: number | undefined,
  fmt: (x: number) => string,
  unit = '',
): string {
  if (v === undefined) return '—';
  const head = `${fmt(v)}${unit}`;
  return lo === undefined || hi === undefined ? head : `${head} [${fmt(lo)}, ${fmt(hi)}]`;
}

export function reportCardRows(metrics: PatchManifest['metrics']): ReportCardRow[] {
  return Object.entries(metrics).map(([id, m]) => ({
    id,
    name: metricInfo(id)?.name ?? id,
    base: num(m.base),
    patched: withInterval(m.patched, m.patched_ci_low, m.patched_ci_high, (x) => x.toFixed(2)),
    reference: num(m.reference),
    control: num(m.control),
    n: m.n === undefined ? '—' : String(m.n),
    gap: withInterval(m.gap_closed, m.gap_closed_ci_low, m.gap_closed_ci_high, pct, ' %'),
    controlGap: withInterval(
      m.control_gap_closed,
      m.control_gap_closed_ci_low,
      m.control_gap_closed_ci_high,
      pct,
      ' %',
    ),
  }));
}

/** One line on what the numbers are: when, at which step, with which interval and control. */
export function reportCardCaption(manifest: PatchManifest): string | null {
  const c = manifest.metricsContext;
  if (!c) return null;
  const when = c.evaluatedAt.slice(0, 16).replace('T', ' ');
  const step = c.step === null ? '' : ` at step ${c.step}`;
  const ci = `${Math.round(100 * c.interval.level)} % intervals over prompts (${c.interval.resamples.toLocaleString('en-US')} resamples, seed ${c.interval.seed})`;
  const control = c.control
    ? `M+R = untrained random patch of ${c.control.n} rows, seed ${c.control.seed}`
    : 'no control evaluated';
  return `Evaluated ${when}${step}; ${ci}; ${control}.`;
}
