import { useEffect, useState } from 'react';
import { persistImportedSetsOnce, removeDataSet, selectDataSet } from '../../client/data';
import { ImportArea } from '../data/ImportArea';
import { SetList } from '../data/SetList';
import '../data/data.css';
import { useLab, useLabClient } from '../lab-context';
import { Panel } from '../Panel';

export function DataPanel() {
  const client = useLabClient();
  const pairSets = useLab((s) => s.data.pairSets);
  const lastSplit = useLab((s) => s.data.lastSplit);
  const selected = useLab((s) => s.data.selected);
  const [storageError, setStorageError] = useState<string | null>(null);

  useEffect(() => {
    persistImportedSetsOnce(client, setStorageError);
  }, [client]);

  return (
    <Panel title="Data" area="data">
      {storageError && (
        <p className="warn-text" role="alert">
          {storageError} Imported sets work for this visit but will not be there after a reload.
        </p>
      )}
      <ImportArea />
      {lastSplit && (
        <p role="status" data-testid="split-report">
          Split {lastSplit.setName}: {lastSplit.train} train, {lastSplit.eval} eval
          {lastSplit.duplicatesDropped > 0 && `, ${lastSplit.duplicatesDropped} duplicates dropped`}
          ;{' '}
          {lastSplit.overlaps.length === 0
            ? 'no prompt is in both.'
            : `${lastSplit.overlaps.length} prompts in both!`}
          {lastSplit.statementWarning && (
            <span className="warn-text" data-testid="split-statement-warning">
              {' '}
              {lastSplit.statementWarning}
              {lastSplit.statementOverlaps.length > 0 &&
                ` In both halves: ${lastSplit.statementOverlaps
                  .slice(0, 5)
                  .map((x) => `“${x}”`)
                  .join(', ')}${lastSplit.statementOverlaps.length > 5 ? ', …' : ''}.`}
            </span>
          )}
        </p>
      )}
      <SetList />
      {pairSets.length > 0 && (
        <section aria-label="Sentence pairs">
          <h3>Sentence pairs (bias likelihood)</h3>
          <ul>
            {pairSets.map((p) => (
              <li key={p.id} className="row">
                <label>
                  <input
                    type="checkbox"
                    checked={selected.includes(p.id)}
                    onChange={(e) => selectDataSet(client, p.id, e.target.checked)}
                  />{' '}
                  {p.set.name} · {p.set.pairs.length} pairs
                </label>
                <button type="button" className="ghost" onClick={() => removeDataSet(client, p.id)}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Panel>
  );
}
