// The newest evaluation results this worker has posted: each baseline (M, M′,
// M+R) and each training run's newest M+P. A patch saved at the end of a run
// takes its report card from them (src/eval/report-card.ts), so its manifest
// carries the numbers the charts showed, with n, intervals, the control and
// the judges, instead of an empty `metrics`. Every result is also kept in
// IndexedDB (eval-history.ts), so the charts and the report card survive a
// reload: the page gets the history back on load, and a resumed run gets
// its own points back under its new run id.
import { reportCard } from '../eval/report-card';
import type { PatchMetrics, PatchMetricsContext } from '../patch/types';
import type { BaselineKind, EvalResult, RunId } from '../protocol/messages';
import { BASELINES_KEY, EvalHistoryStore } from './eval-history';

const baselines = new Map<BaselineKind, EvalResult>();
const patchedByRun = new Map<RunId, EvalResult>();
/** Training run id → its history record (the checkpoint slot, which a resume keeps). */
const historyKeyOfRun = new Map<RunId, string>();
let history = new EvalHistoryStore();

function remember(result: EvalResult): void {
  if (result.target === 'patched') {
    if (result.trainRunId !== null) patchedByRun.set(result.trainRunId, result);
  } else {
    baselines.set(result.target, result);
  }
}

/**
 * Records a result as it is posted (cached ones too: they are what the
 * charts show) and stores it; resolves once it is in IndexedDB.
 */
export function noteEvalResult(result: EvalResult): Promise<void> {
  remember(result);
  const key =
    result.trainRunId === null
      ? BASELINES_KEY
      : (historyKeyOfRun.get(result.trainRunId) ?? `train-${result.trainRunId}`);
  // An M+P evaluated outside training belongs to no run's curve after a reload.
  if (result.target === 'patched' && result.trainRunId === null) return Promise.resolve();
  return history.add(key, result).catch(() => {});
}

/** Training run `runId` writes its points into record `historyKey` (its checkpoint slot). */
export function linkRunHistory(runId: RunId, historyKey: string): void {
  historyKeyOfRun.set(runId, historyKey);
}

/**
 * What a freshly loaded page shows: the stored baselines and the newest
 * run's M+P points, oldest first. Baselines this worker already has win.
 */
export async function restoredEvalResults(): Promise<EvalResult[]> {
  const [base, run] = await Promise.all([history.get(BASELINES_KEY), history.newestRun()]);
  const restored = [
    ...(base?.results ?? []).filter((r) => r.target !== 'patched' && !baselines.has(r.target)),
    ...(run?.results ?? []),
  ];
  for (const r of restored) remember(r);
  return restored;
}

/**
 * The points run `historyKey` had before a reload, re-tagged with the run id
 * that resumes it (one curve on the chart, one report card), oldest first.
 */
export async function replayRunHistory(historyKey: string, runId: RunId): Promise<EvalResult[]> {
  linkRunHistory(runId, historyKey);
  const record = await history.get(historyKey);
  const results = (record?.results ?? [])
    .filter((r) => r.target === 'patched')
    .map((r) => ({ ...r, trainRunId: runId }))
    .sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
  for (const r of results) remember(r);
  return results;
}

/** Test seam: forgets the memory (and with `store`, uses that history store from now on). */
export function forgetEvalResults(store?: EvalHistoryStore): void {
  baselines.clear();
  patchedByRun.clear();
  historyKeyOfRun.clear();
  if (store) history = store;
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
