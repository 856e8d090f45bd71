// Shared reading steps for the importers: decoded text -> records with line
// numbers, and the checks every format needs (empty file, missing columns,
// ragged rows, bad JSON lines). A bad record costs that record: it is listed
// as skipped with its line and reason, and the rest of the file is read.
import { parseCsv } from '../csv';
import { ImportError } from './import-error';

export type FileInput = Uint8Array | string;

export interface ImportOptionsBase {
  /** The file's name, used in messages and as the set's `source`. */
  fileName: string;
}

/** The column name plain-text files expose. */
export const TEXT_COLUMN = 'text';

/**
 * Deepest JSON nesting read (objects and arrays). Benchmarks nest 2-3 levels;
 * far deeper is hostile, and walking it recursively overflowed the stack.
 */
export const MAX_JSON_DEPTH = 64;

/** Skipped lines listed one by one; beyond this they are only counted. */
export const MAX_SKIPPED_LISTED = 100;

export interface SkippedLine {
  line: number;
  reason: string;
}

export interface Skipped {
  /** Every skipped record. */
  count: number;
  /** The first MAX_SKIPPED_LISTED of them, in file order. */
  lines: SkippedLine[];
}

/** Longest reason kept: a JSON error can quote the line it failed on. */
const MAX_REASON_CHARS = 200;

export function addSkipped(s: Skipped, line: number, reason: string): void {
  s.count++;
  if (s.lines.length < MAX_SKIPPED_LISTED) {
    const short =
      reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason;
    s.lines.push({ line, reason: short });
  }
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
  /** Records the container itself could not read (CSV syntax, bad JSON, ragged rows). */
  skipped: Skipped;
}

const noneSkipped = (): Skipped => ({ count: 0, lines: [] });

/** Reads a CSV (or TSV) text with a header row; a row without the header's column count is skipped. */
export function readCsvTable(
  text: string,
  warnings: string[],
  fileName: string,
  delimiter = ',',
): ReadTable {
  const parsed = parseCsv(text, delimiter);
  const skipped = noneSkipped();
  // Problems come in file order, and so do records: merge them by line.
  const problems = parsed.problems;
  let p = 0;
  const flushProblemsBefore = (line: number) => {
    while (p < problems.length && problems[p].line < line) {
      addSkipped(skipped, problems[p].line, problems[p].message);
      p++;
    }
  };
  const [header, ...rows] = parsed.rows;
  if (!header) {
    const first = problems[0];
    throw new ImportError(
      fileName,
      first?.line ?? null,
      first ? first.message : 'the file is empty',
    );
  }
  // A header that does not parse is not a table at all: say so instead of
  // taking the next row as the header.
  if (problems.length > 0 && problems[0].line < parsed.lines[0]) {
    throw new ImportError(fileName, problems[0].line, `the header row: ${problems[0].message}`);
  }
  const columns = header.map((c) => c.trim());
  const records: TableRecord[] = [];
  rows.forEach((row, i) => {
    const line = parsed.lines[i + 1];
    flushProblemsBefore(line);
    if (row.length !== columns.length) {
      addSkipped(
        skipped,
        line,
        `expected ${columns.length} columns (as in the header) but found ${row.length}`,
      );
      return;
    }
    const values: Record<string, unknown> = {};
    columns.forEach((c, j) => {
      values[c] = row[j];
    });
    records.push({ line, values });
  });
  flushProblemsBefore(Number.POSITIVE_INFINITY);
  if (records.length === 0 && skipped.count === 0) {
    throw new ImportError(fileName, null, 'the file has a header but no rows');
  }
  return { columns, records, warnings, skipped };
}

