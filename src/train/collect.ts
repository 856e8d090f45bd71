// Collecting the training data of a patch run: for every training prompt,
// the reference model M′ answers (chosen), the base model M answers
// (rejected), and M′ scores both answers (the paper's DPO reference). The
// result is plain data (CollectedSet), cached by worker/train-collected-cache.ts.
import type { PromptSet } from '../data/types';
import { answerTokens, chatMarkersOf, stopAtMarker } from '../engine/chat-markers';
import { generate } from '../engine/generate';
import { continuationLogProbs } from '../engine/score';
import { tf } from '../engine/tf';
import type { CausalLM, TextTokenizer } from '../engine/types';
import { encodePromptItem } from '../eval/encode-prompt';
import {
  COLLECTED_SET_VERSION,
  type CollectedItem,
  type CollectedSet,
  type CollectSettings,
  collectedSetId,
} from './collected';
import { truncatePrompt } from './train-pool';

export interface CollectModel {
  model: CausalLM;
  /** Model id (and revision) as it should appear in the set and the patch manifest. */
  id: string;
}

export interface CollectProgress {
  /** Prompts fully collected (both answers and scores). */
  done: number;
  total: number;
}

export interface CollectOptions {
  base: CollectModel;
  reference: CollectModel;
  /**
   * The tokenizer of M, which M′ must share: a patch is trained on M's token
   * ids, and M′'s log-probs of those same ids are its DPO reference.
   */
  tokenizer: TextTokenizer;
  promptSets: PromptSet[];
  settings: CollectSettings;
  onProgress?: (p: CollectProgress) => void;
  signal?: AbortSignal;
}

export async function collectPairs(opts: CollectOptions): Promise<CollectedSet> {
  const { base, reference, tokenizer, settings } = opts;
  if (base.model.config.vocabSize !== reference.model.config.vocabSize) {
    throw new Error(
      `M and M′ have different vocabularies (${base.model.config.vocabSize} vs ${reference.model.config.vocabSize}); the reference must share the base model's tokenizer`,
    );
  }
  const prompts = opts.promptSets.flatMap((set) =>
    set.items.map((item) => ({ kind: set.kind, item })),
  );
  const total = prompts.length;
  const items: CollectedItem[] = [];
  opts.onProgress?.({ done: 0, total });
  for (let start = 0, batchNo = 0; start < total; start += settings.batchSize, batchNo++) {
    opts.signal?.throwIfAborted();
    const batch = prompts.slice(start, start + settings.batchSize);
    const ids = batch.map((p) =>
      truncatePrompt(encodePromptItem(tokenizer, p.item), settings.maxPromptTokens),
    );
    // Each batch and model gets its own seed, so a collection is reproducible
    // whatever the batch a prompt falls in was sampled with before it.
    const chosen = await generateAnswers(
      reference.model,
      tokenizer,
      ids,
      settings,
      settings.seed + 2 * batchNo,
      opts.signal,
    );
    const rejected = await generateAnswers(
      base.model,
      tokenizer,
      ids,
      settings,
      settings.seed + 2 * batchNo + 1,
      opts.signal,
    );
    const refChosen = await scoreNoGrad(reference.model, ids, chosen);
    const refRejected = await scoreNoGrad(reference.model, ids, rejected);
    batch.forEach((p, i) => {
      items.push({
        domain: p.kind,
        promptText: p.item.prompt,
        promptIds: ids[i],
        chosenIds: chosen[i],
        chosenText: tokenizer.decode(chosen[i], { skipSpecialTokens: true }),
        rejectedIds: rejected[i],
        rejectedText: tokenizer.decode(rejected[i], { skipSpecialTokens: true }),
        refChosen: refChosen[i],
        refRejected: refRejected[i],
        ...(p.item.id !== undefined ? { sourceId: p.item.id } : {}),
      });
    });
    opts.onProgress?.({ done: items.length, total });
  }
  return {
    version: COLLECTED_SET_VERSION,
    id: collectedSetId({
      baseModelId: base.id,
      referenceModelId: reference.id,
      prompts: prompts.map((p) => ({ kind: p.kind, text: p.item.prompt })),
      settings,
    }),
    baseModelId: base.id,
    referenceModelId: reference.id,
    promptSets: opts.promptSets.map((s) => ({
      name: s.name,
      kind: s.kind,
      source: s.source,
      count: s.items.length,
    })),
    settings: { ...settings },
    items,
    createdAt: new Date().toISOString(),
  };
}

/**
 * One model's answers. generate() returns the new tokens without the stop
 * token; the stop token actually sampled (seen through onStep) is put back,
 * because training on it is what teaches the patched model to stop where M′
 * stops (a short refusal, not a refusal followed by M's usual rambling).
 * An answer that ran on into a chat marker (a new turn) is cut before it and
 * ends with the model's end-of-turn token instead, for the same reason.
 * Exported for the trainer's on-policy negatives (the patched model's own
 * answers, with `prefix`), which must end exactly as collected answers do.
 */
export async function generateAnswers(
  model: CausalLM,
  tokenizer: TextTokenizer,
  promptIds: number[][],
  s: Pick<CollectSettings, 'maxAnswerTokens' | 'temperature' | 'topK' | 'topP'>,
  seed: number,
  signal?: AbortSignal,
  prefix?: tf.Tensor2D | null,
): Promise<number[][]> {
  const stop = new Set(model.config.eosTokenIds);
  const stoppedWith: (number | null)[] = promptIds.map(() => null);
  const markers = chatMarkersOf(tokenizer);
  const out = await generate(model, promptIds, {
    maxNewTokens: s.maxAnswerTokens,
    temperature: s.temperature,
    topK: s.topK,
    topP: s.topP,
    seed,
    signal,
    prefix,
    stopWhen: stopAtMarker(tokenizer, markers),
    onStep: (_step, tokens) => {
      tokens.forEach((t, r) => {
        if (stoppedWith[r] === null && stop.has(t)) stoppedWith[r] = t;
      });
    },
  });
  const endOfTurn = model.config.eosTokenIds[0];
  return out.map((ids, r) => {
    const kept = answerTokens(tokenizer, markers, ids);
    if (kept !== ids) return endOfTurn === undefined ? kept : [...kept, endOfTurn];
    const s = stoppedWith[r];
    return s === null ? ids : [...ids, s];
  });
}

/** Read with the async data(): a synchronous read returned zeros on WebGPU in a worker. */
async function scoreNoGrad(
  model: CausalLM,
  prompts: number[][],
  answers: number[][],
): Promise<number[]> {
  const sum = tf.tidy(
    () => continuationLogProbs(model, { prompts, continuations: answers }, null).sum,
  );
  try {
    return Array.from(await sum.data());
  } finally {
    sum.dispose();
  }
}
