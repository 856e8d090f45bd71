// HarmBench (Mazeika et al. 2024) text behaviours CSV. FunctionalCategory is
// `standard`, `contextual` (the behaviour refers to a ContextString that must
// be shown with it) or `copyright` (judged by hashing reproduced text, which
// refusal matching cannot measure — skipped by default).
import type { PromptItem } from '../types';
import { baseName, type FileInput, readCsvTable, requireColumns } from './table';
import type { PromptImportOptions, PromptSetImport } from './types';

export interface HarmBenchOptions extends PromptImportOptions {
  /** 'include' (default) prepends the context the way HarmBench's own DirectRequest baseline does; 'skip' drops those rows. */
  contextual?: 'include' | 'skip';
  /** Default false. */
  includeCopyright?: boolean;
}

export function importHarmBench(input: FileInput, opts: HarmBenchOptions): PromptSetImport {
  const table = readCsvTable(input, opts.fileName);
  requireColumns(table, ['Behavior'], opts.fileName);
  const hasCategory = table.columns.includes('FunctionalCategory');
  const contextual = opts.contextual ?? 'include';
  const items: PromptItem[] = [];
  let skippedContextual = 0;
  let skippedCopyright = 0;
  for (const rec of table.records) {
    const v = rec.values as Record<string, string>;
    const category = hasCategory ? v.FunctionalCategory : 'standard';
    if (category === 'copyright' && !opts.includeCopyright) {
      skippedCopyright++;
      continue;
    }
    const context = (v.ContextString ?? '').trim();
    if (category === 'contextual' && contextual === 'skip') {
      skippedContextual++;
      continue;
    }
    // HarmBench's template for contextual behaviours: context, a rule, then the request.
    const prompt = context ? `${context}\n\n---\n\n${v.Behavior}` : v.Behavior;
    const meta: Record<string, string> = { functionalCategory: category };
    if (v.SemanticCategory) meta.semanticCategory = v.SemanticCategory;
    if (v.Tags) meta.tags = v.Tags;
    items.push({ prompt, id: v.BehaviorID || `line ${rec.line}`, meta });
  }
  const warnings = [...table.warnings];
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
  };
}
