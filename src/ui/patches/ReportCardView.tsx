import type { PatchManifest } from '../../patch/types';
import { reportCardCaption, reportCardRows } from './report-card-rows';

/**
 * The patch's report card as it travels in its manifest: every metric for
 * M, M+P (with its interval), M′ and the control M+R, the prompts it rests
 * on and the gap closed. The same view for a patch trained here and one
 * imported from a file, so a recipient sees what the author saw.
 */
export function ReportCardView({ manifest }: { manifest: PatchManifest }) {
  const rows = reportCardRows(manifest.metrics);
  if (rows.length === 0) return null;
  const caption = reportCardCaption(manifest);
  return (
    <details className="report-card" data-testid="report-card">
      <summary>Report card ({rows.length} metrics at export)</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">metric</th>
            <th scope="col">M</th>
            <th scope="col">M+P [95 % CI]</th>
            <th scope="col">M′</th>
            <th scope="col">M+R</th>
            <th scope="col">n</th>
            <th scope="col">gap closed</th>
            <th scope="col">by M+R</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid={`report-card-${r.id}`}>
              <th scope="row" title={r.id}>
                {r.name}
              </th>
              <td>{r.base}</td>
              <td data-testid="report-card-patched">{r.patched}</td>
              <td>{r.reference}</td>
              <td>{r.control}</td>
              <td>{r.n}</td>
              <td>{r.gap}</td>
              <td>{r.controlGap}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {caption && <p className="report-card-caption">{caption}</p>}
    </details>
  );
}
