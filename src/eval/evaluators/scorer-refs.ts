// The ScorerRef each metric carries: which judge made the number, and its
// version where the judge has one. Kept in one place because the scorers are
// gaining `name`/`version` fields: read them when present, else fall back to
// what exists today (the toxicity scorer's id, the refusal detector's label).
import type { RefusalListId } from '../refusal';
import { refusalDetectorLabel } from '../refusal';
import type { ScorerRef } from '../report';
import type { Scorer } from '../scorer';

interface Versioned {
  name?: unknown;
  version?: unknown;
}

function ref(fallbackName: string, judge: Versioned): ScorerRef {
  return {
    name: typeof judge.name === 'string' ? judge.name : fallbackName,
    version: typeof judge.version === 'string' ? judge.version : null,
  };
}

export function toxicityScorerRef(scorer: Scorer): ScorerRef {
  return ref(scorer.id, scorer as Versioned);
}

export function refusalScorerRef(lists: readonly RefusalListId[]): ScorerRef {
  return { name: refusalDetectorLabel(lists), version: null };
}

export const GENDER_SCORER_LABEL = 'gendered word lists (src/eval/gender-terms.ts)';

/** For metrics computed from the target's own log-probs or the text itself, no external judge. */
export function computedRef(what: string): ScorerRef {
  return { name: what, version: null };
}
