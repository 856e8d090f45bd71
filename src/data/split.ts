// Train/eval splitting that can never leak: prompts are grouped by their
// normalised text first, and each group goes to one side only, so a prompt
// that appears twice (or with different case/quotes/spacing) cannot sit in
// both the data a patch was trained on and the data it is judged on.
//
// Few-shot files join several statements per line ("A ||| B ||| C"): two
// different lines can then share a statement, and a prompt-level split would
// train on a statement the eval side is judged on. When the lines use a
// separator, rows sharing a statement are grouped and each group goes to one
// side; where that is impossible (one group holds everything) the split falls
// back to prompts and says which statements sit on both sides.
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
  /**
   * What joins the statements of one few-shot line. Default: detected among
   * STATEMENT_SEPARATORS (see detectStatementSeparator); null = prompts are
   * single statements.
   */
  statementSeparator?: string | null;
}

/** How a few-shot set was split by statement. */
export interface StatementSplit {
  separator: string;
  /** Groups of rows linked by shared statements; each went to one side. */
  groups: number;
  /** Statements in more than half of the rows (a fixed instruction or demonstration), ignored for grouping. */
  templateStatements: string[];
  /** Normalised statements on both sides: empty unless grouping was impossible. */
  overlaps: string[];
  /** Set when the split could not keep statements apart, for the UI. */
  warning?: string;
}

export interface SplitResult {
  train: PromptSet;
  eval: PromptSet;
  /** Items dropped because their normalised prompt was already in the set. */
  duplicatesDropped: number;
  /** Present when the prompts are few-shot lines joined by a separator. */
  statements?: StatementSplit;
}

/** Separators tried, in order, when a few-shot line's separator is not given. */
export const STATEMENT_SEPARATORS: readonly string[] = ['|||', '###', '\t', '\n\n', '\n', ' | '];

/** The statements of one line, normalised, empty parts dropped. */
export function splitStatements(prompt: string, separator: string): string[] {
  return prompt
    .split(separator)
    .map(normalizePrompt)
    .filter((s) => s !== '');
}

/**
 * The first separator of STATEMENT_SEPARATORS that at least half of the
 * prompts contain and that makes some statement occur in two different
 * prompts; null when none does (the prompts are then split as wholes).
 */
export function detectStatementSeparator(prompts: readonly string[]): string | null {
  for (const sep of STATEMENT_SEPARATORS) {
    const using = prompts.filter((p) => splitStatements(p, sep).length >= 2);
    if (using.length === 0 || using.length * 2 < prompts.length) continue;
    const seen = new Map<string, number>();
    for (const [i, p] of prompts.entries()) {
      for (const st of new Set(splitStatements(p, sep))) {
        const at = seen.get(st);
        if (at !== undefined && at !== i) return sep;
        seen.set(st, i);
      }
    }
  }
  return null;
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
  let nEval = Math.round(opts.evalFraction * distinct.length);
  if (distinct.length >= 2 && opts.evalFraction > 0 && opts.evalFraction < 1) {
    nEval = Math.min(Math.max(nEval, 1), distinct.length - 1);
  }
  const separator =
    opts.statementSeparator === undefined
      ? detectStatementSeparator(distinct.map((i) => i.prompt))
      : opts.statementSeparator;
  const rng = new Rng(opts.seed);
  let evalIdx: Set<number>;
  let statements: StatementSplit | undefined;
  if (separator === null) {
    evalIdx = new Set(rng.shuffle(distinct.map((_, i) => i)).slice(0, nEval));
  } else {
    ({ evalIdx, statements } = splitByStatement(distinct, separator, nEval, rng));
  }
  // Keep the source order within each side: easier to read and diff.
  const trainItems = distinct.filter((_, i) => !evalIdx.has(i));
  const evalItems = distinct.filter((_, i) => evalIdx.has(i));
  return {
    train: { ...set, split: 'train', name: `${set.name} (train)`, items: trainItems },
    eval: { ...set, split: 'eval', name: `${set.name} (eval)`, items: evalItems },
    duplicatesDropped: set.items.length - distinct.length,
    ...(statements ? { statements } : {}),
  };
}