/** Reads JSON Lines: one object per non-blank line; a line that is not one is skipped. */
export function readJsonlTable(text: string, warnings: string[]): ReadTable {
  const records: TableRecord[] = [];
  const seen = new Set<string>();
  const columns: string[] = [];
  const skipped = noneSkipped();
  // A JSON text never holds a raw CR, so CR-only files split safely too.
  text.split(/\r\n?|\n/).forEach((raw, i) => {
    const lineText = raw.trim();
    if (lineText === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (e) {
      addSkipped(skipped, i + 1, `not valid JSON (${(e as Error).message})`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      addSkipped(skipped, i + 1, 'expected a JSON object on each line');
      return;
    }
    const keys = flattenKeys(value as Record<string, unknown>);
    if (keys === null) {
      addSkipped(skipped, i + 1, `nested more than ${MAX_JSON_DEPTH} levels deep`);
      return;
    }
    for (const key of keys) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    records.push({ line: i + 1, values: value as Record<string, unknown> });
  });
  return { columns, records, warnings, skipped };
}

/** A parsed JSON array of strings or objects; other elements are skipped. */
export function readJsonArrayTable(data: unknown, warnings: string[], fileName: string): ReadTable {
  if (!Array.isArray(data)) {
    throw new ImportError(fileName, null, 'expected a JSON array of strings or objects');
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  const records: TableRecord[] = [];
  const skipped = noneSkipped();
  data.forEach((el, i) => {
    // JSON arrays have no line per element; "line" is the 1-based element index.
    if (typeof el === 'string') {
      records.push({ line: i + 1, values: { [TEXT_COLUMN]: el } });
      if (!seen.has(TEXT_COLUMN)) {
        seen.add(TEXT_COLUMN);
        columns.push(TEXT_COLUMN);
      }
      return;
    }
    if (el === null || typeof el !== 'object' || Array.isArray(el)) {
      addSkipped(skipped, i + 1, `element ${i + 1} is neither a string nor an object`);
      return;
    }
    const keys = flattenKeys(el as Record<string, unknown>);
    if (keys === null) {
      addSkipped(
        skipped,
        i + 1,
        `element ${i + 1} is nested more than ${MAX_JSON_DEPTH} levels deep`,
      );
      return;
    }
    for (const k of keys) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
    records.push({ line: i + 1, values: el as Record<string, unknown> });
  });
  return { columns, records, warnings, skipped };
}

export function readTextLines(text: string, warnings: string[]): ReadTable {
  const records: TableRecord[] = [];
  text.split(/\r\n?|\n/).forEach((l, i) => {
    if (l.trim() !== '') records.push({ line: i + 1, values: { [TEXT_COLUMN]: l.trim() } });
  });
  return { columns: [TEXT_COLUMN], records, warnings, skipped: noneSkipped() };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Dotted paths to every non-object leaf ("prompt.text"), so nested JSON can
 * be picked like columns; null when the value nests (objects or arrays) more
 * than `maxDepth` levels. Iterative: depth costs heap, never stack.
 */
export function flattenKeys(
  obj: Record<string, unknown>,
  maxDepth = MAX_JSON_DEPTH,
): string[] | null {
  const keys: string[] = [];
  // Children are pushed in reverse so they pop in order: the same
  // depth-first order a recursive walk gives.
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: obj, path: '', depth: 1 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (depth > maxDepth) return null;
    if (isPlainObject(value)) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i];
        stack.push({ value: v, path: path ? `${path}.${k}` : k, depth: depth + 1 });
      }
      // An empty nested object is no column, as before.
      continue;
    }
    if (Array.isArray(value) && arrayDepth(value, maxDepth - depth + 1) === null) return null;
    keys.push(path);
  }
  return keys;
}

/** Nesting depth of an array (1 = flat), or null past `max`. */
function arrayDepth(arr: unknown[], max: number): number | null {
  let deepest = 0;
  const stack: [unknown, number][] = [[arr, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) return null;
    deepest = Math.max(deepest, d);
    const children = Array.isArray(v) ? v : isPlainObject(v) ? Object.values(v) : [];
    for (const c of children) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return deepest;
}

/** Value at a dotted path ("prompt.text"); a literal key containing dots wins. */
export function getPath(obj: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(obj, path)) return obj[path];
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
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
      `field "${path}" is ${v === undefined ? 'missing' : `not text (${shortJson(v)})`}`,
    );
  }
  return v;
}

function shortJson(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
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

export interface RecordsRead<T> {
  items: T[];
  /** The table's own skipped lines plus those `read` rejected. */
  skipped: Skipped;
}

/**
 * Runs `read` over every record. A record it rejects with an ImportError
 * naming a line is skipped and listed; `undefined` drops a record silently
 * (a filter, e.g. another bias type). With nothing left, the file is refused,
 * naming the first reasons.
 */
export function readRecords<T>(
  table: ReadTable,
  fileName: string,
  read: (rec: TableRecord, index: number) => T | undefined,
  opts: { allowEmpty?: boolean } = {},
): RecordsRead<T> {
  const skipped: Skipped = { count: table.skipped.count, lines: [...table.skipped.lines] };
  const items: T[] = [];
  for (const [index, rec] of table.records.entries()) {
    try {
      const item = read(rec, index);
      if (item !== undefined) items.push(item);
    } catch (e) {
      if (!(e instanceof ImportError) || e.line === null) throw e;
      addSkipped(skipped, e.line, e.detail);
    }
  }
  skipped.lines.sort((a, b) => a.line - b.line);
  if (items.length === 0 && skipped.count > 0 && !opts.allowEmpty) {
    throw new ImportError(
      fileName,
      null,
      `no usable rows: all ${skipped.count} were skipped (${describeSkipped(skipped, 3)})`,
    );
  }
  return { items, skipped };
}

function describeSkipped(s: Skipped, shown: number): string {
  const parts = s.lines.slice(0, shown).map((l) => `line ${l.line}: ${l.reason}`);
  if (s.count > shown) parts.push(`${s.count - shown} more`);
  return parts.join('; ');
}

/** The warning line for skipped records, or none; the full list travels in `skipped`. */
export function skippedWarnings(fileName: string, s: Skipped): string[] {
  if (s.count === 0) return [];
  return [
    `${fileName}: skipped ${s.count} bad line${s.count > 1 ? 's' : ''}, imported the rest (${describeSkipped(s, 3)})`,
  ];
}
