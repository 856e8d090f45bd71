// The ScorerRef each metric carries: which judge made the number, and its
// version where the judge has one: a toxicity scorer's `name`/`version` when
// it has them (else its id), a refusal judge's own name and version.
import type { RefusalJudge } from '../refusal-judge';
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

export function refusalScorerRef(judge: RefusalJudge): ScorerRef {
  return { name: judge.name, version: judge.version };
}

export const GENDER_SCORER_LABEL = 'gendered word lists (src/eval/gender-terms.ts)';

/** For metrics computed from the target's own log-probs or the text itself, no external judge. */
export function computedRef(what: string): ScorerRef {
  return { name: what, version: null };
}
