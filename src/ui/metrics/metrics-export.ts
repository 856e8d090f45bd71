// The Metrics panel's exports: the slice's results and gap table handed to
// src/eval/export.ts, which writes the files (n, 95 % intervals, the
// control, the scorers' names and versions). Only the choice and order of
// results lives here: M, M′, M+R, then M+P in step order.
import {
  type ExportableGap,
  type ExportableResult,
  gapsCsv,
  metricsCsv,
  metricsJson,
} from '../../eval/export';
import type { EvalSliceState } from '../../state/slices/eval';
import { CHART_DOMAINS, gapClosedView } from '../../state/slices/eval';

export function exportResults(s: EvalSliceState): ExportableResult[] {
  const { base, reference, control } = s.baselines;
  return [
    ...[base, reference, control].filter((r) => r !== undefined),
    ...s.history.map((p) => p.result),
  ];
}

/** The gap table as on screen: M+P and M+R per domain, only where each is defined. */
export function exportGaps(s: EvalSliceState, baseFingerprint: string | null): ExportableGap[] {
  return CHART_DOMAINS.flatMap((d) => {
    const v = gapClosedView(s, d, baseFingerprint);
    const row = (candidate: 'M+P' | 'M+R', estimate: ExportableGap['estimate'] | null) =>
      estimate
        ? [
            {
              domain: d,
              metricId: v.metricId,
              candidate,
              step: candidate === 'M+P' ? v.x : null,
              estimate,
            },
          ]
        : [];
    return [...row('M+P', v.patched), ...row('M+R', v.control)];
  });
}

export const metricsCsvOf = (s: EvalSliceState): string => metricsCsv(exportResults(s));

export const gapsCsvOf = (s: EvalSliceState, baseFingerprint: string | null): string =>
  gapsCsv(exportGaps(s, baseFingerprint));

export const metricsJsonOf = (
  s: EvalSliceState,
  baseFingerprint: string | null,
  exportedAt: string,
): string =>
  metricsJson({
    config: s.config,
    results: exportResults(s),
    gaps: exportGaps(s, baseFingerprint),
    exportedAt,
  });
