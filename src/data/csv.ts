// An RFC 4180 CSV parser. Written here rather than taken from a library
// because the importers need two things CSV libraries rarely give together:
// the physical line number where each record starts (so an error can say
// "file.csv line 318"), and strictness (a stray quote is an error naming its
// line, not a silently merged row). It is ~100 lines and fully tested.

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export interface CsvRecords {
  /** One array of fields per record, blank lines skipped. */
  rows: string[][];
  /** 1-based physical line on which each record starts (parallel to `rows`). */
  lines: number[];
}

/**
 * Parses CSV text: fields separated by `delimiter`, records by LF, CRLF or CR;
 * a field in double quotes may contain delimiters, line breaks and `""` (an
 * escaped quote). A quote inside an unquoted field is kept as a literal
 * character (common in the wild and unambiguous); text after a closing quote
 * other than a delimiter or line break, and an unterminated quoted field, are
 * errors naming the line.
 */
export function parseCsv(text: string, delimiter = ','): CsvRecords {
  const rows: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  let recordLine = 1;
  let field = '';
  let record: string[] = [];
  // A record made only of one empty unquoted field is a blank line.
  let fieldWasQuoted = false;
  let i = 0;
  const n = text.length;

  const endRecord = () => {
    record.push(field);
    const blank = record.length === 1 && record[0] === '' && !fieldWasQuoted;
    if (!blank) {
      rows.push(record);
      lines.push(recordLine);
    }
    record = [];
    field = '';
    fieldWasQuoted = false;
  };

  while (i < n) {
    const c = text[i];
    if (c === '"' && field === '' && !fieldWasQuoted) {
      // Quoted field: read to the closing quote.
      fieldWasQuoted = true;
      const openLine = line;
      i++;
      for (;;) {
        if (i >= n) {
          throw new CsvSyntaxError(
            `unterminated quoted field opened on line ${openLine}`,
            openLine,
          );
        }
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\r' || q === '\n') {
          // Keep the line break as written but count it once (CRLF = one line).
          if (q === '\r' && text[i + 1] === '\n') {
            field += '\r\n';
            i += 2;
          } else {
            field += q;
            i++;
          }
          line++;
          continue;
        }
        field += q;
        i++;
      }
      const after = text[i];
      if (i < n && after !== delimiter && after !== '\r' && after !== '\n') {
        throw new CsvSyntaxError(
          `unexpected ${JSON.stringify(after)} after a closing quote on line ${line}`,
          line,
        );
      }
      continue;
    }
    if (c === delimiter) {
      record.push(field);
      field = '';
      fieldWasQuoted = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || record.length > 0 || fieldWasQuoted) endRecord();
  return { rows, lines };
}
