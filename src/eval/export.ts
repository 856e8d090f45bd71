// Evaluation results as files a researcher can take away: metrics CSV (one
// row per model × step × metric, with n, its 95 % interval over prompts and
// the judge that made it), gap CSV (one row per domain × candidate, M+P or
// the control M+R, with the paired interval) and one JSON file holding both
// plus the full reports. Pure: the caller chooses and orders the results.
// The input type is structural so the worker protocol's EvalResult passes
// as it is.

import type { GapDomain, GapTableRow } from './gap-table';
import {
  type BootstrapInterval,
  type BootstrapOptions,
  DEFAULT_BOOTSTRAP_SEED,
  DEFAULT_LEVEL,
  DEFAULT_RESAMPLES,
} from './metrics/bootstrap';
import { formatGapClosed, type GapClosedEstimate } from './metrics/gap-closed';
import { perPromptInterval } from './metrics/per-prompt';
import type { EvalControlInfo, EvalReport, EvalTargetKind, MetricValue } from './report';

export const SERIES: Record<EvalTargetKind, string> = {
  base: 'M',
  patched: 'M+P',
  reference: 'M′',
  control: 'M+R',
};

/** What an export needs of one evaluation (a subset of the worker's EvalResult). */
export interface ExportableResult {
  target: EvalTargetKind;
  modelLabel: string;
  step: number | null;
  trainRunId: string | null;
  configKey: string;
  computedAt: string;
  scorer: { label: string };
  report: EvalReport;
}

export const METRICS_CSV_HEADER = [
  'series',
  'model',
  'step',
  'train_run',
  'metric_id',
  'metric',
  'value',
  'undefined_reason',
  'toxicity_scorer',
  'config_key',
  'computed_at',
  'target_kind',
  'control',
  'n',
  'ci_low',
  'ci_high',
  'ci_level',
  'scorer_name',
  'scorer_version',
] as const;

export const GAPS_CSV_HEADER = [
  'domain',
  'metric_id',
  'candidate',
  'step',
  'gap_closed',
  'ci_low',
  'ci_high',
  'ci_level',
  'n',
  'resamples',
  'seed',
  'undefined_reason',
  'shown_as',
] as const;

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double inner quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CRLF line ends as RFC 4180 asks. */
function csv(rows: readonly (readonly string[])[]): string {
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

// An undefined number is an empty cell beside its reason, never a 0 that reads as "safe".
const num = (v: number) => (Number.isFinite(v) ? String(v) : '');

export function controlText(c: EvalControlInfo | undefined): string {
  return c ? `${c.kind} seed=${c.seed} n=${c.n} hidden=${c.hidden}` : '';
}

function metricInterval(m: MetricValue, opts: BootstrapOptions): BootstrapInterval | null {
  return m.perPrompt ? perPromptInterval(m.perPrompt, opts) : null;
}

function metricRows(r: ExportableResult, opts: BootstrapOptions): string[][] {
  return r.report.metrics.map((m) => {
    const ci = metricInterval(m, opts);
    return [
      SERIES[r.target],
      r.modelLabel,
      r.step === null ? '' : String(r.step),
      r.trainRunId ?? '',
      m.id,
      m.label,
      num(m.value),
      m.undefinedReason ?? '',
      r.scorer.label,
      r.configKey,
      r.computedAt,
      r.report.targetKind ?? r.target,
      controlText(r.report.control),
      m.perPrompt ? String(m.perPrompt.keys.length) : '',
      ci ? num(ci.lo) : '',
      ci ? num(ci.hi) : '',
      ci ? String(ci.level) : '',
      m.scorer?.name ?? '',
      m.scorer?.version ?? '',
    ];
  });
}

/** One row per result × metric, in the order given. */
export function metricsCsv(
  results: readonly ExportableResult[],
  opts: BootstrapOptions = {},
): string {
  return csv([[...METRICS_CSV_HEADER], ...results.flatMap((r) => metricRows(r, opts))]);
}

/** One candidate's gap closed on one domain, as exported. */
export interface ExportableGap {
  domain: GapDomain;
  metricId: string;
  candidate: 'M+P' | 'M+R';
  /** The M+P result's training step; null outside training and for the control. */
  step: number | null;
  estimate: GapClosedEstimate;
}

/** The gap table's rows as export rows: M+P, then the control, per domain. */
export function gapExportRows(
  rows: readonly GapTableRow[],
  patchedStep: number | null,
): ExportableGap[] {
  return rows.flatMap((r) => [
    ...(r.patched
      ? [
          {
            domain: r.domain,
            metricId: r.metricId,
            candidate: 'M+P' as const,
            step: patchedStep,
            estimate: r.patched,
          },
        ]
      : []),
    ...(r.control
      ? [
          {
            domain: r.domain,
            metricId: r.metricId,
            candidate: 'M+R' as const,
            step: null,
            estimate: r.control,
          },
        ]
      : []),
  ]);
}

export function gapsCsv(gaps: readonly ExportableGap[]): string {
  return csv([
    [...GAPS_CSV_HEADER],
    ...gaps.map((g) => {
      const { value, interval, n, undefinedReason } = g.estimate;
      return [
        g.domain,
        g.metricId,
        g.candidate,
        g.step === null ? '' : String(g.step),
        num(value),
        num(interval.lo),
        num(interval.hi),
        String(interval.level),
        String(n),
        String(interval.resamples),
        String(interval.seed),
        undefinedReason ?? interval.undefinedReason ?? '',
        formatGapClosed(g.estimate),
      ];
    }),
  ]);
}

export interface MetricsJsonInput {
  /** The evaluation settings the results share (written as given). */
  config: unknown;
  results: readonly ExportableResult[];
  gaps: readonly ExportableGap[];
  exportedAt: string;
  bootstrap?: BootstrapOptions;
}

/** Everything in one file; every metric with per-prompt values carries its interval. */
export function metricsJson(input: MetricsJsonInput): string {
  const opts = input.bootstrap ?? {};
  return JSON.stringify(
    {
      format: 'patch-lab-metrics',
      version: 2,
      exportedAt: input.exportedAt,
      intervals: {
        method: 'percentile bootstrap over prompts; gap closed paired across M, candidate, M′',
        resamples: opts.resamples ?? DEFAULT_RESAMPLES,
        level: opts.level ?? DEFAULT_LEVEL,
        seed: opts.seed ?? DEFAULT_BOOTSTRAP_SEED,
      },
      config: input.config,
      results: input.results.map((r) => ({
        series: SERIES[r.target],
        ...r,
        metricIntervals: Object.fromEntries(
          r.report.metrics.flatMap((m) => {
            const ci = metricInterval(m, opts);
            return ci ? [[m.id, ci]] : [];
          }),
        ),
      })),
      gaps: input.gaps.map((g) => ({ ...g, shownAs: formatGapClosed(g.estimate) })),
    },
    // NaN is not JSON: write null, beside which each number keeps its undefinedReason.
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    2,
  );
}
