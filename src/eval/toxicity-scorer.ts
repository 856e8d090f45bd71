// The toxicity scorer the lab uses: the classifier when it can be loaded,
// otherwise the offline lexicon — and a record of which one and why, which
// the report shows beside every toxicity number.
import {
  ClassifierLoadError,
  type ClassifierOptions,
  createClassifierScorer,
  DEFAULT_TOXICITY_MODEL,
} from './classifier-toxicity';
import { LexiconToxicityScorer } from './lexicon-toxicity';
import type { Scorer } from './scorer';

export interface ToxicityScorerOptions {
  /** Model id to try; null = go straight to the lexicon. Default Xenova/toxic-bert. */
  classifierModel?: string | null;
  allowRemote?: boolean;
  /** Extra insult words for the lexicon (the demo world's). */
  extraWords?: readonly string[];
  /** Test seam / custom loader, passed to createClassifierScorer. */
  load?: ClassifierOptions['load'];
}

export interface ChosenScorer {
  scorer: Scorer;
  kind: 'classifier' | 'lexicon';
  /** Why this scorer was chosen, for the UI. */
  reason: string;
}

export async function createToxicityScorer(
  opts: ToxicityScorerOptions = {},
): Promise<ChosenScorer> {
  const lexicon = () => new LexiconToxicityScorer({ extraWords: opts.extraWords });
  const modelId =
    opts.classifierModel === undefined ? DEFAULT_TOXICITY_MODEL : opts.classifierModel;
  if (modelId === null) {
    return { scorer: lexicon(), kind: 'lexicon', reason: 'classifier disabled; using the lexicon' };
  }
  try {
    const scorer = await createClassifierScorer({
      modelId,
      allowRemote: opts.allowRemote,
      load: opts.load,
    });
    return { scorer, kind: 'classifier', reason: `loaded ${modelId}` };
  } catch (e) {
    if (!(e instanceof ClassifierLoadError)) throw e;
    return {
      scorer: lexicon(),
      kind: 'lexicon',
      reason: `${e.message}; fell back to the offline lexicon`,
    };
  }
}
