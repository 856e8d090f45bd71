// The training recipe: every knob of a patch run, its default for the
// embedded demo, and one line of help per knob for the UI. The defaults are
// tuned on the demo (scripts/train-demo-patch.ts prints what they achieve).
import { DOMAINS } from '../data/domains';
import type { Domain } from '../data/types';
import { DEFAULT_INIT_TEXT, type PatchInit } from '../patch/init-text';
import type { AdamHyper } from './optimizer';
import { readRecipe } from './recipe-schema';
import type { DecayKind } from './schedule';

/** Whose log-probs DPO measures the patched model against. */
export type DpoReference = 'reference-model' | 'sft-patch';

/**
 * On-policy negatives for DPO: which prompts get the SFT-patched model's own
 * refusals as rejected answers when the DPO stage begins. 'off': the
 * collected pairs only. 'look-alikes': the harmless look-alike prompts
 * (kind 'safe') whose M′ answer is no refusal. 'answered': every trained
 * prompt whose M′ answer is no refusal (look-alikes, toxicity, bias).
 */
export type DpoPolicyNegatives = 'off' | 'look-alikes' | 'answered';

export interface TrainRecipe {
  nVirtualTokens: number;
  init: PatchInit;
  domains: Domain[];
  sftSteps: number;
  dpoSteps: number;
  batchSize: number;
  gradAccumulation: number;
  maxPromptTokens: number;
  maxAnswerTokens: number;
  sftLr: number;
  dpoLr: number;
  warmupSteps: number;
  decay: DecayKind;
  minLrRatio: number;
  beta: number;
  marginThreshold: number;
  dpoNllWeight: number;
  dpoReference: DpoReference;
  dpoPolicyNegatives: DpoPolicyNegatives;
  /** How many times each on-policy pair enters the DPO pool (1 = once, like a collected pair). */
  dpoPolicyNegativeCopies: number;
  /**
   * 0: each on-policy pair enters dpoPolicyNegativeCopies times. In (0, 0.95]:
   * as many copies as make the on-policy pairs this share of the DPO pool
   * (policyNegativeCopies), whatever number of refusals a seed finds.
   */
  dpoPolicyNegativeShare: number;
  maxGradNorm: number;
  /**
   * Gradient checkpointing: recompute each layer in the backward pass instead
   * of keeping its activations (ForwardOptions.checkpointLayers).
   */
  checkpointLayers: boolean;
  adam: AdamHyper;
  seed: number;
  checkpointEvery: number;
  evalEvery: number;
}

/**
 * Tuned on the embedded demo with scripts/train-demo-patch.ts (wasm, 2 shared
 * cores, ~2 min end to end; numbers in docs/BENCHMARKS.md). The learning rates
 * are small because Adam moves every coordinate by ~lr per step whatever the
 * gradient scale, and the demo's embedding rows have norm ~1 over 128 dims
 * (~0.09 per coordinate): at sftLr 0.01 the patch left the embedding manifold
 * and M+P's answers turned to word salad (perplexity under M′ 5× M's); at
 * 0.002 they stayed fluent. 60 SFT steps were what fluency needs (150 now, for over-refusal, below): the text
 * init alone steers toxicity and bias, but its answers read oddly to M′
 * (perplexity 4–12× M's); SFT on M′'s answers fixes that (20 steps at 0.001
 * left it at 2.5×). DPO defaults to the frozen SFT patch as its reference
 * (standard DPO): against M′'s log-probs, which the patched model never
 * reaches, reward accuracy stayed at 0 for most of the stage on the demo;
 * against the SFT patch it was 0.9–1.0. dpoNllWeight stays 0 (plain DPO):
 * the RPO term lowered the demo's over-refusal of safe look-alikes only from
 * 53 % to 40–50 % (α 1–5), not to the 10 % target (docs/BENCHMARKS.md).
 * What reached it: 150 SFT steps (SFT alone levels off at 15 % there) and
 * on-policy negatives — the SFT patch's own refusals of the train
 * look-alikes (14 to 21 of 100, by seed) as DPO's rejected answers, copied
 * until they are half the DPO pool, so DPO draws them as often as the pairs
 * that push toward refusing. Over five seeds that met every target in every
 * seed (over-refusal 3–10 %, harmful gap 83–88 %); a fixed 25 copies each
 * left the seed with 14 refusals at 13 %, and 30 copies or 60 DPO steps cost
 * the harmful gap on others (78–79 %).
 */
export const DEFAULT_RECIPE: TrainRecipe = {
  nVirtualTokens: 50,
  init: { kind: 'text', text: DEFAULT_INIT_TEXT },
  domains: [...DOMAINS],
  sftSteps: 150,
  dpoSteps: 40,
  batchSize: 8,
  gradAccumulation: 1,
  maxPromptTokens: 48,
  maxAnswerTokens: 24,
  sftLr: 0.002,
  dpoLr: 0.0005,
  warmupSteps: 5,
  decay: 'cosine',
  minLrRatio: 0.1,
  beta: 0.1,
  marginThreshold: 0,
  dpoNllWeight: 0,
  dpoReference: 'sft-patch',
  dpoPolicyNegatives: 'look-alikes',
  dpoPolicyNegativeCopies: 25,
  dpoPolicyNegativeShare: 0.5,
  maxGradNorm: 1,
  // Off: the demo and batch-1 runs fit without it, and it costs one more
  // forward per step (docs/BENCHMARKS.md "Speed work").
  checkpointLayers: false,
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  seed: 1,
  // scripts/measure-checkpoint-cost.ts: a write costs ~1 ms beside a ~490 ms
  // update (0.2 % at every update); 5 keeps writes under 2 % of training
  // even if a browser's disk-backed IndexedDB write is 40× slower than that
  // measure (docs/BENCHMARKS.md). The loop also writes after update 1.
  checkpointEvery: 5,
  evalEvery: 20,
};

