// The newest evaluation results this worker has posted: each baseline (M, M′,
// M+R) and each training run's newest M+P. A patch saved at the end of a run
// takes its report card from them (src/eval/report-card.ts), so its manifest
// carries the numbers the charts showed, with n, intervals, the control and
// the judges, instead of an empty `metrics`.
import { reportCard } from '../eval/report-card';
import type { PatchMetrics, PatchMetricsContext } from '../patch/types';
import type { BaselineKind, EvalResult, RunId } from '../protocol/messages';

const baselines = new Map<BaselineKind, EvalResult>();
const patchedByRun = new Map<RunId, EvalResult>();

/** Records a result as it is posted (cached ones too: they are what the charts show). */
export function noteEvalResult(result: EvalResult): void {
  if (result.target === 'patched') {
    if (result.trainRunId !== null) patchedByRun.set(result.trainRunId, result);
  } else {
    baselines.set(result.target, result);
  }
}

/** Test seam. */
export function forgetEvalResults(): void {
  baselines.clear();
  patchedByRun.clear();
}

/**
 * The report card for a training run's patch: its newest M+P with M and M′
 * (and M+R when it shares their settings and M), or null when there is no
 * comparable set (no M+P yet, baselines missing or from other settings).
 */
export function reportCardFor(
  trainRunId: RunId,
): { metrics: PatchMetrics; metricsContext: PatchMetricsContext } | null {
  const patched = patchedByRun.get(trainRunId);
  const base = baselines.get('base');
  const reference = baselines.get('reference');
  if (!patched || !base || !reference) return null;
  const same = (r: EvalResult) => r.configKey === patched.configKey;
  if (!same(base) || !same(reference) || base.modelFingerprint !== patched.modelFingerprint) {
    return null;
  }
  const c = baselines.get('control');
  const control = c && same(c) && c.modelFingerprint === patched.modelFingerprint ? c : null;
  const card = reportCard({
    base: base.report,
    reference: reference.report,
    patched: patched.report,
    control: control?.report ?? null,
  });
  return {
    metrics: card.metrics,
    metricsContext: {
      evaluatedAt: patched.computedAt,
      step: patched.step,
      configKey: patched.configKey,
      scorers: card.scorers,
      control: card.control,
      interval: card.interval,
    },
  };
}
