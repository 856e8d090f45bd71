import { useId, useState } from 'react';
import { importDataFiles } from '../../worker/client-data';
import { useLab, useLabClient } from '../lab-context';
import { ImportJobCard } from './ImportJobCard';

/** Benchmark files in: picker or drop, several at once; one card per file. */
export function ImportArea() {
  const client = useLabClient();
  const order = useLab((s) => s.data.jobOrder);
  const [over, setOver] = useState(false);
  const inputId = useId();
  const take = (files: FileList | null) => {
    if (files && files.length > 0) importDataFiles(client, Array.from(files));
  };
  return (
    <div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer shortcut; the file input inside is the keyboard path */}
      <div
        className="drop-zone"
        data-over={over}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          take(e.dataTransfer.files);
        }}
      >
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
