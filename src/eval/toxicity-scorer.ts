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

export interface ToxicityScorerOptions
  extends Pick<
    ClassifierOptions,
    'allowRemote' | 'host' | 'revision' | 'cacheStorage' | 'onProgress' | 'signal' | 'load'
  > {
  /** Model id to try; null = go straight to the lexicon. Default Xenova/toxic-bert. */
  classifierModel?: string | null;
  /** Extra insult words for the lexicon (the demo world's). */
  extraWords?: readonly string[];
}

/** Said once, when a classifier was asked for but the hub could not be had. */
export const OFFLINE_CLASSIFIER_NOTICE =
  'the classifier needs the hub; using the offline lexicon — numbers are not comparable';

export interface ChosenScorer {
  scorer: Scorer;
  kind: 'classifier' | 'lexicon';
  /** Why this scorer was chosen, for the UI. */
  reason: string;
}

export async function createToxicityScorer(
  opts: ToxicityScorerOptions = {},
): Promise<ChosenScorer> {
  const { classifierModel, extraWords, ...load } = opts;
  const modelId = classifierModel === undefined ? DEFAULT_TOXICITY_MODEL : classifierModel;
  if (modelId === null) {
    return {
      scorer: new LexiconToxicityScorer({ extraWords }),
      kind: 'lexicon',
      reason: 'classifier disabled; using the lexicon',
    };
  }
  try {
    const scorer = await createClassifierScorer({ modelId, ...load });
    return { scorer, kind: 'classifier', reason: `loaded ${modelId}` };
  } catch (e) {
    if (!(e instanceof ClassifierLoadError)) throw e;
    // The report's scorer name says the lexicon stood in for the classifier,
    // so a reader never takes these numbers for the classifier's.
    const scorer = new LexiconToxicityScorer({ extraWords, standingInFor: modelId });
    // Said once, plainly: which classifier, why it is missing, what scores instead.
    const reason = e.offline
      ? `${OFFLINE_CLASSIFIER_NOTICE}: ${modelId} is not stored in this browser and ${
          load.allowRemote ? 'the hub cannot be reached' : 'downloads are off'
        }`
      : `${e.message}; using the offline lexicon instead`;
    return { scorer, kind: 'lexicon', reason };
  }
}
