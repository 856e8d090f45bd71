// Any prompt list the lab has no dedicated importer for: CSV/TSV with a
// header, JSON Lines, a JSON array, or plain text with one prompt per line.
// The UI shows previewTable()'s first rows so the user can pick which column
// holds the prompt, then calls importGeneric() with that column.
import type { PromptItem, PromptSetKind } from '../types';
import { type DataFile, dataFile, type GenericFormat } from './data-file';
import { ImportError } from './import-error';
import {
  baseName,
  type FileInput,
  getPath,
  metaString,
  readRecords,
  requireColumns,
  type Skipped,
  skippedWarnings,
} from './table';
import type { PromptSetImport } from './types';

export { type GenericFormat, guessGenericFormat } from './data-file';
export { TEXT_COLUMN } from './table';

export interface TablePreview {
  format: GenericFormat;
  columns: string[];
  /** The first 10 rows, values as display strings, in `columns` order. */
  rows: string[][];
  totalRows: number;
  warnings: string[];
  /** Lines the container itself could not read (CSV syntax, bad JSON, ragged rows). */
  skipped: Skipped;
}

export function previewTable(
  input: FileInput | DataFile,
  opts: { fileName: string; format?: GenericFormat },
): TablePreview {
  const file = dataFile(input, opts.fileName);
  const format = opts.format ?? file.guessFormat();
  const table = file.table(format);
  const rows = table.records
    .slice(0, 10)
    .map((r) => table.columns.map((c) => metaString(getPath(r.values, c)) ?? ''));
  return {
    format,
    columns: table.columns,
    rows,
    totalRows: table.records.length,
    warnings: [...table.warnings, ...skippedWarnings(file.fileName, table.skipped)],
    skipped: table.skipped,
  };
}

export interface GenericImportOptions {
  fileName: string;
  format: GenericFormat;
  /** Column (CSV header, or dotted JSON path like "prompt.text") holding the prompt. */
  column: string;
  kind: PromptSetKind;
  name?: string;
  split?: 'train' | 'eval';
  /** Column holding an id, if any. */
  idColumn?: string;
}

export function importGeneric(
  input: FileInput | DataFile,
  opts: GenericImportOptions,
): PromptSetImport {
  const table = dataFile(input, opts.fileName).table(opts.format);
  requireColumns(table, [opts.column], opts.fileName);
  let blank = 0;
  const { items, skipped } = readRecords<PromptItem>(table, opts.fileName, (rec) => {
    const v = getPath(rec.values, opts.column);
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      blank++;
      return undefined;
    }
    if (typeof v !== 'string') {
      throw new ImportError(
        opts.fileName,
        rec.line,
        `column "${opts.column}" is not text (${metaString(v)?.slice(0, 80)})`,
      );
    }
    const id = opts.idColumn ? metaString(getPath(rec.values, opts.idColumn)) : undefined;
    return { prompt: v.trim(), id: id ?? `line ${rec.line}` };
  });
  const warnings = [...table.warnings, ...skippedWarnings(opts.fileName, skipped)];
  if (blank > 0)
    warnings.push(`${opts.fileName}: skipped ${blank} row(s) with an empty "${opts.column}"`);
  if (items.length === 0) {
    throw new ImportError(opts.fileName, null, `no non-empty values in column "${opts.column}"`);
  }
  return {
    set: {
      name: opts.name ?? baseName(opts.fileName),
      kind: opts.kind,
      source: opts.fileName,
      split: opts.split ?? 'eval',
      items,
    },
    warnings,
    skipped,
  };
}
