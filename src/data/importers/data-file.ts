// One imported file, decoded once and parsed at most once per container
// format. Detection, preview and import used to decode and parse the same
// bytes two or three times; handing them one DataFile makes that one pass.
import { type DecodedText, decodeBytes } from '../decode';
import { ImportError } from './import-error';
import {
  type FileInput,
  type ReadTable,
  readCsvTable,
  readJsonArrayTable,
  readJsonlTable,
  readTextLines,
} from './table';

export type GenericFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'txt';

/** The text up to (not including) its first line break. */
function firstLineOf(text: string): string {
  const m = /\r\n?|\n/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** The first `count` non-blank lines, without splitting the whole text. */
function firstLines(text: string, count: number): string[] {
  const out: string[] = [];
  const re = /[^\r\n]*(\r\n?|\n|$)/g;
  for (let m = re.exec(text); m && m[0] !== '' && out.length < count; m = re.exec(text)) {
    if (m[0].trim() !== '') out.push(m[0].trim());
  }
  return out;
}

function looksLikeJsonl(text: string): boolean {
  const lines = firstLines(text, 2);
  if (lines.length < 2) return false;
  try {
    JSON.parse(lines[0]);
    return true;
  } catch {
    return false;
  }
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
  const firstLine = firstLineOf(trimmed);
  if (firstLine.includes('\t')) return 'tsv';
  if (firstLine.includes(',')) return 'csv';
  return 'txt';
}

type Memo<T> = { ok: true; value: T } | { ok: false; error: unknown };

function memo<T>(f: () => T): Memo<T> {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

function unwrap<T>(m: Memo<T>): T {
  if (!m.ok) throw m.error;
  return m.value;
}

export class DataFile {
  private input: FileInput | null;
  private decodedMemo: Memo<DecodedText> | null = null;
  private readonly tables = new Map<GenericFormat, Memo<ReadTable>>();
  private jsonMemo: Memo<unknown> | null = null;

  constructor(
    input: FileInput,
    readonly fileName: string,
  ) {
    this.input = input;
  }

  /** The text, decoded once (UTF-8, cp1252 per line); an empty file is an ImportError. */
  decoded(): DecodedText {
    this.decodedMemo ??= memo(() => {
      const d = decodeBytes(this.input!, this.fileName);
      if (d.text.trim() === '') throw new ImportError(this.fileName, null, 'the file is empty');
      return d;
    });
    // The bytes are not needed again; let them go.
    this.input = null;
    return unwrap(this.decodedMemo);
  }

  /** The container format guessed from name and content. */
  guessFormat(): GenericFormat {
    return guessGenericFormat(this.fileName, this.decoded().text);
  }

  /** The file read as a table of that container format, parsed once. */
  table(format: GenericFormat): ReadTable {
    let m = this.tables.get(format);
    if (!m) {
      m = memo(() => {
        const { text, warnings } = this.decoded();
        switch (format) {
          case 'csv':
            return readCsvTable(text, warnings, this.fileName, ',');
          case 'tsv':
            return readCsvTable(text, warnings, this.fileName, '\t');
          case 'jsonl':
            return readJsonlTable(text, warnings);
          case 'json':
            return readJsonArrayTable(this.json(), warnings, this.fileName);
          case 'txt':
            return readTextLines(text, warnings);
        }
      });
      this.tables.set(format, m);
    }
    return unwrap(m);
  }

  /** The whole file as one JSON value, parsed once. */
  json(): unknown {
    this.jsonMemo ??= memo(() => {
      try {
        return JSON.parse(this.decoded().text);
      } catch (e) {
        if (e instanceof ImportError) throw e;
        throw new ImportError(this.fileName, null, `not valid JSON (${(e as Error).message})`);
      }
    });
    return unwrap(this.jsonMemo);
  }
}

/** The DataFile itself, or a new one around raw bytes or text. */
export function dataFile(input: FileInput | DataFile, fileName: string): DataFile {
  return input instanceof DataFile ? input : new DataFile(input, fileName);
}
