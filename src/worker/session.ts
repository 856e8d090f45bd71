// What the lab worker holds between commands: the loaded models and the
// patch being trained or applied. Only the worker touches tensors; the UI
// sees summaries.
import type { CausalLM, ModelConfig, ModelFileSource, TextTokenizer } from '../engine/types';
import type { ModelRole, ModelSummary } from '../protocol/messages';

export interface LoadedModel {
  role: ModelRole;
  model: CausalLM;
  tokenizer: TextTokenizer;
  config: ModelConfig;
  source: ModelFileSource;
  summary: ModelSummary;
}

export interface LabSession {
  models: Partial<Record<ModelRole, LoadedModel>>;
  /** The patch stack M+P uses, in order (ids in the patch library); [] = none. */
  activePatchIds: string[];
}

export const session: LabSession = {
  models: {},
  activePatchIds: [],
};

/** The loaded model for a role, or a clear error telling the user what to do. */
export function requireModel(role: ModelRole): LoadedModel {
  const m = session.models[role];
  if (!m) {
    const name = role === 'base' ? 'the base model M' : 'the reference model M′';
    throw new Error(`Load ${name} first (Models panel).`);
  }
  return m;
}
