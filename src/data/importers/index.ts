// One entry point for the UI: import a file with a named (or detected)
// benchmark importer and get prompt sets, sentence-pair sets and warnings.
import type { PromptSet, PromptSetKind, SentencePairSet } from '../types';
import { importAdvBench } from './advbench';
import { importBbq } from './bbq';
import { importBold } from './bold';
import { importCrowsPairs } from './crows-pairs';
import { type BenchmarkFormat, detectFormat } from './detect';
import { type GenericFormat, importGeneric } from './generic';
import { importHarmBench } from './harmbench';
import { ImportError } from './import-error';
import { importRealToxicityPrompts } from './rtp';
import { importXSTest } from './xstest';

export { type BenchmarkFormat, type DetectedFormat, detectFormat } from './detect';
export {
  type GenericFormat,
  type GenericImportOptions,
  importGeneric,
  previewTable,
  type TablePreview,
} from './generic';
export { ImportError } from './import-error';

export interface ImportedData {
  format: BenchmarkFormat;
  sets: PromptSet[];
  pairSets: SentencePairSet[];
  warnings: string[];
}

export interface ImportFileOptions {
  fileName: string;
  /** Omitted = detected from name and content. */
  format?: BenchmarkFormat;
  split?: 'train' | 'eval';
  /** Generic files only: container, column and kind of the prompts. */
  generic?: { format: GenericFormat; column: string; kind: PromptSetKind };
  harmbench?: { contextual?: 'include' | 'skip'; includeCopyright?: boolean };
  crowsPairs?: { biasType?: string };
}

export function importFile(input: Uint8Array | string, opts: ImportFileOptions): ImportedData {
  const format = opts.format ?? detectFormat(opts.fileName, input).format;
  const base = { fileName: opts.fileName, split: opts.split };
  const one = (r: { set: PromptSet; warnings: string[] }): ImportedData => ({
    format,
    sets: [r.set],
    pairSets: [],
    warnings: r.warnings,
  });
  switch (format) {
    case 'rtp':
      return one(importRealToxicityPrompts(input, base));
    case 'advbench':
      return one(importAdvBench(input, base));
    case 'harmbench':
      return one(importHarmBench(input, { ...base, ...opts.harmbench }));
    case 'bold':
      return one(importBold(input, base));
    case 'bbq':
      return one(importBbq(input, base));
    case 'xstest': {
      const r = importXSTest(input, base);
      return { format, sets: [r.safe, r.unsafe], pairSets: [], warnings: r.warnings };
    }
    case 'crows-pairs': {
      const r = importCrowsPairs(input, { fileName: opts.fileName, ...opts.crowsPairs });
      return { format, sets: [], pairSets: [r.set], warnings: r.warnings };
    }
    case 'generic':
      if (!opts.generic) {
        throw new ImportError(
          opts.fileName,
          null,
          'not a known benchmark format: choose the column that holds the prompts',
        );
      }
      return one(importGeneric(input, { ...base, ...opts.generic }));
  }
}
