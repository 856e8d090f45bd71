// Turns the config's per-kind set choices into the prompt sets the runner
// evaluates: the embedded demo's held-out sets, a set the user imported, or
// none; each cut to the first `maxPromptsPerSet` prompts so an in-browser
// check stays short (the same cut for M, M+P and M′, so they stay comparable).
import {
  DEMO_BIAS_EVAL,
  DEMO_GENERAL_EVAL,
  DEMO_HARMFUL_EVAL,
  DEMO_SAFE_EVAL,
  DEMO_TOXICITY_EVAL,
} from '../data/builtin/index';
import type { PromptSet } from '../data/types';
import type { EvalConfig, EvalSetKind } from '../protocol/messages';

export const BUILTIN_EVAL_SETS: Record<EvalSetKind, PromptSet> = {
  toxicity: DEMO_TOXICITY_EVAL,
  bias: DEMO_BIAS_EVAL,
  harmful: DEMO_HARMFUL_EVAL,
  safe: DEMO_SAFE_EVAL,
  general: DEMO_GENERAL_EVAL,
};

export const EVAL_SET_KINDS: readonly EvalSetKind[] = [
  'toxicity',
  'bias',
  'harmful',
  'safe',
  'general',
];

export function resolveEvalSets(config: EvalConfig): Partial<Record<EvalSetKind, PromptSet>> {
  const out: Partial<Record<EvalSetKind, PromptSet>> = {};
  for (const kind of EVAL_SET_KINDS) {
    const choice = config.sets[kind];
    const set =
      choice.source === 'builtin'
        ? BUILTIN_EVAL_SETS[kind]
        : choice.source === 'custom'
          ? choice.set
          : null;
    if (!set) continue;
    const n = config.maxPromptsPerSet;
    out[kind] = n > 0 && set.items.length > n ? { ...set, items: set.items.slice(0, n) } : set;
  }
  return out;
}
