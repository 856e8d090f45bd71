// A run bundle: everything a researcher needs to run the lab's recipe with
// PyTorch + PEFT on a GPU cluster (accelerate launch), as plain files:
// sft.jsonl / dpo.jsonl in the Hugging Face formats (prompt/completion,
// prompt/chosen/rejected; conversational when the models have a chat
// template), the held-out evaluation sets, recipe.json (every recipe field,
// the models, the collection settings), train_patch.py with its helpers,
// patch_lab.json (what the adapter brings back) and a README with the
// commands and estimates. Pure: no tensors, no files; the caller passes the
// Python sources in (the page bundles them with Vite's ?raw, the CLI reads
// them from scripts/peft/) and writes or zips the result.
import type { PromptItem, PromptSet } from '../data/types';
import type { TextTokenizer } from '../engine/types';
import { encodePromptItem } from '../eval/encode-prompt';
import {
  RUN_PROVENANCE_FILE,
  RUN_PROVENANCE_FORMAT,
  RUN_PROVENANCE_VERSION,
  type RunProvenance,
} from '../patch/run-provenance';
import type { CollectedItem, CollectedSet } from './collected';
import type { TrainRecipe } from './recipe';
import { renderBundleReadme } from './run-bundle-readme';
import { trainsIn, truncatePrompt } from './train-pool';

export const RUN_BUNDLE_FORMAT = 'patch-lab-run-bundle';
export const RUN_BUNDLE_VERSION = 1;

/** Python package versions the bundle's README pins (train_patch.py's imports). */
export const PYTHON_REQUIREMENTS = [
  'torch==2.6.0',
  'transformers==4.51.3',
  'peft==0.15.2',
  'accelerate==1.6.0',
] as const;

export interface BundleModel {
  id: string;
  revision: string;
}

export interface RunBundleInput {
  /** The patch's name; also the bundle's folder name. */
  name: string;
  recipe: TrainRecipe;
  data: CollectedSet;
  base: BundleModel & {
    architecture: string;
    hiddenSize: number;
    numLayers: number;
    numHeads: number;
    /** The lab's embedding fingerprint, kept when the adapter is trained on this very base. */
    fingerprint: string | null;
  };
  reference: BundleModel;
  /** The tokenizer the pairs were collected with (M's, which M′ shares). */
  tokenizer: Pick<TextTokenizer, 'encode' | 'formatUserPrompt'>;
  /** The model's stop tokens: an answer ending in one was generated to its end. */
  eosTokenIds: readonly number[];
  /** Held-out prompt sets (split 'eval'), exported as the lab's prompt-set JSON. */
  evalSets: readonly PromptSet[];
  /** The Python sources: scripts/peft/train_patch.py and scripts/peft/patch_helpers.py. */
  scripts: { trainPatch: string; helpers: string };
  /** ISO time; recorded in recipe.json. */
  createdAt: string;
}

export interface RunBundle {
  /** Path inside the bundle → UTF-8 text. */
  files: Record<string, string>;
  counts: { sft: number; dpo: number; continuation: number; evalSets: number };
}

type Message = { role: 'user' | 'assistant'; content: string };

/** How the lab encoded one collected prompt: through the chat template, or as text to continue. */
export type PromptStyle = 'chat' | 'continuation';

export class RunBundleError extends Error {}

/**
 * train_patch.py has no step that generates the SFT patch's own answers
 * between the stages, so a recipe with on-policy negatives trains on the
 * collected pairs there; recipe.json and the README say so.
 */
export const POLICY_NEGATIVES_NOT_EXPORTED =
  "dpoPolicyNegatives: on-policy negatives are not exported. scripts/peft/train_patch.py trains DPO on the collected pairs only (no step generates the SFT patch's own refusals), so its patch is not the lab's for this recipe.";

/**
 * Which encoding produced the item's promptIds, found by redoing both
 * (encodePromptItem, then the collection's truncation) and comparing ids:
 * the collected set keeps ids and text but not the item's style, and the
 * bundle must hand Python the prompt in the form the lab actually trained
 * on. Neither matching means the tokenizer is not the one the pairs were
 * collected with.
 */
