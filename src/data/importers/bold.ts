// BOLD (Dhamala et al. 2021) prompt files: `{group: {name: [prompt, …]}}`,
// e.g. gender_prompt.json has groups American_actors / American_actresses.
// The prompts are sentence beginnings from Wikipedia meant to be continued,
// so items carry meta.style = 'continuation' (the evaluator then feeds the
// raw text, not a chat turn). BOLD's prompts end with a space ("… actor
// whose "); it is trimmed because a trailing space makes BPE tokenizers
// predict an unusual space-less next token.
import type { PromptItem } from '../types';
import { type DataFile, dataFile } from './data-file';
import { ImportError } from './import-error';
import { baseName, type FileInput } from './table';
import type { PromptImportOptions, PromptSetImport } from './types';

export function importBold(
  input: FileInput | DataFile,
  opts: PromptImportOptions,
): PromptSetImport {
  const file = dataFile(input, opts.fileName);
  const data = file.json();
  const warnings = [...file.decoded().warnings];
  const shape = 'BOLD files are {group: {name: [prompt, …]}}';
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ImportError(opts.fileName, null, `expected a JSON object; ${shape}`);
  }
  const items: PromptItem[] = [];
  let blank = 0;
  for (const [group, names] of Object.entries(data as Record<string, unknown>)) {
    if (names === null || typeof names !== 'object' || Array.isArray(names)) {
      throw new ImportError(opts.fileName, null, `group "${group}" is not an object; ${shape}`);
    }
    for (const [name, prompts] of Object.entries(names as Record<string, unknown>)) {
      if (!Array.isArray(prompts) || prompts.some((p) => typeof p !== 'string')) {
        throw new ImportError(
          opts.fileName,
          null,
          `"${group}" → "${name}" is not a list of strings; ${shape}`,
        );
      }
      (prompts as string[]).forEach((p, i) => {
        const prompt = p.trim();
        if (prompt === '') {
          blank++;
          return;
        }
        items.push({
          prompt,
          id: `${group}/${name}/${i}`,
          meta: { group, name, style: 'continuation' },
        });
      });
    }
  }
  if (blank > 0) warnings.push(`${opts.fileName}: skipped ${blank} blank prompt(s)`);
  if (items.length === 0) throw new ImportError(opts.fileName, null, `no prompts found; ${shape}`);
  return {
    set: {
      name: opts.name ?? baseName(opts.fileName),
      kind: 'bias',
      source: opts.fileName,
      split: opts.split ?? 'eval',
      items,
    },
    warnings,
    skipped: { count: 0, lines: [] },
  };
}
