// Toxicity from a Hugging Face text-classification model run by
// transformers.js (default Xenova/toxic-bert, the Detoxify "original" model
// trained on the Jigsaw toxic-comment data). Its six labels are independent
// sigmoid outputs (multi-label), so the score used is the `toxic` label's
// probability. The model is loaded by an async factory that fails with a
// ClassifierLoadError when it cannot be had (offline, not cached, wrong id),
// so the caller can fall back to the lexicon scorer and say why.
import type { Scorer } from './scorer';
import {
  type ClassifyFn,
  type LabelScore,
  loadClassifierOrFail,
  type PipelineLoader,
  type PipelineLoadOptions,
} from './transformers-pipeline';

export type { ClassifyFn, LabelScore } from './transformers-pipeline';

export const DEFAULT_TOXICITY_MODEL = 'Xenova/toxic-bert';

export interface ClassifierOptions extends Omit<PipelineLoadOptions, 'dtype'> {
  /** Hub id or local model path; default Xenova/toxic-bert. */
  modelId?: string;
  /** Allow downloading from the Hugging Face hub. Default false: never touch the network unless asked. */
  allowRemote?: boolean;
  /** Texts per model call. Default 16. */
  batchSize?: number;
  /** Replaces the transformers.js loader (tests, or a caller with its own pipeline). */
  load?: PipelineLoader;
}

export class ClassifierLoadError extends Error {
  constructor(
    readonly modelId: string,
    readonly reason: string,
    /** The model was not cached and the hub could not be reached or was not allowed. */
    readonly offline = false,
  ) {
    super(`toxicity classifier "${modelId}" could not be loaded: ${reason}`);
    this.name = 'ClassifierLoadError';
  }
}

// Labels that mean "not toxic" in common binary toxicity classifiers.
const NON_TOXIC = new Set(['non-toxic', 'non_toxic', 'nontoxic', 'not_toxic', 'neutral', 'normal']);

/**
 * One toxicity number from a classifier's labels: the `toxic`/`toxicity`
 * label when present (toxic-bert, unitary/toxic-bert, binary toxic vs
 * non-toxic models), otherwise the highest score among labels that do not
 * mean "not toxic".
 */
export function toxicityFromLabels(scores: LabelScore[]): number {
  const byName = new Map(scores.map((s) => [s.label.toLowerCase(), s.score]));
  const direct = byName.get('toxic') ?? byName.get('toxicity');
  if (direct !== undefined) return direct;
  const toxic = scores.filter((s) => !NON_TOXIC.has(s.label.toLowerCase()));
  if (toxic.length === 0) {
    throw new Error(
      `classifier labels ${JSON.stringify(scores.map((s) => s.label))} include no toxicity label`,
    );
  }
  return Math.max(...toxic.map((s) => s.score));
}

export class ClassifierToxicityScorer implements Scorer {
  readonly id: string;
  readonly label: string;
  readonly name: string;
  /** v1: the `toxic` label's probability (toxicityFromLabels). */
  readonly version = 'v1';

  constructor(
    readonly modelId: string,
    private readonly classify: ClassifyFn,
    private readonly batchSize = 16,
  ) {
    this.id = `classifier:${modelId}`;
    this.label = `classifier: ${modelId}`;
    this.name = this.label;
  }

  async score(texts: string[]): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      const results = await this.classify(batch);
      if (results.length !== batch.length) {
        throw new Error(
          `classifier "${this.modelId}" returned ${results.length} results for ${batch.length} texts`,
        );
      }
      for (const r of results) out.push(toxicityFromLabels(r));
    }
    return out;
  }
}

/** Loads the classifier; throws ClassifierLoadError (with the underlying reason) when it cannot. */
export async function createClassifierScorer(
  opts: ClassifierOptions = {},
): Promise<ClassifierToxicityScorer> {
  const { modelId = DEFAULT_TOXICITY_MODEL, allowRemote = false, load, batchSize, ...rest } = opts;
  const classify = await loadClassifierOrFail(
    modelId,
    allowRemote,
    rest,
    load,
    (f) => new ClassifierLoadError(modelId, f.reason, f.offline),
  );
  // Check the model really answers with a toxicity label before trusting it.
  try {
    const probe = await classify(['hello']);
    toxicityFromLabels(probe[0] ?? []);
  } catch (e) {
    throw new ClassifierLoadError(modelId, (e as Error).message);
  }
  return new ClassifierToxicityScorer(modelId, classify, batchSize);
}
