// Train/eval splitting that can never leak: prompts are grouped by their
// normalised text first, and each group goes to one side only, so a prompt
// that appears twice (or with different case/quotes/spacing) cannot sit in
// both the data a patch was trained on and the data it is judged on.
import { Rng } from '../engine/rng';
import type { PromptItem, PromptSet } from './types';

/**
 * The form two prompts are compared in: Unicode NFKC, curly quotes made
 * straight, lower case, whitespace runs collapsed, ends trimmed.
 */
export function normalizePrompt(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export interface SplitOptions {
  /** Share of distinct prompts put in eval, in [0, 1]. */
  evalFraction: number;
  seed: number;
}

export interface SplitResult {
  train: PromptSet;
  eval: PromptSet;
  /** Items dropped because their normalised prompt was already in the set. */
  duplicatesDropped: number;
}

/**
 * Shuffles the distinct prompts with a seeded RNG and puts
 * round(evalFraction × distinct) of them in eval (at least one of each side
 * when there are two or more prompts and 0 < evalFraction < 1). Duplicates
 * after normalisation keep their first occurrence only.
 */
export function splitTrainEval(set: PromptSet, opts: SplitOptions): SplitResult {
  if (!(opts.evalFraction >= 0 && opts.evalFraction <= 1)) {
    throw new RangeError(`evalFraction must be in [0, 1], got ${opts.evalFraction}`);
  }
  const seen = new Set<string>();
  const distinct: PromptItem[] = [];
  for (const item of set.items) {
    const key = normalizePrompt(item.prompt);
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push(item);
  }
  const order = new Rng(opts.seed).shuffle(distinct.map((_, i) => i));
  let nEval = Math.round(opts.evalFraction * distinct.length);
  if (distinct.length >= 2 && opts.evalFraction > 0 && opts.evalFraction < 1) {
    nEval = Math.min(Math.max(nEval, 1), distinct.length - 1);
  }
  const evalIdx = new Set(order.slice(0, nEval));
  // Keep the source order within each side: easier to read and diff.
  const trainItems = distinct.filter((_, i) => !evalIdx.has(i));
  const evalItems = distinct.filter((_, i) => evalIdx.has(i));
  return {
    train: { ...set, split: 'train', name: `${set.name} (train)`, items: trainItems },
    eval: { ...set, split: 'eval', name: `${set.name} (eval)`, items: evalItems },
    duplicatesDropped: set.items.length - distinct.length,
  };
}

export interface DisjointReport {
  disjoint: boolean;
  /** Normalised prompts found in both sets. */
  overlaps: string[];
}

/** Reports prompts (normalised) present in both sets. */
export function checkDisjoint(train: PromptSet, evalSet: PromptSet): DisjointReport {
  const trainKeys = new Set(train.items.map((i) => normalizePrompt(i.prompt)));
  const overlaps = [
    ...new Set(evalSet.items.map((i) => normalizePrompt(i.prompt)).filter((k) => trainKeys.has(k))),
  ];
  return { disjoint: overlaps.length === 0, overlaps };
}
