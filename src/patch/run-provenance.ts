// patch_lab.json: what a PEFT adapter trained outside the tab carries so the
// lab can restore its manifest. A run bundle (src/train/run-bundle.ts) writes
// it with the base, domains and recipe of the lab's run; the bundle's
// train_patch.py copies it next to adapter_config.json, with the stages it
// actually ran and where it ran (`trainedWith`). PEFT ignores the file; the
// importer (peft.ts) reads it when the adapter has no embedded manifest.
import { strFromU8 } from 'fflate';
import { PatchFileError } from './errors';
import { validateManifest } from './manifest';
import type { PatchBase, PatchManifest, PatchRecipe, PatchTrainedWith } from './types';
import { CURRENT_FORMAT_VERSION } from './types';

export const RUN_PROVENANCE_FILE = 'patch_lab.json';
export const RUN_PROVENANCE_FORMAT = 'patch-lab-run';
export const RUN_PROVENANCE_VERSION = 1;

export interface RunProvenance {
  format: typeof RUN_PROVENANCE_FORMAT;
  version: typeof RUN_PROVENANCE_VERSION;
  /** The patch's name in the lab. */
  name: string;
  /** The model the adapter was trained on (train_patch.py rewrites it when told to train another). */
  base: PatchBase;
  /** The reference model M′ of the run. */
  reference: { id: string; revision: string };
  domains: string[];
  /** The manifest's recipe: init, stages (as run, once trained), β, learning rate, datasets, seed. */
  recipe: PatchRecipe;
  /** The lab's full TrainRecipe, every field, as exported (kept for the record, not interpreted here). */
  trainRecipe: Record<string, unknown>;
  /** Present once trained: written by train_patch.py. */
  trainedWith?: PatchTrainedWith;
}

/**
 * The manifest a PEFT adapter's patch_lab.json describes, checked like any
 * manifest (validateManifest) and against the adapter itself: its hidden
 * size must be the adapter's token_dim and its recipe's length the number of
 * virtual tokens. Throws PatchFileError('MANIFEST_INVALID') naming the
 * problem; the caller decides whether that stops the import.
 */
export function manifestFromRunProvenance(
  bytes: Uint8Array,
  adapter: { nVirtual: number; tokenDim: number; tensorSha256: string; createdAt: string },
): PatchManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(bytes));
  } catch {
    throw new PatchFileError('MANIFEST_INVALID', `${RUN_PROVENANCE_FILE} is not valid JSON.`);
  }
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (p.format !== RUN_PROVENANCE_FORMAT || p.version !== RUN_PROVENANCE_VERSION) {
    throw new PatchFileError(
      'MANIFEST_INVALID',
      `${RUN_PROVENANCE_FILE} is not a Patch Lab run file (format "${RUN_PROVENANCE_FORMAT}", version ${RUN_PROVENANCE_VERSION}).`,
    );
  }
  const manifest = validateManifest({
    formatVersion: CURRENT_FORMAT_VERSION,
    name: p.name,
    createdAt: adapter.createdAt,
    base: p.base,
    domains: p.domains,
    recipe: p.recipe,
    metrics: {},
    parents: [],
    tensorSha256: adapter.tensorSha256,
    ...(p.trainedWith !== undefined ? { trainedWith: p.trainedWith } : {}),
  });
  if (manifest.base.hiddenSize !== adapter.tokenDim) {
    throw new PatchFileError(
      'MANIFEST_INVALID',
      `${RUN_PROVENANCE_FILE} describes a base of hidden size ${manifest.base.hiddenSize} but the adapter's token_dim is ${adapter.tokenDim}.`,
    );
  }
  const train = p.trainRecipe as Record<string, unknown> | undefined;
  if (
    train &&
    typeof train === 'object' &&
    train.nVirtualTokens !== undefined &&
    train.nVirtualTokens !== adapter.nVirtual
  ) {
    throw new PatchFileError(
      'MANIFEST_INVALID',
      `${RUN_PROVENANCE_FILE} describes a ${String(train.nVirtualTokens)}-token patch but the adapter has ${adapter.nVirtual} virtual tokens.`,
    );
  }
  return manifest;
}
