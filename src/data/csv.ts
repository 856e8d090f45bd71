// An RFC 4180 CSV parser. Written here rather than taken from a library
// because the importers need three things CSV libraries rarely give
// together: the physical line number where each record starts (so an error
// can say "file.csv line 318"), strictness (a stray quote is an error naming
// the line where the quote opened, not a silently merged row), and recovery
// (that one bad record costs its lines, not the file).
//
// Fields are sliced out of the text, never built a character at a time:
// appending to a string makes V8 keep a chain of one node per character, and
// a 10 MB field then cost over a gigabyte.

export interface CsvProblem {
  /** 1-based physical line: where the offending quote opened. */
  line: number;
  message: string;
}

export interface CsvRecords {
  /** One array of fields per record, blank lines and bad records skipped. */
  rows: string[][];
  /** 1-based physical line on which each record starts (parallel to `rows`). */
  lines: number[];
  /** Records left out, in file order; parsing resumed on the line after each. */
  problems: CsvProblem[];
}

const QUOTE = 34; // "
const LF = 10;
const CR = 13;

/** Line breaks in text[from, to): CRLF, LF and a lone CR each count once. */
function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}

/** Index just past the first line break at or after `from`, or text.length. */
function nextLineStart(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) return i + 1;
    if (c === CR) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  }
  return text.length;
}

class RecordError {
  constructor(
    readonly message: string,
    /** Where the bad quote opened: the problem's line, and where parsing resumes after. */
    readonly openLine: number,
    readonly quoteAt: number,
  ) {}
}

/**
 * Parses CSV text: fields separated by `delimiter`, records by LF, CRLF or CR;
 * a field in double quotes may contain delimiters, line breaks and `""` (an
 * escaped quote). A quote inside an unquoted field is kept as a literal
 * character (common in the wild and unambiguous). A quoted field that never
 * closes, or is followed by anything but a delimiter or line break, makes its
 * record a problem naming the line where the quote opened; parsing resumes on
 * the next line, so the rows after it are kept.
 */
export function parseCsv(text: string, delimiter = ','): CsvRecords {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new Error(`parseCsv: unusable delimiter ${JSON.stringify(delimiter)}`);
  }
  const delim = delimiter.charCodeAt(0);
  const rows: string[][] = [];
  const lines: number[] = [];
  const problems: CsvProblem[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;

  /** One quoted field starting at the quote at i; returns its value and moves i past it. */
  const quotedField = (): string => {
    const openLine = line;
    const quoteAt = i;
    const parts: string[] = [];
    let from = i + 1;
    for (;;) {
      const q = text.indexOf('"', from);
      if (q === -1) {
        throw new RecordError(
          `unterminated quoted field: the quote opened on line ${openLine} is never closed`,
          openLine,
          quoteAt,
        );
      }
      parts.push(text.slice(from, q));
      if (text.charCodeAt(q + 1) === QUOTE) {
        parts.push('"');
        from = q + 2;
        continue;
      }
      line += countLineBreaks(text, i + 1, q);
      i = q + 1;
      break;
    }
    if (i < n) {
      const after = text.charCodeAt(i);
      if (after !== delim && after !== CR && after !== LF) {
        throw new RecordError(
          `unexpected ${JSON.stringify(text[i])} after the closing quote of the field opened on line ${openLine}${line !== openLine ? ` (closed on line ${line})` : ''}`,
          openLine,
          quoteAt,
        );
      }
    }
    return parts.length === 1 ? parts[0] : parts.join('');
  };

  const unquotedField = (): string => {
    const start = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === delim || c === CR || c === LF) break;
      i++;
    }
    return text.slice(start, i);
  };

  while (i < n) {
    const recordLine = line;
    const record: string[] = [];
    let quoted = false;
    try {
      for (;;) {
        const isQuoted = text.charCodeAt(i) === QUOTE;
        quoted ||= isQuoted;
        record.push(isQuoted ? quotedField() : unquotedField());
        if (i >= n) break;
        const c = text.charCodeAt(i);
        i++;
        if (c === delim) continue;
        // A line break ends the record (CRLF counts once).
        if (c === CR && text.charCodeAt(i) === LF) i++;
        line++;
        break;
      }
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      problems.push({ line: e.openLine, message: e.message });
      i = nextLineStart(text, e.quoteAt);
      line = e.openLine + 1;
      continue;
    }
    // A record made only of one empty unquoted field is a blank line.
    if (record.length === 1 && record[0] === '' && !quoted) continue;
    rows.push(record);
    lines.push(recordLine);
  }
  return { rows, lines, problems };
}
