// The Train panel's "Export run bundle": the collected pairs, the recipe,
// the models and the held-out sets as a zip for PyTorch + PEFT
// (src/train/run-bundle.ts), posted back as a patch-file for download.
import { strToU8, zipSync } from 'fflate';
import helpersPy from '../../../scripts/peft/patch_helpers.py?raw';
import trainPatchPy from '../../../scripts/peft/train_patch.py?raw';
import type { PromptSet } from '../../data/types';
import type { EvalConfig, RunBundleCommand } from '../../protocol/messages';
import { resolveRecipe } from '../../train/recipe';
import { buildRunBundle, safeStem } from '../../train/run-bundle';
import { BUILTIN_EVAL_SETS, EVAL_SET_KINDS } from '../eval-sets';
import { requireModel } from '../session';
import { CollectedCache } from '../train-collected-cache';
import type { HandlersOf } from './handler';

/** Reads the IndexedDB cache the collect run wrote (its own memory layer is the train handler's). */
const collected = new CollectedCache();

/** The evaluation's held-out sets, whole: a cluster run can afford every prompt. */
function heldOutSets(config: EvalConfig): PromptSet[] {
  const out: PromptSet[] = [];
  for (const kind of EVAL_SET_KINDS) {
    const choice = config.sets[kind];
    if (choice.source === 'builtin') out.push(BUILTIN_EVAL_SETS[kind]);
    else if (choice.source === 'custom') out.push(choice.set);
  }
  return out;
}

export const runBundleHandlers: HandlersOf<RunBundleCommand> = {
  'train-export-bundle': async (cmd, post) => {
    const { runId } = cmd;
    post({ type: 'run-started', runId, kind: 'patch', label: 'Writing the run bundle' });
    const base = requireModel('base');
    const reference = requireModel('reference');
    const recipe = resolveRecipe(cmd.recipe);
    const data = await collected.get(cmd.collectedId);
    if (!data) {
      throw new Error(
        'The collected pairs are not in this browser any more: collect them again, then export.',
      );
    }
    const s = base.summary;
    const bundle = buildRunBundle({
      name: cmd.name,
      recipe,
      data,
      base: {
        id: s.modelId,
        revision: s.revision,
        architecture: s.modelType,
        hiddenSize: s.hiddenSize,
        numLayers: base.config.numLayers,
        numHeads: base.config.numHeads,
        fingerprint: s.embeddingFingerprint,
      },
      reference: { id: reference.summary.modelId, revision: reference.summary.revision },
      tokenizer: base.tokenizer,
      eosTokenIds: base.config.eosTokenIds,
      evalSets: heldOutSets(cmd.evalConfig),
      scripts: { trainPatch: trainPatchPy, helpers: helpersPy },
      createdAt: new Date().toISOString(),
    });
    const root = safeStem(cmd.name);
    const zip = zipSync(
      Object.fromEntries(
        Object.entries(bundle.files).map(([path, text]) => [`${root}/${path}`, strToU8(text)]),
      ),
    );
    post({
      type: 'patch-file',
      runId,
      fileName: `${root}.run-bundle.zip`,
      mime: 'application/zip',
      bytes: zip,
    });
    post({ type: 'run-done', runId });
  },
};