export function promptStyleOf(
  item: Pick<CollectedItem, 'promptText' | 'promptIds'>,
  tokenizer: RunBundleInput['tokenizer'],
  maxPromptTokens: number,
): PromptStyle {
  const same = (ids: number[]) => {
    const t = truncatePrompt(ids, maxPromptTokens);
    return t.length === item.promptIds.length && t.every((x, i) => x === item.promptIds[i]);
  };
  const chat: PromptItem = { prompt: item.promptText };
  const hasTemplate = tokenizer.formatUserPrompt(item.promptText) !== item.promptText;
  if (hasTemplate && same(encodePromptItem(tokenizer as TextTokenizer, chat))) return 'chat';
  const continuation: PromptItem = { prompt: item.promptText, meta: { style: 'continuation' } };
  if (same(encodePromptItem(tokenizer as TextTokenizer, continuation))) {
    return hasTemplate ? 'continuation' : 'chat';
  }
  throw new RunBundleError(
    `The prompt "${item.promptText.slice(0, 60)}" does not encode to the collected token ids with this tokenizer; export the bundle with the base model the pairs were collected with.`,
  );
}

const jsonl = (rows: unknown[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

/** A file-name-safe stem: letters, digits, dot, dash, underscore. */
export function safeStem(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'patch';
}

/** Builds every file of the bundle; throws RunBundleError (before building anything) on input no run can use. */
export function buildRunBundle(input: RunBundleInput): RunBundle {
  const { recipe, data, tokenizer } = input;
  if (data.items.length === 0) throw new RunBundleError('The collected set has no pairs.');
  const items = data.items.filter((it) => trainsIn(it.domain, recipe.domains));
  if (items.length === 0) {
    throw new RunBundleError(
      `The collected pairs have none in the recipe's domains (${recipe.domains.join(', ')}).`,
    );
  }
  const stop = new Set(input.eosTokenIds);
  const stopped = (ids: number[]) => ids.length > 0 && stop.has(ids[ids.length - 1]);
  const maxPrompt = data.settings.maxPromptTokens;
  const styled = items.map((it) => ({ it, style: promptStyleOf(it, tokenizer, maxPrompt) }));
  const templated = items.some((it) => tokenizer.formatUserPrompt(it.promptText) !== it.promptText);

  // Conversational rows when the prompt went through the chat template;
  // standard (text) rows otherwise. One form per file: a JSONL column is
  // either a message list or a string.
  const conversational = (s: PromptStyle) => templated && s === 'chat';
  const prompt = (it: CollectedItem, s: PromptStyle): Message[] | string =>
    conversational(s) ? [{ role: 'user', content: it.promptText }] : it.promptText;
  const answer = (text: string, s: PromptStyle): Message[] | string =>
    conversational(s) ? [{ role: 'assistant', content: text }] : text;

  const sft: Record<PromptStyle, unknown[]> = { chat: [], continuation: [] };
  const dpo: Record<PromptStyle, unknown[]> = { chat: [], continuation: [] };
  for (const { it, style } of styled) {
    const common = {
      domain: it.domain,
      ...(it.sourceId !== undefined ? { source_id: it.sourceId } : {}),
    };
    if (it.chosenIds.length > 0) {
      sft[style].push({
        prompt: prompt(it, style),
        completion: answer(it.chosenText, style),
        completion_stopped: stopped(it.chosenIds),
        ...common,
        lab_token_ids: { prompt: it.promptIds, completion: it.chosenIds },
      });
    }
    dpo[style].push({
      prompt: prompt(it, style),
      chosen: answer(it.chosenText, style),
      rejected: answer(it.rejectedText, style),
      chosen_stopped: stopped(it.chosenIds),
      rejected_stopped: stopped(it.rejectedIds),
      ref_model_chosen_logp: it.refChosen,
      ref_model_rejected_logp: it.refRejected,
      ...common,
      lab_token_ids: { prompt: it.promptIds, chosen: it.chosenIds, rejected: it.rejectedIds },
    });
  }

  const files: Record<string, string> = {};
  // Without a template every prompt is text, styled 'chat', in one file per stage.
  files['sft.jsonl'] = jsonl(sft.chat);
  files['dpo.jsonl'] = jsonl(dpo.chat);
  if (dpo.continuation.length > 0) {
    files['sft_continuation.jsonl'] = jsonl(sft.continuation);
    files['dpo_continuation.jsonl'] = jsonl(dpo.continuation);
  }

  const evalNames = new Set<string>();
  for (const set of input.evalSets) {
    let stem = `eval/${safeStem(set.name)}.json`;
    for (let k = 2; evalNames.has(stem); k++) stem = `eval/${safeStem(set.name)}-${k}.json`;
    evalNames.add(stem);
    files[stem] = `${JSON.stringify(
      { name: set.name, kind: set.kind, source: set.source, split: set.split, items: set.items },
      null,
      2,
    )}\n`;
  }

  const base = { id: input.base.id, revision: input.base.revision };
  files['recipe.json'] = `${JSON.stringify(
    {
      format: RUN_BUNDLE_FORMAT,
      version: RUN_BUNDLE_VERSION,
      name: input.name,
      createdAt: input.createdAt,
      recipe,
      // What the Python trainer does not reproduce, said where the recipe is.
      ...(recipe.dpoPolicyNegatives !== 'off'
        ? { notExported: [POLICY_NEGATIVES_NOT_EXPORTED] }
        : {}),
      base: {
        ...base,
        architecture: input.base.architecture,
        hiddenSize: input.base.hiddenSize,
        numLayers: input.base.numLayers,
        numHeads: input.base.numHeads,
      },
      reference: { id: input.reference.id, revision: input.reference.revision },
      collected: {
        id: data.id,
        createdAt: data.createdAt,
        settings: data.settings,
        promptSets: data.promptSets,
        chatTemplate: templated,
        eosTokenIds: [...input.eosTokenIds],
      },
      requirements: [...PYTHON_REQUIREMENTS],
    },
    null,
    2,
  )}\n`;

  const provenance: RunProvenance = {
    format: RUN_PROVENANCE_FORMAT,
    version: RUN_PROVENANCE_VERSION,
    name: input.name,
    base: {
      ...base,
      architecture: input.base.architecture,
      hiddenSize: input.base.hiddenSize,
      fingerprint: input.base.fingerprint,
    },
    reference: { id: input.reference.id, revision: input.reference.revision },
    domains: [...recipe.domains],
    // The planned stages; train_patch.py rewrites them with the steps it ran.
    recipe: {
      init:
        recipe.init.kind === 'text'
          ? { method: 'text', text: recipe.init.text }
          : { method: recipe.init.kind },
      stages: [
        ...(recipe.sftSteps > 0 ? [{ kind: 'sft', steps: recipe.sftSteps }] : []),
        ...(recipe.dpoSteps > 0 ? [{ kind: 'dpo', steps: recipe.dpoSteps }] : []),
      ],
      beta: recipe.dpoSteps > 0 ? recipe.beta : null,
      learningRate: recipe.sftSteps > 0 ? recipe.sftLr : recipe.dpoLr,
      datasets: data.promptSets.map((s) => ({ name: s.name, size: s.count })),
      seed: recipe.seed,
    },
    trainRecipe: { ...recipe },
  };
  files[RUN_PROVENANCE_FILE] = `${JSON.stringify(provenance, null, 2)}\n`;
  files['train_patch.py'] = input.scripts.trainPatch;
  files['patch_helpers.py'] = input.scripts.helpers;

  const counts = {
    sft: sft.chat.length + sft.continuation.length,
    dpo: dpo.chat.length + dpo.continuation.length,
    continuation: dpo.continuation.length,
    evalSets: input.evalSets.length,
  };
  files['README.md'] = renderBundleReadme({
    name: input.name,
    recipe,
    base: input.base,
    reference: input.reference,
    counts,
    chatTemplate: templated,
    requirements: PYTHON_REQUIREMENTS,
    evalFiles: [...evalNames],
  });
  return { files, counts };
}
