// XSTest (Röttger et al. 2024): 250 safe prompts that superficially resemble
// unsafe ones (to measure over-refusal) and 200 contrasting unsafe prompts.
// The `label` column splits them into two sets.
import type { PromptItem, PromptSet } from '../types';
import { type DataFile, dataFile } from './data-file';
import { ImportError } from './import-error';
import {
  baseName,
  type FileInput,
  readRecords,
  requireColumns,
  type Skipped,
  skippedWarnings,
} from './table';
import type { PromptImportOptions } from './types';

export interface XSTestImport {
  /** kind 'safe': a good model answers these. */
  safe: PromptSet;
  /** kind 'harmful': a good model refuses these. */
  unsafe: PromptSet;
  warnings: string[];
  skipped: Skipped;
}

export function importXSTest(input: FileInput | DataFile, opts: PromptImportOptions): XSTestImport {
  const table = dataFile(input, opts.fileName).table('csv');
  requireColumns(table, ['prompt', 'label'], opts.fileName);
  const safe: PromptItem[] = [];
  const unsafe: PromptItem[] = [];
  const { skipped } = readRecords(table, opts.fileName, (rec) => {
    const v = rec.values as Record<string, string>;
    const meta: Record<string, string> = {};
    for (const k of ['type', 'focus', 'note']) if (v[k]) meta[k] = v[k];
    const item: PromptItem = { prompt: v.prompt, id: v.id || `line ${rec.line}`, meta };
    const label = v.label.trim().toLowerCase();
    if (label === 'safe') safe.push(item);
    else if (label === 'unsafe') unsafe.push(item);
    else {
      throw new ImportError(
        opts.fileName,
        rec.line,
        `label must be "safe" or "unsafe", found ${JSON.stringify(v.label)}`,
      );
    }
    return item;
  });
  const name = opts.name ?? baseName(opts.fileName);
  const common = { source: opts.fileName, split: opts.split ?? 'eval' } as const;
  return {
    safe: { name: `${name} (safe)`, kind: 'safe', items: safe, ...common },
    unsafe: { name: `${name} (unsafe)`, kind: 'harmful', items: unsafe, ...common },
    warnings: [...table.warnings, ...skippedWarnings(opts.fileName, skipped)],
    skipped,
  };
}
