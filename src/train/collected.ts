// The training data of one patch run, as collected from the two models: for
// each prompt, M′'s answer (chosen), M's answer (rejected) and M′'s log-probs
// of both (the paper's DPO reference). Plain data (numbers, strings, arrays),
// so it can be cached in IndexedDB, posted between threads and exported.
import type { PromptSetKind } from '../data/types';

export const COLLECTED_SET_VERSION = 1;

export interface CollectSettings {
  /** Sampling for both models' answers. */
  temperature: number;
  topK: number;
  topP: number;
  /** Answers are generated up to this many tokens. */
  maxAnswerTokens: number;
  /** Prompts longer than this keep their last tokens (the chat template's generation cue). */
  maxPromptTokens: number;
  /** Prompts per generation batch. */
  batchSize: number;
  seed: number;
}

/**
 * Defaults for the embedded demo. Sampled, not greedy: DPO learns from the
 * spread of M's unsafe answers, and SFT on several phrasings of M′'s answers
 * generalises better than on one. The lengths match DEFAULT_RECIPE's.
 */
export const DEFAULT_COLLECT_SETTINGS: CollectSettings = {
  temperature: 0.7,
  topK: 0,
  topP: 0.95,
  maxAnswerTokens: 24,
  maxPromptTokens: 48,
  batchSize: 8,
  seed: 1,
};

export interface CollectedItem {
  /** Which prompt set kind it came from (training filters by domain). */
  domain: PromptSetKind;
  /** The user's text before the chat template. */
  promptText: string;
  /** Chat-formatted, tokenised, truncated prompt. */
  promptIds: number[];
  /** M′'s answer (new tokens only, a final stop token included when generated). */
  chosenIds: number[];
  chosenText: string;
  /** M's answer. */
  rejectedIds: number[];
  rejectedText: string;
  /** Σ log p_M′(chosen | prompt), summed over chosenIds. */
  refChosen: number;
  /** Σ log p_M′(rejected | prompt). */
  refRejected: number;
  /** The source item's id, when it had one. */
  sourceId?: string;
}

export interface CollectedSet {
  version: typeof COLLECTED_SET_VERSION;
  /** Cache key: same models + prompt sets + settings ⇒ same id (collectedSetId). */
  id: string;
  baseModelId: string;
  referenceModelId: string;
  promptSets: { name: string; kind: PromptSetKind; source: string; count: number }[];
  settings: CollectSettings;
  items: CollectedItem[];
  /** ISO time of collection. */
  createdAt: string;
}

/**
 * A stable id for a collection request (FNV-1a over a canonical string). Two
 * requests with the same models, prompts and settings share a cache entry;
 * any change (one prompt's text, the temperature) gives another id.
 */
export function collectedSetId(request: {
  baseModelId: string;
  referenceModelId: string;
  prompts: { kind: string; text: string }[];
  settings: CollectSettings;
}): string {
  const s = request.settings;
  const canonical = JSON.stringify([
    request.baseModelId,
    request.referenceModelId,
    request.prompts.map((p) => [p.kind, p.text]),
    [s.temperature, s.topK, s.topP, s.maxAnswerTokens, s.maxPromptTokens, s.batchSize, s.seed],
  ]);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < canonical.length; i++) {
    const c = canonical.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x85ebca6b) >>> 0;
  }
  return `collected-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}
