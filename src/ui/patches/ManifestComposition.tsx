// What stacking cost, as a stacked patch's manifest records it (validated on
// read by src/patch/manifest.ts): per domain, the gap its own parent closes
// alone and in this stack. Shown in the patch row itself (not only in the
// manifest details), so a patch imported from a file shows it at once.
import type { PatchManifest } from '../../patch/types';
import { manifestCompositionView } from './composition-view';

export function ManifestComposition({ manifest }: { manifest: PatchManifest }) {
  const v = manifestCompositionView(manifest);
  if (!v) return null;
  return (
    <details className="manifest-composition" data-testid="manifest-composition">
      <summary data-testid="manifest-composition-summary">
        Composition: {v.order}; {v.measured}
      </summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">Gap closed alone</th>
            {v.joint && <th scope="col">Stacked, before joint retraining</th>}
            <th scope="col">In this stack</th>
            <th scope="col">Loss (points)</th>
          </tr>
        </thead>
        <tbody>
          {v.rows.map((r) => (
            <tr key={r.domain}>
              <th scope="row">{r.domain}</th>
              <td>{r.alone}</td>
              {v.joint && <td>{r.beforeJoint}</td>}
              <td>{r.stacked}</td>
              <td>{r.loss}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
