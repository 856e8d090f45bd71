// What importers hand back: the data plus the warnings the user should see
// (rows skipped, lines decoded as cp1252, duplicates dropped) and the bad
// lines left out, each with its line number and reason.
import type { PromptSet, SentencePairSet } from '../types';
import type { Skipped } from './table';

export interface PromptSetImport {
  set: PromptSet;
  warnings: string[];
  /** Bad lines left out (with line number and reason); the rest was imported. */
  skipped: Skipped;
}

export interface SentencePairImport {
  set: SentencePairSet;
  warnings: string[];
  skipped: Skipped;
}

/** Options every prompt-set importer accepts. */
export interface PromptImportOptions {
  fileName: string;
  /** Defaults to 'eval': imported benchmarks are held-out data unless the user splits them. */
  split?: 'train' | 'eval';
  /** Defaults to the file's base name. */
  name?: string;
}
