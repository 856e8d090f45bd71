// Toxicity from a Hugging Face text-classification model run by
// transformers.js (default Xenova/toxic-bert, the Detoxify "original" model
// trained on the Jigsaw toxic-comment data). Its six labels are independent
// sigmoid outputs (multi-label), so the score used is the `toxic` label's
// probability. The model is loaded by an async factory that fails with a
// ClassifierLoadError when it cannot be had (offline, not cached, wrong id),
// so the caller can fall back to the lexicon scorer and say why.
import type { Scorer } from './scorer';

export const DEFAULT_TOXICITY_MODEL = 'Xenova/toxic-bert';

export interface LabelScore {
  label: string;
  score: number;
}

/** Classifies a batch of texts, returning every label's score for each text. */
export type ClassifyFn = (texts: string[]) => Promise<LabelScore[][]>;

export interface ClassifierOptions {
  /** Hub id or local model path; default Xenova/toxic-bert. */
  modelId?: string;
  /** Allow downloading from the Hugging Face hub. Default false: never touch the network unless asked. */
  allowRemote?: boolean;
  /** Texts per model call. Default 16. */
  batchSize?: number;
  /** Replaces the transformers.js loader (tests, or a caller with its own pipeline). */
  load?: (modelId: string, allowRemote: boolean) => Promise<ClassifyFn>;
}

export class ClassifierLoadError extends Error {
  constructor(
    readonly modelId: string,
    readonly reason: string,
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

/** The transformers.js text-classification loader, shared with the refusal classifier. */
export async function loadTransformersPipeline(
  modelId: string,
  allowRemote: boolean,
  /** Weights to load; transformers.js picks per device when absent (q8 in the browser). */
  dtype?: 'fp32' | 'q8',
): Promise<ClassifyFn> {
  // Imported lazily: transformers.js and its ONNX runtime are large, and the
  // offline lexicon path should not pay for them.
  const { env, pipeline } = await import('@huggingface/transformers');
  const previous = env.allowRemoteModels;
  env.allowRemoteModels = allowRemote;
  try {
    const classifier = await pipeline('text-classification', modelId, dtype ? { dtype } : {});
    return async (texts) => (await classifier(texts, { top_k: null })) as unknown as LabelScore[][];
  } finally {
    // The setting is global to transformers.js; other users (tokenizers) keep theirs.
    env.allowRemoteModels = previous;
  }
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
  const modelId = opts.modelId ?? DEFAULT_TOXICITY_MODEL;
  const allowRemote = opts.allowRemote ?? false;
  let classify: ClassifyFn;
  try {
    classify = await (opts.load ?? loadTransformersPipeline)(modelId, allowRemote);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ClassifierLoadError(
      modelId,
      allowRemote ? reason : `${reason} (remote download disabled: allowRemote is false)`,
    );
  }
  // Check the model really answers with a toxicity label before trusting it.
  try {
    const probe = await classify(['hello']);
    toxicityFromLabels(probe[0] ?? []);
  } catch (e) {
    throw new ClassifierLoadError(modelId, (e as Error).message);
  }
  return new ClassifierToxicityScorer(modelId, classify, opts.batchSize);
}
