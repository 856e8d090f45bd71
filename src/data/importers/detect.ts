// Guessing which benchmark a dropped file is, from its name and its header
// or first JSON record, so the UI can preselect the right importer. The
// guess is a suggestion with a reason; the user can override it. The file is
// read through a DataFile, so the parse detection needs is the one preview
// and import reuse; and the header is the first *record*, so a CR-only file
// or a quoted line break in the header is read as the CSV it is.
import { type DataFile, dataFile, type GenericFormat } from './data-file';
import { ImportError } from './import-error';
import { isRtpRecord } from './rtp';
import type { FileInput } from './table';

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

export function detectFormat(fileName: string, input: FileInput | DataFile): DetectedFormat {
  const file = dataFile(input, fileName);
  let container: GenericFormat;
  try {
    container = file.guessFormat();
  } catch (e) {
    // An empty file: nothing to detect; the import says why.
    if (e instanceof ImportError) return { format: 'generic', container: 'txt', reason: e.detail };
    throw e;
  }
  const found = (format: BenchmarkFormat, reason: string): DetectedFormat => ({
    format,
    container,
    reason,
  });
  /** The table, or the ImportError (file and line in it) that says why there is none. */
  const table = () => {
    try {
      return file.table(container);
    } catch (e) {
      if (e instanceof ImportError) return e;
      throw e;
    }
  };

  if (container === 'csv' || container === 'tsv') {
    const t = table();
    if (t instanceof ImportError) return found('generic', t.message);
    const has = (...cols: string[]) => cols.every((c) => t.columns.includes(c));
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
    return found('generic', `no known benchmark header (columns: ${listed(t.columns)})`);
  }
  if (container === 'jsonl') {
    const t = table();
    if (t instanceof ImportError) return found('generic', t.message);
    const first = t.records[0];
    if (!first) return found('generic', 'no line is a JSON object');
    if (isRtpRecord(first.values)) return found('rtp', 'field prompt.text');
    const keys = Object.keys(first.values);
    if (['context', 'question', 'ans0', 'ans1', 'ans2'].every((k) => keys.includes(k))) {
      return found('bbq', 'fields context, question, ans0..ans2');
    }
    return found('generic', `no known benchmark fields (fields: ${listed(t.columns)})`);
  }
  if (container === 'json' && isBoldShape(file)) {
    return found('bold', 'a {group: {name: [prompt, …]}} object');
  }
  return found('generic', `${container} file`);
}

/** A reason stays one line, however many columns a hostile file declares. */
function listed(columns: string[]): string {
  const shown = columns.slice(0, 20).join(', ');
  return columns.length > 20 ? `${shown}, … (${columns.length} in all)` : shown;
}

function isBoldShape(file: DataFile): boolean {
  let d: unknown;
  try {
    d = file.json();
  } catch (e) {
    if (e instanceof ImportError) return false;
    throw e;
  }
  const first = d && typeof d === 'object' && !Array.isArray(d) ? Object.values(d)[0] : undefined;
  const inner =
    first && typeof first === 'object' && !Array.isArray(first)
      ? Object.values(first)[0]
      : undefined;
  return Array.isArray(inner);
}
