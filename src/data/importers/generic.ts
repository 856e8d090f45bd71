// Any prompt list the lab has no dedicated importer for: CSV/TSV with a
// header, JSON Lines, a JSON array, or plain text with one prompt per line.
// The UI shows previewTable()'s first rows so the user can pick which column
// holds the prompt, then calls importGeneric() with that column.
import type { PromptItem, PromptSetKind } from '../types';
import { ImportError } from './import-error';
import {
  baseName,
  decodeNonEmpty,
  type FileInput,
  flattenKeys,
  getPath,
  metaString,
  type ReadTable,
  readCsvTable,
  readJsonl,
  requireColumns,
  type TableRecord,
} from './table';
import type { PromptSetImport } from './types';

export type GenericFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'txt';

/** The column name plain-text files expose. */
export const TEXT_COLUMN = 'text';

export interface TablePreview {
  format: GenericFormat;
  columns: string[];
  /** The first 10 rows, values as display strings, in `columns` order. */
  rows: string[][];
  totalRows: number;
  warnings: string[];
}

/** Guesses the container format from the file name, then from the content. */
export function guessGenericFormat(fileName: string, text: string): GenericFormat {
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'tsv' || ext === 'jsonl' || ext === 'json' || ext === 'txt') {
    // ".json" files that hold one object per line are JSONL in disguise.
    if (ext === 'json' && looksLikeJsonl(text)) return 'jsonl';
    return ext;
  }
  if (ext === 'ndjson') return 'jsonl';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return 'json';
  if (trimmed.startsWith('{')) return looksLikeJsonl(text) ? 'jsonl' : 'json';
  const firstLine = trimmed.split('\n')[0] ?? '';
  if (firstLine.includes('\t')) return 'tsv';
  if (firstLine.includes(',')) return 'csv';
  return 'txt';
}

function looksLikeJsonl(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return false;
  try {
    JSON.parse(lines[0]);
    return true;
  } catch {
    return false;
  }
}

function readTable(input: FileInput, fileName: string, format: GenericFormat): ReadTable {
  switch (format) {
    case 'csv':
      return readCsvTable(input, fileName, ',');
    case 'tsv':
      return readCsvTable(input, fileName, '\t');
    case 'jsonl':
      return readJsonl(input, fileName);
    case 'json':
      return readJsonArray(input, fileName);
    case 'txt': {
      const { text, warnings } = decodeNonEmpty(input, fileName);
      const records: TableRecord[] = [];
      text.split(/\r?\n/).forEach((l, i) => {
        if (l.trim() !== '') records.push({ line: i + 1, values: { [TEXT_COLUMN]: l.trim() } });
      });
      return { columns: [TEXT_COLUMN], records, warnings };
    }
  }
}

function readJsonArray(input: FileInput, fileName: string): ReadTable {
  const { text, warnings } = decodeNonEmpty(input, fileName);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ImportError(fileName, null, `not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) {
    throw new ImportError(fileName, null, 'expected a JSON array of strings or objects');
  }
  const columns: string[] = [];
  const records: TableRecord[] = data.map((el, i) => {
    // JSON arrays have no line per element; report the 1-based element index.
    if (typeof el === 'string') return { line: i + 1, values: { [TEXT_COLUMN]: el } };
    if (el === null || typeof el !== 'object' || Array.isArray(el)) {
      throw new ImportError(fileName, null, `element ${i + 1} is neither a string nor an object`);
    }
    return { line: i + 1, values: el as Record<string, unknown> };
  });
  for (const r of records) {
    for (const k of flattenKeys(r.values)) if (!columns.includes(k)) columns.push(k);
  }
  return { columns, records, warnings };
}

export function previewTable(
  input: FileInput,
  opts: { fileName: string; format?: GenericFormat },
): TablePreview {
  const { text } = decodeNonEmpty(input, opts.fileName);
  const format = opts.format ?? guessGenericFormat(opts.fileName, text);
  const table = readTable(input, opts.fileName, format);
  const rows = table.records
    .slice(0, 10)
    .map((r) => table.columns.map((c) => metaString(getPath(r.values, c)) ?? ''));
  return {
    format,
    columns: table.columns,
    rows,
    totalRows: table.records.length,
    warnings: table.warnings,
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

export function importGeneric(input: FileInput, opts: GenericImportOptions): PromptSetImport {
  const table = readTable(input, opts.fileName, opts.format);
  requireColumns(table, [opts.column], opts.fileName);
  const items: PromptItem[] = [];
  let blank = 0;
  for (const rec of table.records) {
    const v = getPath(rec.values, opts.column);
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      blank++;
      continue;
    }
    if (typeof v !== 'string') {
      throw new ImportError(
        opts.fileName,
        rec.line,
        `column "${opts.column}" is not text (${JSON.stringify(v)})`,
      );
    }
    const id = opts.idColumn ? metaString(getPath(rec.values, opts.idColumn)) : undefined;
    items.push({ prompt: v.trim(), id: id ?? `line ${rec.line}` });
  }
  const warnings = [...table.warnings];
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
  };
}
