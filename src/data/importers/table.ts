// Shared reading steps for the importers: bytes -> text -> records with line
// numbers, and the checks every format needs (empty file, missing columns,
// ragged rows, bad JSON lines).
import { CsvSyntaxError, parseCsv } from '../csv';
import { decodeBytes } from '../decode';
import { ImportError } from './import-error';

export type FileInput = Uint8Array | string;

export interface ImportOptionsBase {
  /** The file's name, used in messages and as the set's `source`. */
  fileName: string;
}

/** One record of a table (CSV row or JSONL object) with where it came from. */
export interface TableRecord {
  line: number;
  /** Column name -> value; for JSONL the parsed object. */
  values: Record<string, unknown>;
}

export interface ReadTable {
  columns: string[];
  records: TableRecord[];
  warnings: string[];
}

export function decodeNonEmpty(input: FileInput, fileName: string) {
  const decoded = decodeBytes(input, fileName);
  if (decoded.text.trim() === '') throw new ImportError(fileName, null, 'the file is empty');
  return decoded;
}

/** Reads a CSV (or TSV) file with a header row; every row must have the header's column count. */
export function readCsvTable(input: FileInput, fileName: string, delimiter = ','): ReadTable {
  const { text, warnings } = decodeNonEmpty(input, fileName);
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text, delimiter);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new ImportError(fileName, e.line, e.message);
    throw e;
  }
  const [header, ...rows] = parsed.rows;
  if (!header) throw new ImportError(fileName, null, 'the file is empty');
  const columns = header.map((c) => c.trim());
  const records: TableRecord[] = rows.map((row, i) => {
    const line = parsed.lines[i + 1];
    if (row.length !== columns.length) {
      throw new ImportError(
        fileName,
        line,
        `expected ${columns.length} columns (as in the header) but found ${row.length}`,
      );
    }
    const values: Record<string, unknown> = {};
    columns.forEach((c, j) => {
      values[c] = row[j];
    });
    return { line, values };
  });
  if (records.length === 0)
    throw new ImportError(fileName, null, 'the file has a header but no rows');
  return { columns, records, warnings };
}

/** Reads JSON Lines: one object per non-blank line. */
export function readJsonl(input: FileInput, fileName: string): ReadTable {
  const { text, warnings } = decodeNonEmpty(input, fileName);
  const records: TableRecord[] = [];
  const seen = new Set<string>();
  const columns: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const lineText = raw.trim();
    if (lineText === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (e) {
      throw new ImportError(fileName, i + 1, `not valid JSON (${(e as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ImportError(fileName, i + 1, 'expected a JSON object on each line');
    }
    for (const key of flattenKeys(value as Record<string, unknown>)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    records.push({ line: i + 1, values: value as Record<string, unknown> });
  });
  return { columns, records, warnings };
}

/** Dotted paths to every non-object leaf ("prompt.text"), so nested JSON can be picked like columns. */
export function flattenKeys(obj: Record<string, unknown>, prefix = ''): string[] {
  const keys: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      keys.push(...flattenKeys(v as Record<string, unknown>, path));
    } else {
      keys.push(path);
    }
  }
  return keys;
}

/** Value at a dotted path ("prompt.text"); a literal key containing dots wins. */
export function getPath(obj: Record<string, unknown>, path: string): unknown {
  if (path in obj) return obj[path];
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function requireColumns(table: ReadTable, required: string[], fileName: string): void {
  const missing = required.filter((c) => !table.columns.includes(c));
  if (missing.length > 0) {
    throw new ImportError(
      fileName,
      null,
      `missing required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}; columns found: ${table.columns.map((c) => `"${c}"`).join(', ') || '(none)'}`,
    );
  }
}

/** A required string field of one record; an absent or non-string value is an error naming the line. */
export function requireString(rec: TableRecord, path: string, fileName: string): string {
  const v = getPath(rec.values, path);
  if (typeof v !== 'string') {
    throw new ImportError(
      fileName,
      rec.line,
      `field "${path}" is ${v === undefined ? 'missing' : `not text (${JSON.stringify(v)})`}`,
    );
  }
  return v;
}

/** A printable form of an optional field for PromptItem.meta. */
export function metaString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Set name from a file name: "toxic.sample300.jsonl" -> "toxic.sample300". */
export function baseName(fileName: string): string {
  const last = fileName.split(/[\\/]/).pop() ?? fileName;
  return last.replace(/\.(csv|tsv|jsonl|json|txt)$/i, '');
}
