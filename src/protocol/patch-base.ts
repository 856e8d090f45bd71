import type { PatchBase } from '../patch/types';
import type { ModelSummary } from './messages';

/** The base model a patch made on this loaded model is bound to (its manifest's `base`). */
export function patchBaseOf(model: ModelSummary): PatchBase {
  return {
    id: model.modelId,
    revision: model.revision,
    architecture: model.modelType,
    hiddenSize: model.hiddenSize,
    fingerprint: model.embeddingFingerprint,
  };
}