/**
 * Rows linked by a shared (non-template) statement form a group (union-find);
 * groups are shuffled and added to eval while they fit in nEval rows, so eval
 * holds at most nEval rows (at least one group when there are two or more).
 * With a single group, falls back to a row split and reports the overlap.
 */
function splitByStatement(
  items: readonly PromptItem[],
  separator: string,
  nEval: number,
  rng: Rng,
): { evalIdx: Set<number>; statements: StatementSplit } {
  const rows = items.map((i) => [...new Set(splitStatements(i.prompt, separator))]);
  const rowsOf = new Map<string, number[]>();
  rows.forEach((sts, r) => {
    for (const st of sts) rowsOf.set(st, [...(rowsOf.get(st) ?? []), r]);
  });
  const template = new Set(
    items.length >= 4
      ? [...rowsOf].filter(([, rs]) => rs.length * 2 > items.length).map(([st]) => st)
      : [],
  );
  const parent = rows.map((_, r) => r);
  const find = (r: number): number => {
    while (parent[r] !== r) {
      parent[r] = parent[parent[r]];
      r = parent[r];
    }
    return r;
  };
  for (const [st, rs] of rowsOf) {
    if (template.has(st)) continue;
    for (const r of rs.slice(1)) parent[find(r)] = find(rs[0]);
  }
  const byRoot = new Map<number, number[]>();
  for (let r = 0; r < rows.length; r++) {
    byRoot.set(find(r), [...(byRoot.get(find(r)) ?? []), r]);
  }
  const groups = rng.shuffle([...byRoot.values()]);

  const evalIdx = new Set<number>();
  let warning: string | undefined;
  if (groups.length === 1 && nEval > 0 && nEval < items.length) {
    for (const r of rng.shuffle(rows.map((_, r) => r)).slice(0, nEval)) evalIdx.add(r);
    warning = 'every row shares a statement with another: split by row, statements overlap';
  } else {
    for (const g of groups) if (evalIdx.size + g.length <= nEval) for (const r of g) evalIdx.add(r);
    if (evalIdx.size === 0 && nEval > 0 && groups.length >= 2) {
      const smallest = groups.reduce((a, b) => (b.length < a.length ? b : a));
      for (const r of smallest) evalIdx.add(r);
    }
  }
  const sideOf = (r: number) => (evalIdx.has(r) ? 'eval' : 'train');
  const overlaps = [...rowsOf]
    .filter(([st, rs]) => !template.has(st) && new Set(rs.map(sideOf)).size === 2)
    .map(([st]) => st);
  return {
    evalIdx,
    statements: {
      separator,
      groups: groups.length,
      templateStatements: [...template],
      overlaps,
      ...(warning ? { warning } : {}),
    },
  };
}

export interface DisjointReport {
  disjoint: boolean;
  /** Normalised prompts found in both sets. */
  overlaps: string[];
}

/** Normalised statements (split at `separator`) present in both sets. */
export function statementOverlaps(
  train: PromptSet,
  evalSet: PromptSet,
  separator: string,
): string[] {
  const trainKeys = new Set(train.items.flatMap((i) => splitStatements(i.prompt, separator)));
  return [...new Set(evalSet.items.flatMap((i) => splitStatements(i.prompt, separator)))].filter(
    (k) => trainKeys.has(k),
  );
}

/** Reports prompts (normalised) present in both sets. */
export function checkDisjoint(train: PromptSet, evalSet: PromptSet): DisjointReport {
  const trainKeys = new Set(train.items.map((i) => normalizePrompt(i.prompt)));
  const overlaps = [
    ...new Set(evalSet.items.map((i) => normalizePrompt(i.prompt)).filter((k) => trainKeys.has(k))),
  ];
  return { disjoint: overlaps.length === 0, overlaps };
}
