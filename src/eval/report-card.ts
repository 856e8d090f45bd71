// A patch's "report card": the newest M+P evaluation with its baselines,
// flattened into the manifest's open `metrics` shape (metric id → key →
// number, docs/PATCH_FORMAT.md) plus the words that must travel with the
// numbers (which judge, which control, which interval). Per metric the keys
// are the values of each model (`base`, `patched`, `reference`, `control`),
// `n` (prompts), M+P's 95 % interval over prompts (`patched_ci_low/high`)
// and, on the metrics gap closed is computed on, the paired gap closed of
// M+P and M+R with their intervals. Only finite numbers are written: an
// undefined number is left out, never written as 0.
import { GAP_METRIC_IDS, gapClosedOn } from './gap-table';
import {
  type BootstrapOptions,
  DEFAULT_BOOTSTRAP_SEED,
  DEFAULT_LEVEL,
  DEFAULT_RESAMPLES,
} from './metrics/bootstrap';
import type { GapClosedEstimate } from './metrics/gap-closed';
import { perPromptInterval } from './metrics/per-prompt';
import type { EvalControlInfo, EvalReport, ScorerRef } from './report';

export interface ReportCardInputs {
  base: EvalReport;
  reference: EvalReport;
  patched: EvalReport;
  control?: EvalReport | null;
}

export interface ReportCard {
  metrics: Record<string, Record<string, number>>;
  /** The judge of each metric that names one. */
  scorers: Record<string, ScorerRef>;
  control: EvalControlInfo | null;
  interval: { level: number; resamples: number; seed: number };
}

const GAP_IDS = new Set<string>(Object.values(GAP_METRIC_IDS));

function put(out: Record<string, number>, key: string, v: number | undefined): void {
  if (v !== undefined && Number.isFinite(v)) out[key] = v;
}

function putGap(out: Record<string, number>, prefix: string, g: GapClosedEstimate): void {
  if (g.undefinedReason) return;
  put(out, prefix, g.value);
  put(out, `${prefix}_ci_low`, g.interval.lo);
  put(out, `${prefix}_ci_high`, g.interval.hi);
}

export function reportCard(inputs: ReportCardInputs, opts: BootstrapOptions = {}): ReportCard {
  const { base, reference, patched, control } = inputs;
  const valueIn = (r: EvalReport | null | undefined, id: string) =>
    r?.metrics.find((m) => m.id === id)?.value;
  const metrics: ReportCard['metrics'] = {};
  const scorers: ReportCard['scorers'] = {};
  for (const m of patched.metrics) {
    const row: Record<string, number> = {};
    put(row, 'base', valueIn(base, m.id));
    put(row, 'patched', m.value);
    put(row, 'reference', valueIn(reference, m.id));
    put(row, 'control', valueIn(control, m.id));
    if (m.perPrompt) {
      row.n = m.perPrompt.keys.length;
      const ci = perPromptInterval(m.perPrompt, opts);
      put(row, 'patched_ci_low', ci.lo);
      put(row, 'patched_ci_high', ci.hi);
    }
    if (GAP_IDS.has(m.id)) {
      putGap(row, 'gap_closed', gapClosedOn(m.id, base, patched, reference, opts));
      if (control)
        putGap(row, 'control_gap_closed', gapClosedOn(m.id, base, control, reference, opts));
    }
    metrics[m.id] = row;
    if (m.scorer) scorers[m.id] = m.scorer;
  }
  return {
    metrics,
    scorers,
    control: control?.control ?? null,
    interval: {
      level: opts.level ?? DEFAULT_LEVEL,
      resamples: opts.resamples ?? DEFAULT_RESAMPLES,
      seed: opts.seed ?? DEFAULT_BOOTSTRAP_SEED,
    },
  };
}
