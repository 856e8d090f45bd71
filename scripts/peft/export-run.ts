// Node side of the run bundle: load M and M′ from folders, collect pairs on
// the training prompt sets exactly as the Train panel does, and build the
// bundle (src/train/run-bundle.ts) with the Python sources read from this
// folder. Used by `npm run cli -- export-run`, the bundle's format test and
// scripts/peft/make-roundtrip-fixture.ts.
import { readFileSync } from 'node:fs';
import { BUILTIN_PROMPT_SETS } from '../../src/data/builtin/index';
import type { PromptSet } from '../../src/data/types';
import { loadModel } from '../../src/engine/load';
import { NodeDirectorySource } from '../../src/engine/node-directory-source';
import { fingerprintEmbeddings } from '../../src/patch/fingerprint';
import { collectPairs } from '../../src/train/collect';
import { type CollectSettings, DEFAULT_COLLECT_SETTINGS } from '../../src/train/collected';
import type { TrainRecipe } from '../../src/train/recipe';
import { buildRunBundle, type RunBundle } from '../../src/train/run-bundle';

/** The Python sources the bundle ships, read from scripts/peft/ (the page imports the same files with ?raw). */
export function readPythonSources(): { trainPatch: string; helpers: string } {
  return {
    trainPatch: readFileSync(new URL('./train_patch.py', import.meta.url), 'utf8'),
    helpers: readFileSync(new URL('./patch_helpers.py', import.meta.url), 'utf8'),
  };
}

export interface ExportRunOptions {
  baseDir: string;
  referenceDir: string;
  /** Model ids to record (a hub id, so train_patch.py can download it); the folder names otherwise. */
  baseId?: string;
  referenceId?: string;
  recipe: TrainRecipe;
  name: string;
  /** Training prompt sets; the embedded demo's by default. */
  trainSets?: PromptSet[];
  evalSets?: PromptSet[];
  /** Keep only the first N prompts of each train set (0 = all). */
  perSet?: number;
  collect?: Partial<CollectSettings>;
  onProgress?: (done: number, total: number) => void;
}

export async function exportRunFromFolders(opts: ExportRunOptions): Promise<RunBundle> {
  const baseSource = new NodeDirectorySource(opts.baseDir, { modelId: opts.baseId });
  const refSource = new NodeDirectorySource(opts.referenceDir, { modelId: opts.referenceId });
  const base = await loadModel(baseSource);
  const reference = await loadModel(refSource);
  const settings: CollectSettings = {
    ...DEFAULT_COLLECT_SETTINGS,
    maxAnswerTokens: opts.recipe.maxAnswerTokens,
    maxPromptTokens: opts.recipe.maxPromptTokens,
    ...opts.collect,
  };
  const per = opts.perSet ?? 0;
  const trainSets = (opts.trainSets ?? BUILTIN_PROMPT_SETS.filter((s) => s.split === 'train')).map(
    (s) => (per > 0 ? { ...s, items: s.items.slice(0, per) } : s),
  );
  const evalSets = opts.evalSets ?? BUILTIN_PROMPT_SETS.filter((s) => s.split === 'eval');
  const data = await collectPairs({
    base: { model: base.model, id: baseSource.modelId },
    reference: { model: reference.model, id: refSource.modelId },
    tokenizer: base.tokenizer,
    promptSets: trainSets,
    settings,
    onProgress: (p) => opts.onProgress?.(p.done, p.total),
  });
  const matrix = (await base.model.embeddingMatrix().data()) as Float32Array;
  const fingerprint = await fingerprintEmbeddings(
    matrix,
    base.config.vocabSize,
    base.config.hiddenSize,
  );
  const bundle = buildRunBundle({
    name: opts.name,
    recipe: opts.recipe,
    data,
    base: {
      id: baseSource.modelId,
      revision: baseSource.revision,
      architecture: base.config.modelType,
      hiddenSize: base.config.hiddenSize,
      numLayers: base.config.numLayers,
      numHeads: base.config.numHeads,
      fingerprint,
    },
    reference: { id: refSource.modelId, revision: refSource.revision },
    tokenizer: base.tokenizer,
    eosTokenIds: base.config.eosTokenIds,
    evalSets,
    scripts: readPythonSources(),
    createdAt: data.createdAt,
  });
  base.model.dispose();
  reference.model.dispose();
  return bundle;
}
