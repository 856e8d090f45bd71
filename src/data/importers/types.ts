// What importers hand back: the data plus the warnings the user should see
// (rows skipped, lines decoded as cp1252, duplicates dropped).
import type { PromptSet, SentencePairSet } from '../types';

export interface PromptSetImport {
  set: PromptSet;
  warnings: string[];
}

export interface SentencePairImport {
  set: SentencePairSet;
  warnings: string[];
}

/** Options every prompt-set importer accepts. */
export interface PromptImportOptions {
  fileName: string;
  /** Defaults to 'eval': imported benchmarks are held-out data unless the user splits them. */
  split?: 'train' | 'eval';
  /** Defaults to the file's base name. */
  name?: string;
}
