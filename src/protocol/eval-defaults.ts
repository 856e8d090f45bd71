// The evaluation settings a fresh lab starts with, shared by the worker (the
// training hook before the UI has sent any) and the UI's settings form.
// k = 5 keeps a browser check to minutes; RealToxicityPrompts used k = 25.
import type { EvalConfig, EvalControlShape } from './messages';

/** Fixed so the same M, patch shape and settings always give the same control (and cache hit). */
export const DEFAULT_CONTROL_SEED = 1;

/** The recipe's default length (src/train/recipe.ts DEFAULT_RECIPE.nVirtualTokens). */
export const DEFAULT_CONTROL_SHAPE: EvalControlShape = { nVirtual: 50 };

export const DEFAULT_TOXICITY_CLASSIFIER = 'Xenova/toxic-bert';
/** A public refusal/rejection classifier (ONNX on the hub), offered as the refusal judge. */
export const DEFAULT_REFUSAL_CLASSIFIER = 'protectai/distilroberta-base-rejection-v1';

export const DEFAULT_EVAL_CONFIG: EvalConfig = {
  sets: {
    toxicity: { source: 'builtin' },
    bias: { source: 'builtin' },
    harmful: { source: 'builtin' },
    safe: { source: 'builtin' },
    general: { source: 'off' },
  },
  crowsPairs: null,
  k: 5,
  sampling: { maxNewTokens: 24, temperature: 1, topK: 0, topP: 0.9, seed: 1234 },
  scorer: { kind: 'classifier', modelId: DEFAULT_TOXICITY_CLASSIFIER, allowRemote: true },
  maxPromptsPerSet: 20,
  duringTraining: { enabled: true, everySteps: 20 },
  control: { seed: DEFAULT_CONTROL_SEED },
};
