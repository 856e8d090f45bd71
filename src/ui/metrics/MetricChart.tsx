import { useId, useMemo, useRef, useState } from 'react';
import {
  CartesianGrid,
  ErrorBar,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { perPromptInterval } from '../../eval/metrics/per-prompt';
import type { EvalResult } from '../../protocol/messages';
import {
  CHART_METRICS,
  type ChartDomain,
  DOMAIN_TITLES,
  findMetric,
  metricValue,
  scorerLabelOf,
} from '../../state/slices/eval';
import { errorText } from '../error-text';
import { useLab } from '../lab-context';
import { saveChartPng } from './chart-png';
import { SampleLines } from './SampleLines';
import { domainSamples } from './samples';

/** Fixed: charts must not shift the page while points arrive. */
export const METRIC_CHART_HEIGHT = 190;

export const fmtMetric = (v: number) =>
  Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : 'undefined';

// recharts draws no axes (and so no reference lines) for an empty data array;
// one point with no value gives the axes while M+P has nothing yet.
const EMPTY_AXIS: Point[] = [{ x: 0, value: null, ci: null, result: null }];

interface Point {
  x: number;
  value: number | null;
  /** The 95 % interval over prompts as [below, above] the value, for the whiskers; null without per-prompt values. */
  ci: [number, number] | null;
  /** The interval itself, for the tooltip. */
  interval?: { lo: number; hi: number; n: number };
  /** null only for the empty-axis placeholder. */
  result: EvalResult | null;
}

/** The metric's 95 % bootstrap interval over prompts (src/eval/metrics/per-prompt.ts), or null. */
function intervalOf(result: EvalResult, id: string): { lo: number; hi: number; n: number } | null {
  const pp = findMetric(result, id)?.perPrompt;
  if (!pp) return null;
  const ci = perPromptInterval(pp);
  return Number.isFinite(ci.lo) && Number.isFinite(ci.hi)
    ? { lo: ci.lo, hi: ci.hi, n: ci.n }
    : null;
}

/**
 * One domain: M+P over training steps with its 95 % interval as whiskers,
 * M, M′ and the control M+R as labelled horizontal lines, samples on hover.
 */
export function MetricChart({ domain }: { domain: ChartDomain }) {
  const baselines = useLab((s) => s.evaluation.baselines);
  const history = useLab((s) => s.evaluation.history);
  const metrics = CHART_METRICS[domain];
  const [metricIdx, setMetricIdx] = useState(0);
  const metric = metrics[metricIdx];
  const figureRef = useRef<HTMLElement>(null);
  const [pngError, setPngError] = useState<string | null>(null);
  const captionId = useId();

  const points: Point[] = useMemo(
    () =>
      history.map((p) => {
        const v = metricValue(p.result, metric.id);
        const value = Number.isFinite(v) ? v : null;
        const interval = value === null ? null : intervalOf(p.result, metric.id);
        return {
          x: p.x,
          value,
          // ErrorBar draws [value − below, value + above]; clamp at 0 for a point estimate outside its percentile interval.
          ci:
            interval && value !== null
              ? [Math.max(0, value - interval.lo), Math.max(0, interval.hi - value)]
              : null,
          ...(interval ? { interval } : {}),
          result: p.result,
        };
      }),
    [history, metric.id],
  );
  const m = metricValue(baselines.base, metric.id);
  const mref = metricValue(baselines.reference, metric.id);
  const mr = metricValue(baselines.control, metric.id);
  const latest = history.at(-1)?.result ?? baselines.reference ?? baselines.base;
  const scorer = scorerLabelOf(latest, metric);
  const scorers = new Set(
    [baselines.base, baselines.reference, baselines.control, history.at(-1)?.result]
      .filter((r): r is EvalResult => Boolean(r))
      .map((r) => scorerLabelOf(r, metric)),
  );
  const fallback =
    latest?.scorer.fellBack && metric.scorer === 'toxicity'
      ? latest.scorer.reason
      : latest?.refusalJudge?.fellBack && metric.scorer === 'refusal'
        ? latest.refusalJudge.reason
        : null;
  const undefinedWhy = latest ? findMetric(latest, metric.id)?.undefinedReason : undefined;
  const title = `${DOMAIN_TITLES[domain]}: ${metric.name}`;
  const maxX = Math.max(1, ...points.map((p) => p.x));

  const savePng = async () => {
    setPngError(null);
    const svg = figureRef.current?.querySelector<SVGSVGElement>('svg.recharts-surface');
    if (!svg) {
      setPngError('Nothing to save yet: the chart appears once a model has been evaluated.');
      return;
    }
    try {
      await saveChartPng(svg, `metrics-${domain}-${metric.id}.png`, `${title} (${scorer})`);
    } catch (e) {
      setPngError(errorText(e));
    }
  };

  const hasData =
    Number.isFinite(m) || Number.isFinite(mref) || Number.isFinite(mr) || points.length > 0;
  const lastCi = points.at(-1)?.interval;
  return (
    <figure
      className="metric-chart"
      ref={figureRef}
      data-testid={`metrics-chart-${domain}`}
      data-points={points.length}
      aria-describedby={captionId}
    >
      <div className="metric-chart-head">
        <h3>{DOMAIN_TITLES[domain]}</h3>
        <fieldset className="metric-switch">
          <legend className="visually-hidden">{`${DOMAIN_TITLES[domain]} metric`}</legend>
          {metrics.map((mm, i) => (
            <button
              key={mm.id}
              type="button"
              className={i === metricIdx ? '' : 'ghost'}
              aria-pressed={i === metricIdx}
              onClick={() => setMetricIdx(i)}
            >
              {mm.name}
            </button>
          ))}
        </fieldset>
      </div>
      <div className="metric-chart-plot" style={{ height: METRIC_CHART_HEIGHT }}>
        {hasData ? (
          <ResponsiveContainer width="100%" height={METRIC_CHART_HEIGHT}>
            <LineChart
              data={points.length ? points : EMPTY_AXIS}
              margin={{ top: 14, right: 56, bottom: 4, left: 0 }}
            >
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis
                dataKey="x"
                type="number"
                domain={[0, maxX]}
                allowDecimals={false}
                stroke="var(--muted)"
                fontSize={12}
                label={{
                  value: 'training step',
                  position: 'insideBottomRight',
                  offset: -2,
                  fontSize: 11,
                  fill: 'var(--muted)',
                }}
              />
              <YAxis
                stroke="var(--muted)"
                fontSize={12}
                width={48}
                domain={metric.range ?? ['auto', 'auto']}
                tickFormatter={(v: number) => fmtMetric(v)}
              />
              {Number.isFinite(m) && (
                <ReferenceLine
                  y={m}
                  stroke="var(--m)"
                  strokeWidth={2}
                  strokeDasharray="6 4"
                  ifOverflow="extendDomain"
                  label={{
                    value: `M ${fmtMetric(m)}`,
                    position: 'right',
                    fill: 'var(--m)',
                    fontSize: 12,
                  }}
                />
              )}
              {Number.isFinite(mref) && (
                <ReferenceLine
                  y={mref}
                  stroke="var(--mref)"
                  strokeWidth={2}
                  strokeDasharray="2 3"
                  ifOverflow="extendDomain"
                  label={{
                    value: `M′ ${fmtMetric(mref)}`,
                    position: 'right',
                    fill: 'var(--mref)',
                    fontSize: 12,
                  }}
                />
              )}
              {Number.isFinite(mr) && (
                <ReferenceLine
                  y={mr}
                  stroke="var(--mr)"
                  strokeWidth={2}
                  strokeDasharray="1 4"
                  ifOverflow="extendDomain"
                  label={{
                    value: `M+R ${fmtMetric(mr)}`,
                    // Inside the plot: on the left it would sit under the y axis, and
                    // on the right it would collide with M's label when M+R ≈ M.
                    position: 'insideTopLeft',
                    fill: 'var(--mr)',
                    fontSize: 12,
                  }}
                />
              )}
              <Tooltip
                content={({ active, payload }) => {
                  const p = active ? (payload?.[0]?.payload as Point | undefined) : undefined;
                  if (!p?.result) return null;
                  const result = p.result;
                  return (
                    <SampleCard
                      point={p}
                      domain={domain}
                      metricName={metric.name}
                      scorer={scorerLabelOf(result, metric)}
                      result={result}
                    />
                  );
                }}
              />
              <Line
                type="linear"
                dataKey="value"
                name="M+P"
                stroke="var(--mp)"
                strokeWidth={2}
                dot={{ r: 4, fill: 'var(--mp)' }}
                activeDot={{ r: 6 }}
                connectNulls
                isAnimationActive={false}
              >
                <ErrorBar
                  dataKey="ci"
                  direction="y"
                  width={6}
                  stroke="var(--mp)"
                  strokeWidth={1.5}
                  isAnimationActive={false}
                />
              </Line>
            </LineChart>
          </ResponsiveContainer>
        ) : (
          <p className="metric-chart-empty muted">
            Evaluate the baselines to draw M, M′ and M+R as reference lines.
          </p>
        )}
      </div>
      <figcaption id={captionId} className="metric-chart-caption">
        <span className="legend">
          <span className="key key-m" aria-hidden /> M{' '}
          <b data-testid={`ref-m-${domain}`}>{Number.isFinite(m) ? fmtMetric(m) : '—'}</b>
          <span className="key key-mref" aria-hidden /> M′{' '}
          <b data-testid={`ref-mref-${domain}`}>{Number.isFinite(mref) ? fmtMetric(mref) : '—'}</b>
          <span className="key key-mr" aria-hidden /> M+R · random patch, untrained{' '}
          <b data-testid={`ref-mr-${domain}`}>{Number.isFinite(mr) ? fmtMetric(mr) : '—'}</b>
          <span className="key key-mp" aria-hidden /> M+P{' '}
          <b data-testid={`mp-last-${domain}`}>
            {points.length ? fmtMetric(points.at(-1)?.value ?? Number.NaN) : '—'}
          </b>
          {lastCi && (
            <span className="muted" data-testid={`mp-ci-${domain}`}>
              95 % CI [{fmtMetric(lastCi.lo)}, {fmtMetric(lastCi.hi)}], n = {lastCi.n}
            </span>
          )}
        </span>
        {scorer && (
          <span className="scorer" data-testid={`scorer-${domain}`}>
            Scorer: {scorer}
          </span>
        )}
        {scorers.size > 1 && (
          <span className="note" role="note">
            Not comparable: these numbers come from different scorers ({[...scorers].join(' vs ')}).
          </span>
        )}
        {fallback && (
          <span className="note" role="note">
            {fallback}
          </span>
        )}
        {undefinedWhy && <span className="muted">Undefined: {undefinedWhy}</span>}
      </figcaption>
      <div className="metric-chart-actions">
        <button type="button" className="ghost" onClick={savePng} disabled={!hasData}>
          Save PNG
        </button>
        {pngError && (
          <span className="note" role="alert">
            {pngError}
          </span>
        )}
      </div>
    </figure>
  );
}

function SampleCard({
  point,
  result,
  domain,
  metricName,
  scorer,
}: {
  point: Point;
  result: EvalResult;
  domain: ChartDomain;
  metricName: string;
  scorer: string;
}) {
  const samples = domainSamples(result, domain, 4);
  return (
    <div className="sample-card" data-testid="sample-card">
      <p>
        <b>M+P</b> at step {point.x}: {metricName} {fmtMetric(point.value ?? Number.NaN)}{' '}
        {point.interval && (
          <span>
            [{fmtMetric(point.interval.lo)}, {fmtMetric(point.interval.hi)}] 95 % CI, n ={' '}
            {point.interval.n}{' '}
          </span>
        )}
        <span className="muted">({scorer})</span>
      </p>
      <SampleLines samples={samples} />
    </div>
  );
}
