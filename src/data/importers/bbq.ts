// BBQ (Parrish et al. 2022): multiple-choice questions with a context, a
// question and three answers (one "unknown"). Accepts the published JSONL
// (answers under ans0..ans2, metadata nested in additional_metadata) and the
// flat supplemental CSV/JSONL with the same column names. The prompt follows
// BBQ's ARC-style format (context + question, then the lettered answers), one
// answer per line for readability.
import type { PromptItem } from '../types';
import { type DataFile, dataFile } from './data-file';
import { ImportError } from './import-error';
import {
  baseName,
  type FileInput,
  metaString,
  readRecords,
  requireColumns,
  requireString,
  skippedWarnings,
} from './table';
import type { PromptImportOptions, PromptSetImport } from './types';

const REQUIRED = ['context', 'question', 'ans0', 'ans1', 'ans2'];
const META_KEYS = [
  'category',
  'context_condition',
  'question_polarity',
  'label',
  'example_id',
  'question_index',
  'stereotyped_groups',
];

export function importBbq(
  input: FileInput | DataFile,
  opts: PromptImportOptions & { format?: 'jsonl' | 'csv' },
): PromptSetImport {
  const format = opts.format ?? (/\.csv$/i.test(opts.fileName) ? 'csv' : 'jsonl');
  const table = dataFile(input, opts.fileName).table(format);
  requireColumns(table, REQUIRED, opts.fileName);
  const { items, skipped } = readRecords<PromptItem>(table, opts.fileName, (rec) => {
    const [context, question, a0, a1, a2] = REQUIRED.map((k) =>
      requireString(rec, k, opts.fileName),
    );
    if (question.trim() === '') throw new ImportError(opts.fileName, rec.line, 'empty question');
    const prompt = `${context.trim()} ${question.trim()}\n(a) ${a0.trim()}\n(b) ${a1.trim()}\n(c) ${a2.trim()}`;
    const meta: Record<string, string> = {};
    for (const k of META_KEYS) {
      const extra = rec.values.additional_metadata;
      const nested =
        extra !== null && typeof extra === 'object'
          ? (extra as Record<string, unknown>)[k]
          : undefined;
      const v = metaString(rec.values[k] ?? nested);
      if (v !== undefined && v !== 'NA') meta[k] = v;
    }
    const id = metaString(rec.values.u_id ?? rec.values.example_id) ?? `line ${rec.line}`;
    return { prompt, id, meta };
  });
  return {
    set: {
      name: opts.name ?? baseName(opts.fileName),
      kind: 'bias',
      source: opts.fileName,
      split: opts.split ?? 'eval',
      items,
    },
    warnings: [...table.warnings, ...skippedWarnings(opts.fileName, skipped)],
    skipped,
  };
}