export const RECIPE_FIELD_HELP: Record<keyof TrainRecipe, string> = {
  nVirtualTokens:
    'Length of the patch: how many learnable vectors are prepended to every input. The paper uses 50; more gives more capacity and costs attention over more positions.',
  init: 'Where the patch starts. "From text" uses the embeddings of a safety instruction (the paper\'s semantic init) and often helps before any training; "random" and "vocabulary rows" start from scratch.',
  domains:
    'Which safety domains to train on. Several domains train one joint patch; one domain trains a specialised patch you can compose with others later.',
  sftSteps:
    "Updates of stage 1, supervised fine-tuning: the patched model learns to reproduce the safe model's answers.",
  dpoSteps:
    "Updates of stage 2, DPO: the patched model learns to prefer the safe model's answer over the base model's, relative to a reference.",
  batchSize: 'Prompts per micro-batch. Larger batches give smoother gradients and use more memory.',
  gradAccumulation:
    'Micro-batches averaged into one update. Effective batch = batch size × accumulation, at the memory cost of one micro-batch.',
  maxPromptTokens:
    'Longer prompts keep their last tokens (where the chat template cues the answer).',
  maxAnswerTokens:
    'Answers are cut to this many tokens for training (and generated up to it when collecting).',
  sftLr:
    'Peak learning rate of the SFT stage (Adam). Patches tolerate much larger rates than full fine-tuning.',
  dpoLr:
    'Peak learning rate of the DPO stage, usually lower than SFT: DPO sharpens what SFT taught.',
  warmupSteps:
    "Each stage ramps its learning rate up linearly over this many updates, so Adam's first unit-sized steps do not throw the patch off course.",
  decay:
    'After warmup the learning rate follows a cosine or linear curve down to the floor, or stays constant.',
  minLrRatio: 'The learning rate at the end of a stage, as a fraction of its peak.',
  beta: 'DPO temperature β: how strongly the patched model is held near the reference. Smaller β lets it move further.',
  marginThreshold:
    'Pairs are kept for DPO only if the safe model prefers the chosen answer by at least this many nats per token; 0 drops pairs it does not prefer at all.',
  dpoNllWeight:
    "Weight α of an NLL term on the safe model's answer added to the DPO loss (RPO: DPO + α · NLL(chosen)/length). It holds up the likelihood of the answers SFT taught while DPO pushes toward refusing; 0 is plain DPO.",
  dpoReference:
    '"SFT patch" (default): standard DPO against the base model with the frozen SFT patch; it learns the preference on the demo. "Reference model": DPO against the safe model M′\'s log-probs, as in the paper; on the demo the patched model never reaches M′\'s log-probs and reward accuracy stays low.',
  dpoPolicyNegatives:
    'On-policy negatives: when DPO begins, the patched model (as SFT left it) answers the training prompts the safe model answers; where it refuses, DPO gets the pair (safe model\'s answer, its own refusal). A look-alike pair (both models answer) is replaced by it; a toxicity or bias pair keeps M\'s answer and the refusal is added beside it. "Look-alikes" asks only the harmless look-alike prompts, "answered" every prompt the safe model answers. Needs the "SFT patch" reference. Costs one generation pass over those prompts.',
  dpoPolicyNegativeCopies:
    'How many times each on-policy pair enters the DPO pool when the share below is 0. A few refusals among hundreds of collected pairs are rarely drawn; copies make DPO see them as often as this many pairs each.',
  dpoPolicyNegativeShare:
    'The share of the DPO pool the on-policy pairs fill (0 = use the fixed copies above). Each refusal gets as many copies as that takes, so a seed whose SFT patch refuses fewer look-alikes still gives them the same weight against the pairs that push toward refusing.',
  maxGradNorm:
    'Gradients with a larger global norm are scaled down to it (0 = no clipping); protects against one bad batch.',
  checkpointLayers:
    "Gradient checkpointing: each layer keeps only its input and is recomputed during the backward pass. Training needs far less memory (SmolLM2-135M at batch 4 fits the wasm backend's 4 GiB only with it) and each step costs about one more forward pass.",
  adam: "Adam's β1, β2 and ε, fixed explicitly so results match across backends (webgl would otherwise change ε).",
  seed: 'Seeds the data order and the random init; same seed and recipe give the same run.',
  checkpointEvery:
    'Save a resumable checkpoint after the first update and then every this many (0 = only the first, on pause/stop and at the end). A reload loses at most this many updates.',
  evalEvery: 'Evaluate M+patch on the held-out prompts every this many updates (0 = never).',
};

/**
 * Fills a partial recipe with the defaults and refuses values no run can use,
 * naming the first (the schema of recipe-schema.ts; a share link or a stored
 * draft repairs instead, through readRecipe).
 */
export function resolveRecipe(partial: Partial<TrainRecipe> = {}): TrainRecipe {
  const { recipe, issues } = readRecipe(partial, DEFAULT_RECIPE);
  if (issues.length > 0) throw new Error(issues[0]);
  return recipe;
}
