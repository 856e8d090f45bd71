// Data messages: importing benchmark files and splitting prompt sets.
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type {
  BenchmarkFormat,
  DetectedFormat,
  GenericFormat,
  Skipped,
  TablePreview,
} from '../data/importers/index';
import type { StatementSplit } from '../data/split';
import type { PromptSet, PromptSetKind, SentencePairSet } from '../data/types';
import type { WithRunId } from './base';

/** What the user chose for one file; everything optional is detected. */
export interface DataImportChoice {
  /** Omitted = detected from name and content. */
  format?: BenchmarkFormat;
  split?: 'train' | 'eval';
  /** Generic files: container, prompt column and kind. Without it a generic file is only previewed. */
  generic?: { format: GenericFormat; column: string; kind: PromptSetKind };
  harmbench?: { contextual: 'include' | 'skip' };
}

export type DataCommand =
  /** Reads, detects and previews one file, then imports it unless it is generic with no column chosen. */
  | WithRunId<{ type: 'import-data'; fileId: string; file: File; choice: DataImportChoice }>
  /** Splits one prompt set into disjoint train and eval sets (seeded). */
  | WithRunId<{
      type: 'split-data';
      setId: string;
      set: PromptSet;
      evalFraction: number;
      seed: number;
    }>;

export type DataEvent =
  | WithRunId<{
      type: 'data-inspected';
      fileId: string;
      fileName: string;
      size: number;
      detected: DetectedFormat;
      /** First rows as a table, for the column picker; null when the file cannot be shown as one. */
      preview: TablePreview | null;
    }>
  | WithRunId<{
      type: 'data-imported';
      fileId: string;
      fileName: string;
      format: BenchmarkFormat;
      sets: PromptSet[];
      pairSets: SentencePairSet[];
      warnings: string[];
      /** Bad lines left out (line and reason, the first 100) and how many in all. */
      skipped: Skipped;
    }>
  | WithRunId<{
      type: 'data-split';
      setId: string;
      train: PromptSet;
      eval: PromptSet;
      duplicatesDropped: number;
      /** Normalised prompts found in both halves: empty by construction, reported as proof. */
      overlaps: string[];
      /** Few-shot lines: how their statements were kept apart, or why they could not be. */
      statements?: StatementSplit;
    }>;
