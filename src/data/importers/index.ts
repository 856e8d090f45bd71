// One entry point for the UI: import a file with a named (or detected)
// benchmark importer and get prompt sets, sentence-pair sets and warnings.
import type { PromptSet, PromptSetKind, SentencePairSet } from '../types';
import { importAdvBench } from './advbench';
import { importBbq } from './bbq';
import { importBold } from './bold';
import { importCrowsPairs } from './crows-pairs';
import { type DataFile, dataFile } from './data-file';
import { type BenchmarkFormat, type DetectedFormat, detectFormat } from './detect';
import { type GenericFormat, importGeneric, previewTable, type TablePreview } from './generic';
import { importHarmBench } from './harmbench';
import { ImportError } from './import-error';
import { importRealToxicityPrompts } from './rtp';
import type { FileInput, Skipped } from './table';
import { importXSTest } from './xstest';

export { DataFile, dataFile } from './data-file';
export { type BenchmarkFormat, type DetectedFormat, detectFormat } from './detect';
export {
  type GenericFormat,
  type GenericImportOptions,
  importGeneric,
  previewTable,
  type TablePreview,
} from './generic';
export { ImportError } from './import-error';
export { MAX_SKIPPED_LISTED, type Skipped, type SkippedLine } from './table';

export interface ImportedData {
  format: BenchmarkFormat;
  sets: PromptSet[];
  pairSets: SentencePairSet[];
  warnings: string[];
  /** Bad lines left out, with line numbers and reasons (the first MAX_SKIPPED_LISTED). */
  skipped: Skipped;
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

export function importFile(input: FileInput | DataFile, opts: ImportFileOptions): ImportedData {
  const file = dataFile(input, opts.fileName);
  const format = opts.format ?? detectFormat(opts.fileName, file).format;
  const base = { fileName: opts.fileName, split: opts.split };
  const one = (r: { set: PromptSet; warnings: string[]; skipped: Skipped }): ImportedData => ({
    format,
    sets: [r.set],
    pairSets: [],
    warnings: r.warnings,
    skipped: r.skipped,
  });
  switch (format) {
    case 'rtp':
      return one(importRealToxicityPrompts(file, base));
    case 'advbench':
      return one(importAdvBench(file, base));
    case 'harmbench':
      return one(importHarmBench(file, { ...base, ...opts.harmbench }));
    case 'bold':
      return one(importBold(file, base));
    case 'bbq':
      return one(importBbq(file, base));
    case 'xstest': {
      const r = importXSTest(file, base);
      return {
        format,
        sets: [r.safe, r.unsafe],
        pairSets: [],
        warnings: r.warnings,
        skipped: r.skipped,
      };
    }
    case 'crows-pairs': {
      const r = importCrowsPairs(file, { fileName: opts.fileName, ...opts.crowsPairs });
      return { format, sets: [], pairSets: [r.set], warnings: r.warnings, skipped: r.skipped };
    }
    case 'generic':
      if (!opts.generic) {
        throw new ImportError(
          opts.fileName,
          null,
          'not a known benchmark format: choose the column that holds the prompts',
        );
      }
      return one(importGeneric(file, { ...base, ...opts.generic }));
  }
}

export interface InspectedFile {
  detected: DetectedFormat;
  /** The first rows of the file as the chosen (or detected) container; null with previewError. */
  preview: TablePreview | null;
  /** Why there is no preview (an ImportError naming the file), or null. */
  previewError: ImportError | null;
  /** The import, or null when a generic file still needs its prompt column chosen or it failed. */
  imported: ImportedData | null;
  /** Why the file could not be imported (an ImportError naming the file), or null. */
  importError: ImportError | null;
}

/**
 * Detection, preview and import of one file in a single pass: the bytes are
 * decoded once and parsed once, and all three read the same records. A file
 * that cannot be previewed or imported comes back with the ImportError that
 * says why, so the preview still shows when only the import fails.
 */
export function inspectFile(
  input: FileInput | DataFile,
  opts: ImportFileOptions & { container?: GenericFormat },
): InspectedFile {
  const file = dataFile(input, opts.fileName);
  const detected = detectFormat(opts.fileName, file);
  let preview: TablePreview | null = null;
  let previewError: ImportError | null = null;
  try {
    preview = previewTable(file, {
      fileName: opts.fileName,
      format: opts.container ?? opts.generic?.format ?? detected.container,
    });
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    previewError = e;
  }
  const format = opts.format ?? detected.format;
  let imported: ImportedData | null = null;
  let importError: ImportError | null = null;
  if (format !== 'generic' || opts.generic) {
    try {
      imported = importFile(file, { ...opts, format });
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      importError = e;
    }
  }
  return { detected, preview, previewError, imported, importError };
}
