// RealToxicityPrompts (Gehman et al. 2020) JSONL, including DecodingTrust's
// subsets: one object per line with the prompt under `prompt.text` and its
// Perspective scores beside it.
import type { PromptItem } from '../types';
import { type DataFile, dataFile } from './data-file';
import { ImportError } from './import-error';
import {
  baseName,
  type FileInput,
  metaString,
  readRecords,
  skippedWarnings,
  type TableRecord,
} from './table';
import type { PromptImportOptions, PromptSetImport } from './types';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Whether a record has RealToxicityPrompts' shape: a "prompt" object holding
 * a "text" string. A flat key spelled "prompt.text" is not that shape.
 */
export function isRtpRecord(values: Record<string, unknown>): boolean {
  return isObject(values.prompt) && typeof values.prompt.text === 'string';
}

function rtpItem(rec: TableRecord, fileName: string): PromptItem {
  const p = rec.values.prompt;
  if (!isObject(p)) {
    throw new ImportError(
      fileName,
      rec.line,
      `field "prompt" is ${p === undefined ? 'missing' : 'not an object'}; RealToxicityPrompts lines hold {"prompt": {"text": …}}`,
    );
  }
  if (typeof p.text !== 'string') {
    throw new ImportError(
      fileName,
      rec.line,
      `field "prompt.text" is ${p.text === undefined ? 'missing' : 'not text'}`,
    );
  }
  const meta: Record<string, string> = {};
  const tox = metaString(p.toxicity);
  if (tox !== undefined) meta.toxicity = tox;
  const challenging = metaString(rec.values.challenging);
  if (challenging !== undefined) meta.challenging = challenging;
  return { prompt: p.text, id: metaString(rec.values.filename) ?? `line ${rec.line}`, meta };
}

export function importRealToxicityPrompts(
  input: FileInput | DataFile,
  opts: PromptImportOptions,
): PromptSetImport {
  const table = dataFile(input, opts.fileName).table('jsonl');
  const { items, skipped } = readRecords(table, opts.fileName, (rec) =>
    rtpItem(rec, opts.fileName),
  );
  return {
    set: {
      name: opts.name ?? baseName(opts.fileName),
      kind: 'toxicity',
      source: opts.fileName,
      split: opts.split ?? 'eval',
      items,
    },
    warnings: [...table.warnings, ...skippedWarnings(opts.fileName, skipped)],
    skipped,
  };
}
