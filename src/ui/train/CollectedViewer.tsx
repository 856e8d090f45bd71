import type { CollectedSummary } from '../../protocol/messages';

/** The collected pairs, first few: what SFT imitates (M′) and what DPO pushes away from (M). */
export function CollectedViewer({ summary }: { summary: CollectedSummary }) {
  const domains = Object.entries(summary.byDomain)
    .map(([d, n]) => `${d} ${n}`)
    .join(' · ');
  return (
    <div className="train-collected" data-testid="collected">
      <p className="train-small">
        <strong data-testid="collected-count">{summary.count}</strong> pairs ({domains})
        {summary.cached ? ' — from the cache, nothing regenerated.' : '.'}
      </p>
      <details className="train-details">
        <summary>View pairs ({summary.sample.length} shown)</summary>
        {/* A scrolling region must be reachable by keyboard to scroll it. */}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable region */}
        <section className="train-pairs" tabIndex={0} aria-label="Collected pairs">
          <table className="table" data-testid="collected-table">
            <thead>
              <tr>
                <th>Prompt</th>
                <th>M′ answer (chosen)</th>
                <th>M answer (rejected)</th>
                <th title="Σ log p under M′ of each answer">ref log-p</th>
              </tr>
            </thead>
            <tbody>
              {summary.sample.map((p, i) => (
                // The sample is a fixed prefix of the set: the index is stable.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <tr key={i}>
                  <td>
                    <span className="train-tag">{p.domain}</span> {p.prompt}
                  </td>
                  <td>{p.chosen || <em className="muted">(empty)</em>}</td>
                  <td>{p.rejected || <em className="muted">(empty)</em>}</td>
                  <td className="train-num">
                    {p.refChosen.toFixed(1)} / {p.refRejected.toFixed(1)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </details>
    </div>
  );
}
