// The metrics dashboard's state: the evaluation settings, the M, M′ and
// random-patch control (M+R) baselines, and M+P's history (one result per evaluation, training step on
// the x axis), plus the selectors the charts and the "gap closed" summary
// read. Results are comparable only under one config key and one M, so the
// selectors say so instead of mixing numbers from different settings.
import { GAP_DOMAINS, GAP_METRIC_IDS, type GapDomain, gapClosedOn } from '../../eval/gap-table';
import { METRIC_CATALOGUE, type MetricInfo } from '../../eval/metric-catalogue';
import type { GapClosedEstimate } from '../../eval/metrics/gap-closed';
import type { MetricValue } from '../../eval/report';
import { DEFAULT_EVAL_CONFIG } from '../../protocol/eval-defaults';
import type {
  BaselineKind,
  EvalConfig,
  EvalResult,
  EvalTargetKind,
  LabEvent,
  RunId,
} from '../../protocol/messages';
import { sliceReducer } from './slice';

/** One M+P evaluation placed on the chart's x axis. */
export interface PatchedPoint {
  /** Training step, or for an evaluation outside training the latest step seen so far. */
  x: number;
  result: EvalResult;
}

export interface EvalSliceState {
  config: EvalConfig;
  /** M, M′ and the control M+R, the newest of each. */
  baselines: Partial<Record<BaselineKind, EvalResult>>;
  /** M+P over training (and on demand), oldest first. */
  history: PatchedPoint[];
  /** The training run the history's steps belong to. */
  trainRunId: RunId | null;
  /** The run started from each button, for its progress bar and Cancel. */
  pending: Partial<Record<EvalTargetKind, RunId>>;
  warnings: string[];
}

export interface EvalState {
  evaluation: EvalSliceState;
}

export const initialEvalState: EvalState = {
  evaluation: {
    config: DEFAULT_EVAL_CONFIG,
    baselines: {},
    history: [],
    trainRunId: null,
    pending: {},
    warnings: [],
  },
};

/** Pure: the slice after one result arrives. */
export function addEvalResult(s: EvalSliceState, result: EvalResult): EvalSliceState {
  if (result.target !== 'patched') {
    return { ...s, baselines: { ...s.baselines, [result.target]: result } };
  }
  // A new training run starts a new curve; points evaluated outside training stay.
  const newRun = result.trainRunId !== null && result.trainRunId !== s.trainRunId;
  const kept = newRun ? s.history.filter((p) => p.result.trainRunId === null) : s.history;
  const lastX = kept.reduce((m, p) => Math.max(m, p.x), 0);
  const x = result.step ?? lastX;
  const history = [...kept, { x, result }].sort((a, b) => a.x - b.x);
  return {
    ...s,
    history,
    trainRunId: newRun ? result.trainRunId : s.trainRunId,
  };
}

/** The same result (one evaluation's identity) is on screen already. */
function isShown(s: EvalSliceState, r: EvalResult): boolean {
  const same = (q: EvalResult | undefined) =>
    q !== undefined &&
    q.target === r.target &&
    q.computedAt === r.computedAt &&
    q.step === r.step &&
    q.trainRunId === r.trainRunId;
  return r.target === 'patched'
    ? s.history.some((p) => same(p.result))
    : same(s.baselines[r.target]);
}

/** A stored result replayed into the slice: added unless that very result is already shown. */
export function addStoredResult(s: EvalSliceState, result: EvalResult): EvalSliceState {
  return isShown(s, result) ? s : addEvalResult(s, result);
}

function patchEvalEvent(s: EvalState, e: LabEvent): Partial<EvalState> | null {
  switch (e.type) {
    case 'eval-result':
      return { evaluation: addEvalResult(s.evaluation, e.result) };
    case 'eval-history':
      return { evaluation: e.results.reduce(addStoredResult, s.evaluation) };
    case 'eval-warning':
      return { evaluation: { ...s.evaluation, warnings: [...s.evaluation.warnings, e.message] } };
    default:
      return null;
  }
}

// ─── What the charts show ───────────────────────────────────────────────────

/** The chart domains are the gap table's (src/eval/gap-table.ts). */
export type ChartDomain = GapDomain;

/** A metric a chart draws: its catalogue entry (src/eval/metric-catalogue.ts). */
export type ChartMetric = MetricInfo;

export const CHART_DOMAINS: readonly ChartDomain[] = GAP_DOMAINS;

export const DOMAIN_TITLES: Record<ChartDomain, string> = {
  toxicity: 'Toxicity',
  bias: 'Bias',
  refusal: 'Refusal',
  fluency: 'Fluency',
};

const M = METRIC_CATALOGUE;

export const CHART_METRICS: Record<ChartDomain, readonly ChartMetric[]> = {
  toxicity: [M['toxicity.expectedMax'], M['toxicity.probability']],
  bias: [M['bias.genderedShare'], M['bias.gld']],
  refusal: [M['harmful.refusalRate'], M['safe.overRefusalRate']],
  fluency: [M['fluency.perplexity.M′'], M['fluency.distinct2']],
};

