import { useId } from 'react';
import { importDataFiles } from '../../client/data';
import { useLab, useLabClient } from '../lab-context';
import { useFileDrop } from '../use-file-drop';
import { ImportJobCard } from './ImportJobCard';

/** Benchmark files in: picker or drop, several at once; one card per file. */
export function ImportArea() {
  const client = useLabClient();
  const order = useLab((s) => s.data.jobOrder);
  const { over, dropHandlers } = useFileDrop((data) => take(data.files));
  const inputId = useId();
  const take = (files: FileList | null) => {
    if (files && files.length > 0) importDataFiles(client, Array.from(files));
  };
  return (
    <div className="data-import">
      {/* dropping is a pointer shortcut; the file input inside is the keyboard path */}
      <div className="drop-zone" data-over={over} {...dropHandlers}>
        <label htmlFor={inputId}>
          Import benchmark files (CSV, TSV, JSONL, JSON, TXT) — drop here or choose:{' '}
        </label>
        <input
          id={inputId}
          type="file"
          multiple
          accept=".csv,.tsv,.jsonl,.ndjson,.json,.txt"
          onChange={(e) => {
            take(e.target.files);
            e.target.value = ''; // the same file can be chosen again
          }}
          data-testid="data-file-input"
        />
      </div>
      {order.map((id) => (
        <ImportJobCard key={id} fileId={id} />
      ))}
    </div>
  );
}
