import { useState } from 'react';
import { dismissImportJob, reimportDataFile } from '../../client/data';
import type { BenchmarkFormat, GenericFormat } from '../../data/importers/index';
import type { PromptSetKind } from '../../data/types';
import { formatBytes } from '../../engine/format-bytes';
import type { DataImportChoice } from '../../protocol/messages';
import { useLab, useLabClient } from '../lab-context';
import { importedText } from './imported-text';

const FORMATS: { value: BenchmarkFormat; label: string }[] = [
  { value: 'advbench', label: 'AdvBench' },
  { value: 'harmbench', label: 'HarmBench' },
  { value: 'xstest', label: 'XSTest' },
  { value: 'rtp', label: 'RealToxicityPrompts' },
  { value: 'bold', label: 'BOLD' },
  { value: 'bbq', label: 'BBQ' },
  { value: 'crows-pairs', label: 'CrowS-Pairs' },
  { value: 'generic', label: 'Generic (choose a column)' },
];
const CONTAINERS: GenericFormat[] = ['csv', 'tsv', 'jsonl', 'json', 'txt'];
const KINDS: PromptSetKind[] = ['harmful', 'toxicity', 'bias', 'safe', 'general'];

/** One dropped file: what it was detected as, the user's overrides, preview, warnings, result or error. */
export function ImportJobCard({ fileId }: { fileId: string }) {
  const client = useLabClient();
  const job = useLab((s) => s.data.jobs[fileId]);
  const run = useLab((s) => (job ? s.runs[job.runId] : undefined));
  const [format, setFormat] = useState<BenchmarkFormat | null>(null);
  const [container, setContainer] = useState<GenericFormat | null>(null);
  const [column, setColumn] = useState<string | null>(null);
  const [kind, setKind] = useState<PromptSetKind>('harmful');
  const [contextual, setContextual] = useState<'include' | 'skip'>('include');
  const [split, setSplit] = useState<'train' | 'eval'>('eval');
  if (!job) return null;

  const chosenFormat = format ?? job.choice.format ?? job.detected?.format ?? 'generic';
  const chosenContainer = container ?? job.preview?.format ?? job.detected?.container ?? 'csv';
  const columns = job.preview?.columns ?? [];
  const chosenColumn = column ?? columns[0] ?? '';
  const running = run?.status === 'running';

  const submit = () => {
    const choice: DataImportChoice = { format: chosenFormat, split };
    if (chosenFormat === 'generic')
      choice.generic = { format: chosenContainer, column: chosenColumn, kind };
    if (chosenFormat === 'harmbench') choice.harmbench = { contextual };
    reimportDataFile(client, fileId, choice).catch(() => {});
  };

  return (
    <article className="import-job" data-testid="import-job" aria-label={job.fileName}>
      <div className="row">
        <strong>{job.fileName}</strong>
        <span className="muted">{formatBytes(job.size)}</span>
        <button type="button" className="ghost" onClick={() => dismissImportJob(client, fileId)}>
          Hide
        </button>
      </div>
      {job.detected && (
        <p className="muted">
          Detected: {FORMATS.find((f) => f.value === job.detected?.format)?.label} (
          {job.detected.reason})
        </p>
      )}
      {running && <p role="status">Reading…</p>}
      {run?.status === 'error' && (
        <p className="error-text" role="alert" data-testid="import-error">
          {run.error} — fix the file and drop it again, or pick another format below.
        </p>
      )}
      {job.imported !== null && run?.status === 'done' && (
        <p data-testid="import-count">
          {importedText(job.imported)}
          {job.skipped && job.skipped.count > 0
            ? `; ${job.skipped.count} bad ${job.skipped.count === 1 ? 'line' : 'lines'} left out.`
            : '.'}
        </p>
      )}
      {job.skipped && job.skipped.count > 0 && run?.status === 'done' && (
        <details className="skipped-lines" data-testid="import-skipped">
          <summary>Lines left out</summary>
          <ul>
            {job.skipped.lines.map((l) => (
              <li key={l.line}>
                line {l.line}: {l.reason}
              </li>
            ))}
            {job.skipped.count > job.skipped.lines.length && (
              <li className="muted">and {job.skipped.count - job.skipped.lines.length} more</li>
            )}
          </ul>
        </details>
      )}
      {job.imported === null && run?.status === 'done' && chosenFormat === 'generic' && (
        <p className="warn-text">
          Not a known benchmark: choose the column that holds the prompts, then Import.
        </p>
      )}
      <div className="row">
        <label className="field">
          Format
          <select
            value={chosenFormat}
            onChange={(e) => setFormat(e.target.value as BenchmarkFormat)}
            data-testid="import-format"
          >
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Use for
          <select value={split} onChange={(e) => setSplit(e.target.value as 'train' | 'eval')}>
            <option value="eval">evaluation (held out)</option>
            <option value="train">training</option>
          </select>
        </label>
        {chosenFormat === 'harmbench' && (
          <label className="field">
            Contextual behaviours
            <select
              value={contextual}
              onChange={(e) => setContextual(e.target.value as 'include' | 'skip')}
              data-testid="harmbench-contextual"
            >
              <option value="include">include, with their context</option>
              <option value="skip">skip</option>
            </select>
          </label>
        )}
        {chosenFormat === 'generic' && (
          <>
            <label className="field">
              File type
              <select
                value={chosenContainer}
                onChange={(e) => setContainer(e.target.value as GenericFormat)}
              >
                {CONTAINERS.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label className="field">
              Prompt column
              <select
                value={chosenColumn}
                onChange={(e) => setColumn(e.target.value)}
                data-testid="import-column"
              >
                {columns.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label className="field">
              Kind
              <select value={kind} onChange={(e) => setKind(e.target.value as PromptSetKind)}>
                {KINDS.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            </label>
          </>
        )}
        <button
          type="button"
          onClick={submit}
          disabled={running || (chosenFormat === 'generic' && !chosenColumn)}
          data-testid="import-apply"
        >
          {job.imported === null ? 'Import' : 'Import again'}
        </button>
      </div>
      {job.preview && (
        <details open={chosenFormat === 'generic'}>
          <summary>Preview: first rows of {job.preview.totalRows}</summary>
          <table className="table">
            <thead>
              <tr>
                {job.preview.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {job.preview.rows.slice(0, 5).map((r, i) => (
                // Preview rows have no identity but their position.
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed, read-only rows
                <tr key={i}>
                  {r.map((v, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells of a fixed row
                    <td key={j} title={v}>
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {job.warnings.length > 0 && (
        <ul className="warn-text" data-testid="import-warnings">
          {job.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </article>
  );
}
