// Benchmark files are read, detected, previewed and parsed here, in the
// worker, so a 100 000-row file never freezes the page; and prompt sets are
// split into train and eval here because the split's seeded shuffle is
// engine code the UI must not import.
import { inspectFile } from '../../data/importers/index';
import { checkDisjoint, splitTrainEval } from '../../data/split';
import type { DataCommand, DataImportChoice, RunId } from '../../protocol/messages';
import type { HandlersOf, Post } from './handler';

export interface ImportRequest {
  runId: RunId;
  fileId: string;
  fileName: string;
  bytes: Uint8Array;
  choice: DataImportChoice;
}

/**
 * Posts what the file looks like (format guess and first rows), then its
 * prompt sets, unless it is a generic file whose prompt column the user has
 * not chosen yet. Throws ImportError (file and line in its message) on a
 * broken file.
 */
export function importBytes(req: ImportRequest, post: Post): void {
  const { runId, fileId, fileName, bytes, choice } = req;
  // One pass: the file is decoded and parsed once for detection, preview and import.
  const r = inspectFile(bytes, {
    fileName,
    format: choice.format,
    split: choice.split,
    generic: choice.generic,
    harmbench: choice.harmbench,
  });
  post({
    type: 'data-inspected',
    runId,
    fileId,
    fileName,
    size: bytes.byteLength,
    detected: r.detected,
    preview: r.preview,
  });
  if (r.importError) throw r.importError;
  if (!r.imported) {
    // Nothing to import until a column is chosen; a file that cannot even be
    // previewed is broken, and the user should hear where.
    if (r.previewError) throw r.previewError;
    return;
  }
  post({
    type: 'data-imported',
    runId,
    fileId,
    fileName,
    format: r.imported.format,
    sets: r.imported.sets,
    pairSets: r.imported.pairSets,
    warnings: r.imported.warnings,
    skipped: r.imported.skipped,
  });
}

function started(post: Post, runId: RunId, label: string): void {
  post({ type: 'run-started', runId, kind: 'import-data', label });
}

export const dataHandlers: HandlersOf<DataCommand> = {
  'import-data': async (cmd, post: Post) => {
    started(post, cmd.runId, `Import ${cmd.file.name}`);
    const bytes = new Uint8Array(await cmd.file.arrayBuffer());
    importBytes(
      { runId: cmd.runId, fileId: cmd.fileId, fileName: cmd.file.name, bytes, choice: cmd.choice },
      post,
    );
    post({ type: 'run-done', runId: cmd.runId });
  },
  'split-data': async (cmd, post: Post) => {
    started(post, cmd.runId, `Split ${cmd.set.name}`);
    const r = splitTrainEval(cmd.set, { evalFraction: cmd.evalFraction, seed: cmd.seed });
    post({
      type: 'data-split',
      runId: cmd.runId,
      setId: cmd.setId,
      train: r.train,
      eval: r.eval,
      duplicatesDropped: r.duplicatesDropped,
      overlaps: checkDisjoint(r.train, r.eval).overlaps,
      ...(r.statements ? { statements: r.statements } : {}),
    });
    post({ type: 'run-done', runId: cmd.runId });
  },
};