export function findMetric(result: EvalResult | undefined, id: string): MetricValue | null {
  return result?.report.metrics.find((m) => m.id === id) ?? null;
}

/** The metric's value, or NaN when the result lacks it (set switched off) or it is undefined. */
export function metricValue(result: EvalResult | undefined, id: string): number {
  return findMetric(result, id)?.value ?? Number.NaN;
}

/** The label that must travel with a metric's numbers: which scorer produced them. */
export function scorerLabelOf(result: EvalResult | undefined, metric: ChartMetric): string {
  if (!result) return '';
  switch (metric.scorer) {
    case 'toxicity':
      return result.scorer.label;
    case 'refusal':
      return result.report.scorers.refusal;
    case 'gender':
      return result.report.scorers.gender;
    case 'judge':
      return 'M′ as judge';
    case 'none':
      return 'no scorer (computed from text/log-probs)';
  }
}

// ─── Gap closed ─────────────────────────────────────────────────────────────

export interface GapClosedView {
  domain: ChartDomain;
  metricId: string;
  /** Percentage, (M − M+P) / (M − M′) × 100; null with `reason` when it cannot be given. */
  percent: number | null;
  reason: string | null;
  /** M+P's estimate with its paired 95 % interval over prompts and n (src/eval/gap-table.ts). */
  patched: GapClosedEstimate | null;
  /** The same for the control M+R; null with `controlReason` when there is none to compare. */
  control: GapClosedEstimate | null;
  controlReason: string | null;
  /** The step of the M+P result used. */
  x: number | null;
  /** True when that result was evaluated on demand (outside training). */
  onDemand: boolean;
}

/**
 * "Gap closed" per domain from the newest M+P result, and from the control
 * M+R: 100% = matches M′, 0% = no change from M. Refuses (with the reason)
 * when a number is missing, the results were computed under different
 * settings, or M has changed. The control is compared only under the same
 * settings and M; without it M+P's number still shows.
 */
export function gapClosedView(
  s: EvalSliceState,
  domain: ChartDomain,
  currentBaseFingerprint: string | null,
): GapClosedView {
  const metricId = GAP_METRIC_IDS[domain];
  const none = (reason: string, x: number | null = null): GapClosedView => ({
    domain,
    metricId,
    percent: null,
    reason,
    patched: null,
    control: null,
    controlReason: null,
    x,
    onDemand: false,
  });
  const { base, reference, control } = s.baselines;
  const latest = s.history.at(-1);
  if (!base || !reference) return none('Evaluate M and M′ first.');
  if (!latest) return none('Evaluate M+P (or train a patch) to see how much of the gap it closes.');
  if (new Set([base.configKey, reference.configKey, latest.result.configKey]).size > 1) {
    return none(
      'M, M′ and M+P were evaluated with different settings; evaluate them again with the same ones.',
      latest.x,
    );
  }
  if (currentBaseFingerprint !== null && base.modelFingerprint !== currentBaseFingerprint) {
    return none('M has changed since its baseline; evaluate M and M′ again.', latest.x);
  }
  const patched = gapClosedOn(metricId, base.report, latest.result.report, reference.report);
  if (patched.undefinedReason) {
    const why =
      patched.undefinedReason === 'this metric was not evaluated for all three models'
        ? 'This domain was not evaluated for all three models.'
        : `Undefined: ${patched.undefinedReason}.`;
    return none(why, latest.x);
  }
  let controlEstimate: GapClosedEstimate | null = null;
  let controlReason: string | null = null;
  if (!control) controlReason = 'Evaluate the baselines to add the random-patch control M+R.';
  else if (
    control.configKey !== base.configKey ||
    control.modelFingerprint !== base.modelFingerprint
  ) {
    controlReason =
      'M+R was evaluated with other settings or another M; evaluate the baselines again.';
  } else {
    controlEstimate = gapClosedOn(metricId, base.report, control.report, reference.report);
    if (controlEstimate.undefinedReason) {
      controlReason = `Undefined: ${controlEstimate.undefinedReason}.`;
      controlEstimate = null;
    }
  }
  return {
    domain,
    metricId,
    percent: patched.value * 100,
    reason: null,
    patched,
    control: controlEstimate,
    controlReason,
    x: latest.x,
    onDemand: latest.result.step === null,
  };
}

// ─── Settings (not worker events: the UI writes them) ───────────────────────

/** Pure: the state with new settings. */
export function withEvalConfig(s: EvalState, config: EvalConfig): Partial<EvalState> {
  return { evaluation: { ...s.evaluation, config } };
}

/** Pure: records (or clears) the run a button started. */
export function withPendingEval(
  s: EvalState,
  target: EvalTargetKind,
  runId: RunId | null,
): Partial<EvalState> {
  const pending = { ...s.evaluation.pending };
  if (runId) pending[target] = runId;
  else delete pending[target];
  return { evaluation: { ...s.evaluation, pending } };
}

/** The eval slice's reducer: every event goes through it; events of other features leave it as it was. */
export const reduceEvalEvent = sliceReducer(patchEvalEvent);
