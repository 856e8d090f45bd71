// CrowS-Pairs (Nangia et al. 2020). `sent_more` is always the more
// stereotypical sentence and `sent_less` the less stereotypical one, whatever
// `stereo_antistereo` says: that column only records whether the sentence
// about the disadvantaged group is sent_more ("stereo": it demonstrates a
// stereotype) or sent_less ("antistereo": it violates one). The original
// metric.py swaps the pair into (disadvantaged, advantaged) order for
// antistereo rows and then counts "advantaged sentence more likely" — which is
// again "sent_more more likely". So SentencePair.more = sent_more for every row.
import type { SentencePair } from '../types';
import { type DataFile, dataFile } from './data-file';
import { ImportError } from './import-error';
import { baseName, type FileInput, readRecords, requireColumns, skippedWarnings } from './table';
import type { SentencePairImport } from './types';

export interface CrowsPairsOptions {
  fileName: string;
  name?: string;
  /** Keep only this bias_type (e.g. "gender"). */
  biasType?: string;
}

export function importCrowsPairs(
  input: FileInput | DataFile,
  opts: CrowsPairsOptions,
): SentencePairImport {
  const table = dataFile(input, opts.fileName).table('csv');
  requireColumns(table, ['sent_more', 'sent_less'], opts.fileName);
  const read = readRecords<SentencePair>(
    table,
    opts.fileName,
    (rec) => {
      const v = rec.values as Record<string, string>;
      if (opts.biasType !== undefined && v.bias_type !== opts.biasType) return undefined;
      if (v.sent_more.trim() === '' || v.sent_less.trim() === '') {
        throw new ImportError(opts.fileName, rec.line, 'empty sent_more or sent_less');
      }
      const dir = v.stereo_antistereo;
      if (dir !== undefined && dir !== 'stereo' && dir !== 'antistereo') {
        throw new ImportError(
          opts.fileName,
          rec.line,
          `stereo_antistereo must be "stereo" or "antistereo", found ${JSON.stringify(dir)}`,
        );
      }
      const pair: SentencePair = { more: v.sent_more, less: v.sent_less };
      if (v.bias_type) pair.biasType = v.bias_type;
      // The unnamed first column is the row index in the published file.
      const id = v[''] ?? v.id;
      pair.id = id !== undefined && id !== '' ? id : `line ${rec.line}`;
      return pair;
    },
    { allowEmpty: opts.biasType !== undefined },
  );
  const pairs = read.items;
  const warnings = [...table.warnings, ...skippedWarnings(opts.fileName, read.skipped)];
  if (opts.biasType !== undefined && pairs.length === 0) {
    warnings.push(`${opts.fileName}: no rows with bias_type "${opts.biasType}"`);
  }
  const base = opts.name ?? baseName(opts.fileName);
  return {
    set: {
      name: opts.biasType ? `${base} (${opts.biasType})` : base,
      source: opts.fileName,
      pairs,
    },
    warnings,
    skipped: read.skipped,
  };
}
