import { useMemo } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { TrainStepPoint } from '../../protocol/messages';
import { stagePoints } from '../../state/slices/train';

/** Fixed chart height: the panel must not jump when the first point arrives. */
const CHART_HEIGHT = 170;

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v));

/** Live loss curves: SFT loss, then DPO loss with reward accuracy on a second axis. */
export function LossCharts({ points }: { points: TrainStepPoint[] }) {
  const sft = useMemo(() => stagePoints(points, 'sft'), [points]);
  const dpo = useMemo(() => stagePoints(points, 'dpo'), [points]);
  return (
    <div className="train-charts">
      <figure className="train-chart" data-testid="chart-sft" data-points={sft.length}>
        <figcaption>SFT loss (nats/token)</figcaption>
        <div style={{ height: CHART_HEIGHT }}>
          {sft.length === 0 ? (
            <p className="train-chart-empty muted">No SFT steps yet.</p>
          ) : (
            <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
              <LineChart data={sft} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
                <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                <XAxis dataKey="step" stroke="var(--muted)" fontSize={11} />
                <YAxis stroke="var(--muted)" fontSize={11} width={44} tickFormatter={fmt} />
                <Tooltip
                  formatter={fmt}
                  contentStyle={{ background: 'var(--panel)', borderColor: 'var(--border)' }}
                />
                <Line
                  type="monotone"
                  dataKey="loss"
                  name="SFT loss"
                  stroke="var(--mp)"
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          )}
        </div>
      </figure>
      <figure className="train-chart" data-testid="chart-dpo" data-points={dpo.length}>
        <figcaption>DPO loss and reward accuracy</figcaption>
        <div style={{ height: CHART_HEIGHT }}>
          {dpo.length === 0 ? (
            <p className="train-chart-empty muted">No DPO steps yet.</p>
          ) : (
            <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
              <LineChart data={dpo} margin={{ top: 8, right: 4, bottom: 4, left: 0 }}>
                <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                <XAxis dataKey="step" stroke="var(--muted)" fontSize={11} />
                <YAxis
                  yAxisId="loss"
                  stroke="var(--muted)"
                  fontSize={11}
                  width={44}
                  tickFormatter={fmt}
                />
                <YAxis
                  yAxisId="acc"
                  orientation="right"
                  domain={[0, 1]}
                  stroke="var(--muted)"
                  fontSize={11}
                  width={34}
                />
                <Tooltip
                  formatter={fmt}
                  contentStyle={{ background: 'var(--panel)', borderColor: 'var(--border)' }}
                />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                <Line
                  yAxisId="loss"
                  type="monotone"
                  dataKey="loss"
                  name="DPO loss"
                  stroke="var(--mp)"
                  dot={false}
                  isAnimationActive={false}
                />
                <Line
                  yAxisId="acc"
                  type="monotone"
                  dataKey="rewardAccuracy"
                  name="reward accuracy"
                  stroke="var(--mref)"
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          )}
        </div>
      </figure>
    </div>
  );
}
