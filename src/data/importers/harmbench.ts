// HarmBench (Mazeika et al. 2024) text behaviours CSV. FunctionalCategory is
// `standard`, `contextual` (the behaviour refers to a ContextString that must
// be shown with it) or `copyright` (judged by hashing reproduced text, which
// refusal matching cannot measure — skipped by default).
import type { PromptItem } from '../types';
import { type DataFile, dataFile } from './data-file';
import { ImportError } from './import-error';
import {
  baseName,
  type FileInput,
  readRecords,
  requireColumns,
  requireString,
  skippedWarnings,
} from './table';
import type { PromptImportOptions, PromptSetImport } from './types';

export interface HarmBenchOptions extends PromptImportOptions {
  /** 'include' (default) prepends the context the way HarmBench's own DirectRequest baseline does; 'skip' drops those rows. */
  contextual?: 'include' | 'skip';
  /** Default false. */
  includeCopyright?: boolean;
}

export function importHarmBench(
  input: FileInput | DataFile,
  opts: HarmBenchOptions,
): PromptSetImport {
  const table = dataFile(input, opts.fileName).table('csv');
  requireColumns(table, ['Behavior'], opts.fileName);
  const hasCategory = table.columns.includes('FunctionalCategory');
  const contextual = opts.contextual ?? 'include';
  let skippedContextual = 0;
  let skippedCopyright = 0;
  const read = readRecords<PromptItem>(
    table,
    opts.fileName,
    (rec) => {
      const v = rec.values as Record<string, string>;
      const behavior = requireString(rec, 'Behavior', opts.fileName);
      if (behavior.trim() === '')
        throw new ImportError(opts.fileName, rec.line, 'empty "Behavior"');
      const category = hasCategory ? v.FunctionalCategory : 'standard';
      if (category === 'copyright' && !opts.includeCopyright) {
        skippedCopyright++;
        return undefined;
      }
      const context = (v.ContextString ?? '').trim();
      if (category === 'contextual' && contextual === 'skip') {
        skippedContextual++;
        return undefined;
      }
      // HarmBench's template for contextual behaviours: context, a rule, then the request.
      const prompt = context ? `${context}\n\n---\n\n${behavior}` : behavior;
      const meta: Record<string, string> = { functionalCategory: category };
      if (v.SemanticCategory) meta.semanticCategory = v.SemanticCategory;
      if (v.Tags) meta.tags = v.Tags;
      return { prompt, id: v.BehaviorID || `line ${rec.line}`, meta };
    },
    { allowEmpty: true },
  );
  const items = read.items;
  const warnings = [...table.warnings, ...skippedWarnings(opts.fileName, read.skipped)];
  if (skippedCopyright > 0) {
    warnings.push(
      `${opts.fileName}: skipped ${skippedCopyright} copyright row(s) (HarmBench judges those by text hashing, not refusal)`,
    );
  }
  if (skippedContextual > 0) {
    warnings.push(`${opts.fileName}: skipped ${skippedContextual} contextual row(s)`);
  }
  return {
    set: {
      name: opts.name ?? baseName(opts.fileName),
      kind: 'harmful',
      source: opts.fileName,
      split: opts.split ?? 'eval',
      items,
    },
    warnings,
    skipped: read.skipped,
  };
}
