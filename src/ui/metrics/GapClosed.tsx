import { METRIC_CATALOGUE } from '../../eval/metric-catalogue';
import { CHART_DOMAINS, DOMAIN_TITLES, GAP_METRIC, gapClosedView } from '../../state/slices/eval';
import { useLab } from '../lab-context';

/** "Gap closed" per domain: how far M+P has moved from M toward M′. */
export function GapClosed() {
  const evaluation = useLab((s) => s.evaluation);
  const baseFp = useLab((s) => s.models.loaded.base?.embeddingFingerprint ?? null);
  return (
    <table className="table gap-closed" data-testid="gap-closed">
      <caption>Gap closed = (M − M+P) / (M − M′), newest M+P; 100% = as good as M′</caption>
      <thead>
        <tr>
          <th scope="col">Domain</th>
          <th scope="col">On</th>
          <th scope="col">Gap closed</th>
        </tr>
      </thead>
      <tbody>
        {CHART_DOMAINS.map((d) => {
          const v = gapClosedView(evaluation, d, baseFp);
          return (
            <tr key={d} data-testid={`gap-${d}`}>
              <th scope="row">{DOMAIN_TITLES[d]}</th>
              <td className="muted">{METRIC_CATALOGUE[GAP_METRIC[d]].words}</td>
              <td>
                {v.percent === null ? (
                  <span className="muted">{v.reason}</span>
                ) : (
                  <b className="gap-value">
                    {v.percent.toFixed(0)}%{' '}
                    <span className="muted">{v.onDemand ? '(on demand)' : `(step ${v.x})`}</span>
                  </b>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
