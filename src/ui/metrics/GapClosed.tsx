import { GAP_METRIC_IDS } from '../../eval/gap-table';
import { metricInfo } from '../../eval/metric-catalogue';
import { formatGapClosed } from '../../eval/metrics/gap-closed';
import { CHART_DOMAINS, DOMAIN_TITLES, gapClosedView } from '../../state/slices/eval';
import { useLab } from '../lab-context';

/**
 * "Gap closed" per domain: how far M+P has moved from M toward M′, with its
 * paired 95 % interval over prompts and n, beside how far the untrained
 * random patch M+R moves it (M+P's number is evidence only above M+R's).
 */
export function GapClosed() {
  const evaluation = useLab((s) => s.evaluation);
  const baseFp = useLab((s) => s.models.loaded.base?.embeddingFingerprint ?? null);
  // Which control the column shows: its shape follows the patch applied when it was evaluated.
  const control = evaluation.baselines.control;
  return (
    <table className="table gap-closed" data-testid="gap-closed">
      <caption>
        Gap closed = (M − X) / (M − M′), newest M+P; 100% = as good as M′; [95 % interval over
        prompts]
        {control && (
          <span className="muted" data-testid="gap-control-label">
            {' '}
            · {control.modelLabel}
          </span>
        )}
      </caption>
      <thead>
        <tr>
          <th scope="col">Domain</th>
          <th scope="col">On</th>
          <th scope="col">M+P closes</th>
          <th scope="col">M+R (random patch, untrained) closes</th>
        </tr>
      </thead>
      <tbody>
        {CHART_DOMAINS.map((d) => {
          const v = gapClosedView(evaluation, d, baseFp);
          return (
            <tr key={d} data-testid={`gap-${d}`}>
              <th scope="row">{DOMAIN_TITLES[d]}</th>
              <td className="muted">{metricInfo(GAP_METRIC_IDS[d])?.words ?? GAP_METRIC_IDS[d]}</td>
              <td data-testid={`gap-mp-${d}`}>
                {v.patched === null ? (
                  <span className="muted">{v.reason}</span>
                ) : (
                  <b className="gap-value">
                    {formatGapClosed(v.patched)}{' '}
                    <span className="muted gap-n">
                      n = {v.patched.n} · {v.onDemand ? 'on demand' : `step ${v.x}`}
                    </span>
                  </b>
                )}
              </td>
              <td data-testid={`gap-mr-${d}`}>
                {v.control === null ? (
                  <span className="muted">{v.patched === null ? '—' : v.controlReason}</span>
                ) : (
                  <span className="gap-control">
                    {formatGapClosed(v.control)}{' '}
                    <span className="muted gap-n">n = {v.control.n}</span>
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
