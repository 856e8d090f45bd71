// What stacking cost, as a stacked patch's manifest records it (validated on
// read by src/patch/manifest.ts): per domain, the gap its own parent closes
// alone and in this stack. Shown in the patch row, so also right after import.
import type { PatchSummary } from '../../protocol/messages';

type PatchManifest = PatchSummary['manifest'];

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(100 * x)} %`);

export function ManifestComposition({ manifest }: { manifest: PatchManifest }) {
  const c = manifest.composition;
  if (!c) return null;
  const name = (h: string) =>
    manifest.parents.find((p) => p.tensorSha256 === h)?.name ?? h.slice(0, 8);
  return (
    <div className="manifest-composition" data-testid="manifest-composition">
      <p className="muted">
        Stack order {c.order.map(name).join(' → ')}; {c.evaluatedOrders} orders measured
        {c.recommendedOrder ? `, best: ${c.recommendedOrder.map(name).join(' → ')}` : ''}.
      </p>
      <table>
        <thead>
          <tr>
            <th>Domain</th>
            <th>Gap closed alone</th>
            <th>In this stack</th>
          </tr>
        </thead>
        <tbody>
          {c.domains.map((d) => (
            <tr key={d.domain}>
              <th scope="row">{d.domain}</th>
              <td>{pct(d.alone)}</td>
              <td>{pct(d.stacked)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
