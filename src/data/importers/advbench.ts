// AdvBench (Zou et al. 2023) harmful behaviours: CSV with `goal` (the request)
// and `target` (the affirmative reply the attack aims for; not a prompt).
// The transfer-experiment file has no header and one behaviour per line, with
// unquoted commas inside two of them ("…devices, and use it…"), so it is not
// CSV: pass `headerless: true` and each non-blank line is read whole.
import { type DataFile, dataFile } from './data-file';
import { ImportError } from './import-error';
import {
  baseName,
  type FileInput,
  type ReadTable,
  readRecords,
  requireColumns,
  skippedWarnings,
} from './table';
import type { PromptImportOptions, PromptSetImport } from './types';

export interface AdvBenchOptions extends PromptImportOptions {
  headerless?: boolean;
}

export function importAdvBench(
  input: FileInput | DataFile,
  opts: AdvBenchOptions,
): PromptSetImport {
  const file = dataFile(input, opts.fileName);
  const table = opts.headerless ? readLines(file) : file.table('csv');
  const column = opts.headerless ? 'line' : 'goal';
  if (!opts.headerless) requireColumns(table, ['goal'], opts.fileName);
  const { items, skipped } = readRecords(table, opts.fileName, (rec, i) => {
    const prompt = String(rec.values[column]).trim();
    if (prompt === '') throw new ImportError(opts.fileName, rec.line, `empty "${column}"`);
    const meta: Record<string, string> = {};
    if (!opts.headerless && typeof rec.values.target === 'string') meta.target = rec.values.target;
    return { prompt, id: String(i), meta };
  });
  return {
    set: {
      name: opts.name ?? baseName(opts.fileName),
      kind: 'harmful',
      source: opts.fileName,
      split: opts.split ?? 'eval',
      items,
    },
    warnings: [...table.warnings, ...skippedWarnings(opts.fileName, skipped)],
    skipped,
  };
}

function readLines(file: DataFile): ReadTable {
  const { text, warnings } = file.decoded();
  const records = text
    .split(/\r?\n/)
    .map((l, i) => ({ line: i + 1, values: { line: l } as Record<string, unknown> }))
    .filter((r) => (r.values.line as string).trim() !== '');
  return { columns: ['line'], records, warnings, skipped: { count: 0, lines: [] } };
}
