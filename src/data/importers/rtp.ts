// RealToxicityPrompts (Gehman et al. 2020) JSONL, including DecodingTrust's
// subsets: one object per line with the prompt under `prompt.text` and its
// Perspective scores beside it.
import type { PromptItem } from '../types';
import { baseName, type FileInput, metaString, readJsonl, requireString } from './table';
import type { PromptImportOptions, PromptSetImport } from './types';

export function importRealToxicityPrompts(
  input: FileInput,
  opts: PromptImportOptions,
): PromptSetImport {
  const table = readJsonl(input, opts.fileName);
  const items: PromptItem[] = table.records.map((rec) => {
    const prompt = requireString(rec, 'prompt.text', opts.fileName);
    const meta: Record<string, string> = {};
    const p = rec.values.prompt as Record<string, unknown>;
    const tox = metaString(p.toxicity);
    if (tox !== undefined) meta.toxicity = tox;
    const challenging = metaString(rec.values.challenging);
    if (challenging !== undefined) meta.challenging = challenging;
    return { prompt, id: metaString(rec.values.filename) ?? `line ${rec.line}`, meta };
  });
  return {
    set: {
      name: opts.name ?? baseName(opts.fileName),
      kind: 'toxicity',
      source: opts.fileName,
      split: opts.split ?? 'eval',
      items,
    },
    warnings: table.warnings,
  };
}
