// One comparison as evidence needs it: M, M′, the patched M+P and untrained
// random-patch controls M+R (one per seed), all evaluated with the same sets,
// sampling and judges, then the gap table with paired intervals. Used by the
// CLI and the demo benchmark in Node; the worker runs the same targets one by
// one (with caching) and builds the same table with gapTable().
import type { tf as TF } from '../engine/tf';
import { tf } from '../engine/tf';
import type { CausalLM, TextTokenizer } from '../engine/types';
import { evaluate } from './evaluate';
import type { EvaluateOptions } from './evaluators/types';
import {
  GAP_DOMAINS,
  GAP_METRIC_IDS,
  type GapDomain,
  type GapTableRow,
  gapTable,
} from './gap-table';
import type { BootstrapOptions } from './metrics/bootstrap';
import { gapClosed } from './metrics/gap-closed';
import { randomControl } from './random-control';
import type { EvalReport } from './report';

export interface LoadedModel {
  model: CausalLM;
  tokenizer: TextTokenizer;
}

/** Patch rows, [n, hidden] row-major. */
export interface PatchRows {
  rows: Float32Array;
  n: number;
  hidden: number;
}

export interface CompareOptions
  extends Omit<EvaluateOptions, 'target' | 'fluencyJudges' | 'onProgress'> {
  base: LoadedModel;
  reference: LoadedModel;
  /** The patch under test; absent = compare M, M′ and the controls only. */
  patch?: PatchRows | null;
  /**
   * Shape and scale of the controls when there is no patch: `n` rows, each at
   * the mean row norm of M's embedding matrix (the patch init's own scale).
   */
  controlShape?: { n: number };
  /** One control per seed; default [1]. Empty = no control. */
  controlSeeds?: readonly number[];
  bootstrap?: BootstrapOptions;
  /** Called before each target's evaluation ("M", "M′", "M+P", "M+R seed 1"…). */
  onTarget?: (label: string) => void;
}

export interface Comparison {
  base: EvalReport;
  reference: EvalReport;
  patched: EvalReport | null;
  controls: EvalReport[];
  /** M+P (when given) and the first control, per domain, with paired intervals. */
  gaps: GapTableRow[];
  /** Per domain, the gap closed by each control (one entry per seed) and their mean. */
  controlGaps: Record<GapDomain, { perSeed: number[]; mean: number }>;
}

/** Rows at M's mean embedding row norm: the scale a control needs when no patch is given. */
async function embeddingScaleRows(model: CausalLM, n: number): Promise<PatchRows> {
  const hidden = model.config.hiddenSize;
  const mean = tf.tidy(() => {
    const table = model.embeddingMatrix();
    return table.square().sum(1).sqrt().mean();
  });
  const norm = (await mean.data())[0];
  mean.dispose();
  // Any rows of that norm do: the control keeps only each row's norm.
  const rows = new Float32Array(n * hidden).fill(norm / Math.sqrt(hidden));
  return { rows, n, hidden };
}

/** The point estimate of gap closed on one metric (NaN when undefined). */
function pointGap(id: string, base: EvalReport, cand: EvalReport, ref: EvalReport): number {
  const v = (r: EvalReport) => r.metrics.find((m) => m.id === id)?.value ?? Number.NaN;
  return gapClosed(v(base), v(cand), v(ref)).value;
}

export async function compareWithControls(opts: CompareOptions): Promise<Comparison> {
  const { base, reference, patch, bootstrap, onTarget, ...shared } = opts;
  const fluencyJudges = [
    { label: 'M′', ...reference },
    { label: 'M', ...base },
  ];
  const run = async (
    label: string,
    kind: 'base' | 'reference' | 'patched' | 'control',
    who: LoadedModel,
    prefix: TF.Tensor2D | null,
    control?: ReturnType<typeof randomControl>['info'],
  ) => {
    onTarget?.(label);
    return evaluate({
      ...shared,
      fluencyJudges,
      target: { label, kind, ...who, prefix, ...(control ? { control } : {}) },
    });
  };
  const withPrefix = async <T>(rows: PatchRows, f: (t: TF.Tensor2D) => Promise<T>) => {
    const t = tf.tensor2d(rows.rows, [rows.n, rows.hidden]);
    try {
      return await f(t);
    } finally {
      t.dispose();
    }
  };

  const baseReport = await run('M', 'base', base, null);
  const refReport = await run('M′', 'reference', reference, null);
  const patched = patch ? await withPrefix(patch, (t) => run('M+P', 'patched', base, t)) : null;
  const template = patch ?? (await embeddingScaleRows(base.model, opts.controlShape?.n ?? 50));
  const controls: EvalReport[] = [];
  for (const seed of opts.controlSeeds ?? [1]) {
    const c = randomControl(template.rows, template.n, template.hidden, seed);
    const label = (opts.controlSeeds ?? [1]).length > 1 ? `M+R seed ${seed}` : 'M+R';
    controls.push(
      await withPrefix({ ...template, rows: c.rows }, (t) =>
        run(label, 'control', base, t, c.info),
      ),
    );
  }

  const gaps = gapTable(
    { base: baseReport, reference: refReport, patched, control: controls[0] ?? null },
    bootstrap,
  );
  const controlGaps = Object.fromEntries(
    GAP_DOMAINS.map((d) => {
      const perSeed = controls.map((c) => pointGap(GAP_METRIC_IDS[d], baseReport, c, refReport));
      const mean = perSeed.length
        ? perSeed.reduce((s, x) => s + x, 0) / perSeed.length
        : Number.NaN;
      return [d, { perSeed, mean }];
    }),
  ) as Comparison['controlGaps'];
  return { base: baseReport, reference: refReport, patched, controls, gaps, controlGaps };
}
