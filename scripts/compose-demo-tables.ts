// The Markdown tables scripts/compose-demo.ts prints (and docs/BENCHMARKS.md
// shows): read straight off a composition report and a joint report, no
// numbers of their own, so a test can check them against hand-worked reports.
import type { CompositionReport, LossEstimate } from '../src/eval/composition-report';
import type { JointReport } from '../src/eval/joint-report';
import type { GapClosedEstimate } from '../src/eval/metrics/gap-closed';

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)} %` : '—');
const pts = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(0) : '—');
const ci = (l: LossEstimate) =>
  Number.isFinite(l.interval.lo) ? ` [${pts(l.interval.lo)}, ${pts(l.interval.hi)}]` : '';
/** "92 % (loss 8 [2, 15])": the stacked gap closed and the loss in points with its interval. */
const cell = (stacked: GapClosedEstimate, loss: LossEstimate) =>
  `${pct(stacked.value)} (loss ${pts(loss.value)}${ci(loss)})`;

const orderName = (o: string[]) => o.join(' → ');

/** Domain × order: gap closed alone, then per order the stacked gap and the loss; the mean row; ★ = recommended. */
export function compositionTable(report: CompositionReport): string[] {
  const head = report.orders.map(
    (o, i) => `${orderName(o)}${report.recommended === i ? ' ★' : ''}`,
  );
  return [
    `| domain (metric) | alone | ${head.join(' | ')} |`,
    `|---|---|${head.map(() => '---|').join('')}`,
    ...report.rows.map(
      (r) =>
        `| ${r.domain} (${r.metricId}) | ${pct(r.alone.value)} | ${r.cells.map((c) => cell(c.stacked, c.loss)).join(' | ')} |`,
    ),
    `| mean stacked gap closed | | ${report.meanStacked.map(pct).join(' | ')} |`,
  ];
}

/** Per domain: alone, the plain stack (before), the joint patch (after), and after − before, each with its interval. */
export function jointTable(report: JointReport): string[] {
  return [
    `| domain (metric) | alone | stack ${orderName(report.order)} (before) | jointly retrained (after) | after − before, points |`,
    '|---|---|---|---|---|',
    ...report.before.rows.map((r, i) => {
      const a = report.after.rows[i].cells[0];
      const b = r.cells[0];
      const g = report.changes[i].gain;
      return `| ${r.domain} (${r.metricId}) | ${pct(r.alone.value)} | ${cell(b.stacked, b.loss)} | ${cell(a.stacked, a.loss)} | ${pts(g.value)}${ci(g)} |`;
    }),
    `| mean gap closed | | ${pct(report.before.meanStacked[0])} | ${pct(report.after.meanStacked[0])} | |`,
  ];
}
