// Guessing which benchmark a dropped file is, from its name and its header
// or first JSON record, so the UI can preselect the right importer. The
// guess is a suggestion with a reason; the user can override it.
import { parseCsv } from '../csv';
import { decodeBytes } from '../decode';
import { type GenericFormat, guessGenericFormat } from './generic';
import { flattenKeys } from './table';

export type BenchmarkFormat =
  | 'rtp'
  | 'advbench'
  | 'harmbench'
  | 'xstest'
  | 'crows-pairs'
  | 'bold'
  | 'bbq'
  | 'generic';

export interface DetectedFormat {
  format: BenchmarkFormat;
  /** The container format, for the generic importer and the preview. */
  container: GenericFormat;
  reason: string;
}

export function detectFormat(fileName: string, input: Uint8Array | string): DetectedFormat {
  // Only the start of the file is needed; decoding it all would be wasteful for large files.
  const head = typeof input === 'string' ? input.slice(0, 65536) : input.subarray(0, 65536);
  const text = decodeBytes(head, fileName).text;
  const container = guessGenericFormat(fileName, text);
  const found = (format: BenchmarkFormat, reason: string): DetectedFormat => ({
    format,
    container,
    reason,
  });

  if (container === 'csv' || container === 'tsv') {
    const firstLine = text.split(/\r?\n/)[0] ?? '';
    const header = (parseCsv(firstLine, container === 'tsv' ? '\t' : ',').rows[0] ?? []).map((c) =>
      c.trim(),
    );
    const has = (...cols: string[]) => cols.every((c) => header.includes(c));
    if (has('sent_more', 'sent_less')) return found('crows-pairs', 'columns sent_more, sent_less');
    if (has('Behavior', 'BehaviorID') || has('Behavior', 'FunctionalCategory')) {
      return found('harmbench', 'columns Behavior, FunctionalCategory/BehaviorID');
    }
    if (has('prompt', 'label', 'focus') || has('prompt', 'label', 'type')) {
      return found('xstest', 'columns prompt, label, type/focus');
    }
    if (has('goal')) return found('advbench', 'column goal');
    if (has('context', 'question', 'ans0', 'ans1', 'ans2')) {
      return found('bbq', 'columns context, question, ans0..ans2');
    }
    return found('generic', `no known benchmark header (columns: ${header.join(', ')})`);
  }
  if (container === 'jsonl') {
    const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
    let keys: string[] = [];
    try {
      keys = flattenKeys(JSON.parse(first));
    } catch {
      return found('generic', 'first line is not a JSON object');
    }
    if (keys.includes('prompt.text')) return found('rtp', 'field prompt.text');
    if (['context', 'question', 'ans0', 'ans1', 'ans2'].every((k) => keys.includes(k))) {
      return found('bbq', 'fields context, question, ans0..ans2');
    }
    return found('generic', `no known benchmark fields (fields: ${keys.join(', ')})`);
  }
  if (container === 'json' && isBoldShape(typeof input === 'string' ? input : null, text)) {
    return found('bold', 'a {group: {name: [prompt, …]}} object');
  }
  return found('generic', `${container} file`);
}

function isBoldShape(full: string | null, head: string): boolean {
  // A truncated head cannot be parsed; look at its structure instead:
  // `{"group": {"name": ["…` at the very start.
  if (full !== null) {
    try {
      const d = JSON.parse(full);
      const first = d && typeof d === 'object' ? Object.values(d)[0] : undefined;
      const inner = first && typeof first === 'object' ? Object.values(first)[0] : undefined;
      return Array.isArray(inner);
    } catch {
      return false;
    }
  }
  return /^\s*\{\s*"[^"]*"\s*:\s*\{\s*"[^"]*"\s*:\s*\[/.test(head);
}
