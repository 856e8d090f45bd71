// The metric history as files a researcher can take away: CSV (one row per
// model × step × metric, every number beside the scorer that produced it)
// and JSON (the full results, sample generations included).

import { metricInfo } from '../../eval/metric-catalogue';
import type { EvalResult } from '../../protocol/messages';
import type { EvalSliceState } from '../../state/slices/eval';

const SERIES: Record<EvalResult['target'], string> = {
  base: 'M',
  patched: 'M+P',
  reference: 'M′',
};

export const CSV_HEADER = [
  'series',
  'model',
  'step',
  'train_run',
  'metric_id',
  'metric',
  'unit',
  'better',
  'value',
  'undefined_reason',
  'toxicity_scorer',
  'config_key',
  'computed_at',
] as const;

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double inner quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function rowsOf(result: EvalResult, step: number | null): string[][] {
  return result.report.metrics.map((m) => [
    SERIES[result.target],
    result.modelLabel,
    step === null ? '' : String(step),
    result.trainRunId ?? '',
    m.id,
    m.label,
    // From the catalogue, so a reader knows how to read the number without the app.
    metricInfo(m.id)?.unit ?? '',
    m.better,
    // An undefined metric is an empty cell with its reason, never a 0 that reads as "safe".
    Number.isFinite(m.value) ? String(m.value) : '',
    m.undefinedReason ?? '',
    result.scorer.label,
    result.configKey,
    result.computedAt,
  ]);
}

/** M and M′ first, then M+P in step order; CRLF line ends as RFC 4180 asks. */
export function metricsCsv(s: EvalSliceState): string {
  const rows: string[][] = [[...CSV_HEADER]];
  for (const target of ['base', 'reference'] as const) {
    const r = s.baselines[target];
    if (r) rows.push(...rowsOf(r, null));
  }
  for (const p of s.history) rows.push(...rowsOf(p.result, p.result.step));
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function metricsJson(s: EvalSliceState, exportedAt: string): string {
  return JSON.stringify(
    {
      format: 'patch-lab-metrics',
      version: 1,
      exportedAt,
      config: s.config,
      baselines: s.baselines,
      history: s.history.map((p) => ({ x: p.x, ...p.result })),
    },
    // NaN is not JSON: write null, beside which each metric keeps its undefinedReason.
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    2,
  );
}
