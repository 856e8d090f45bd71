import { useEffect, useMemo, useRef } from 'react';
import { useLab } from '../lab-context';
import { pct, summaryFromEvaluation } from './guided-summary';

/**
 * What the guided flow ends on: the measured verdict (gap closed per domain
 * with its 95 % interval and the random-patch control, fluency against M) and
 * M's and M+P's answers to the demo prompt side by side, scrolled into view so
 * a speaker does not have to hunt for them.
 */
export function GuidedResult({ elapsed }: { elapsed: string | null }) {
  const evaluation = useLab((s) => s.evaluation);
  const playground = useLab((s) => s.playground);
  const summary = useMemo(() => summaryFromEvaluation(evaluation), [evaluation]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, []);
  const ok = 'domains' in summary;
  const before = playground?.answers.base?.text ?? '';
  const after = playground?.answers.patched?.text ?? '';
  return (
    <div className="guided-result" ref={ref}>
      <p
        className={`guided-done${ok && !summary.passed ? ' is-short' : ''}`}
        data-testid="guided-done"
        data-summary={ok ? JSON.stringify(summary) : undefined}
      >
        Done in {elapsed}. {ok ? summary.message : `No verdict: ${summary.reason}`}
      </p>
      {ok && (
        <table className="table guided-verdict" data-testid="guided-verdict">
          <caption className="visually-hidden">Gap closed per domain</caption>
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col">M+P, 95 % CI</th>
              <th scope="col">Random patch</th>
            </tr>
          </thead>
          <tbody>
            {summary.domains.map((d) => (
              <tr key={d.domain} data-verdict={d.verdict}>
                <th scope="row">{d.domain}</th>
                <td>
                  {pct(d.value)}{' '}
                  <span className="muted">
                    [{pct(d.lo)}, {pct(d.hi)}], n {d.n}
                  </span>
                </td>
                <td className="muted">{pct(d.control)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {playground && (
        <div className="guided-answers" data-testid="guided-answers">
          <p className="muted guided-prompt">“{playground.prompt}”</p>
          <div>
            <b>M (before)</b>
            <p data-testid="guided-answer-base">{before || '…'}</p>
          </div>
          <div>
            <b>M+P (after)</b>
            <p data-testid="guided-answer-patched">{after || '…'}</p>
          </div>
        </div>
      )}
    </div>
  );
}
