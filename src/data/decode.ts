// Turning a user's file bytes into text. Benchmark files are meant to be
// UTF-8, but some were edited in Excel on Windows and carry cp1252 bytes on a
// few lines (BBQ's supplemental_all_examples_uid.csv has a cp1252 right
// quote, byte 0x94, on lines 318-321 amid UTF-8). Decoding the whole file as
// cp1252 would garble every UTF-8 line, and decoding it as lenient UTF-8 would
// put U+FFFD in those four; so each line is decoded strictly as UTF-8 and only
// the lines that fail fall back to cp1252, with a warning naming them.

export interface DecodedText {
  text: string;
  /** One message per line that was not valid UTF-8, naming file and line. */
  warnings: string[];
  /** Line numbers (1-based) decoded as cp1252. */
  cp1252Lines: number[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
// cp1252 is Latin-1 except for 0x80-0x9F, where it has printable characters
// (curly quotes, dashes, €). The table is spelled out because Node's
// TextDecoder('windows-1252') decodes those bytes as C1 controls (Latin-1),
// unlike browsers. Undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the
// same code point, as WHATWG's encoding standard does.
const CP1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Code units per String.fromCharCode call: far below any engine's argument limit. */
const CHUNK = 8192;

function decodeCp1252(bytes: Uint8Array): string {
  // Code units first, then strings a chunk at a time: appending one character
  // at a time would build a chain of one string node per byte.
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    units[i] = b >= 0x80 && b <= 0x9f ? CP1252_80_9F.charCodeAt(b - 0x80) : b;
  }
  const parts: string[] = [];
  for (let at = 0; at < units.length; at += CHUNK) {
    parts.push(String.fromCharCode(...units.subarray(at, at + CHUNK)));
  }
  return parts.join('');
}

/** Decodes bytes as UTF-8, falling back to cp1252 line by line; a string passes through unchanged. */
export function decodeBytes(input: Uint8Array | string, fileName: string): DecodedText {
  if (typeof input === 'string') return { text: stripBom(input), warnings: [], cp1252Lines: [] };
  try {
    // Fast path: most files are clean UTF-8.
    return { text: stripBom(utf8.decode(input)), warnings: [], cp1252Lines: [] };
  } catch {
    // Fall through to per-line decoding.
  }
  const parts: string[] = [];
  const warnings: string[] = [];
  const cp1252Lines: number[] = [];
  let start = 0;
  let line = 1;
  while (start <= input.length) {
    let end = input.indexOf(0x0a, start);
    if (end === -1) end = input.length;
    const bytes = input.subarray(start, end);
    try {
      parts.push(utf8.decode(bytes));
    } catch {
      parts.push(decodeCp1252(bytes));
      cp1252Lines.push(line);
    }
    start = end + 1;
    line++;
  }
  if (cp1252Lines.length > 0) {
    warnings.push(
      `${fileName}: ${cp1252Lines.length} line(s) not valid UTF-8, decoded as cp1252 (Windows-1252): line ${formatLineList(cp1252Lines)}`,
    );
  }
  return { text: stripBom(parts.join('\n')), warnings, cp1252Lines };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function formatLineList(lines: number[]): string {
  const shown = lines.slice(0, 20).join(', ');
  return lines.length > 20 ? `${shown}, … (${lines.length - 20} more)` : shown;
}
