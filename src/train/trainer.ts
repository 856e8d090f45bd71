// The step-wise patch trainer. One call to step() is one optimizer update:
// SFT updates first (the patched base model M+P learns M′'s answers), then
// DPO updates (M+P learns to prefer M′'s answer over M's). Running, pausing,
// stopping and scheduling are the caller's (the worker's); the trainer only
// steps, reports, and hands out its whole state as a checkpoint.
//
// The patch lives in a Float32Array, not a tf.Variable: each micro-batch
// uploads it, takes value and gradient with tf.valueAndGrad inside tf.tidy,
// and downloads both (with the async data(): on WebGPU in a worker a
// synchronous dataSync() returned zeros). So between steps the trainer holds no tensors at all
// (nothing can leak), and the update (Adam in float64 JS) is backend-independent.
import { DOMAINS } from '../data/domains';
import type { Domain } from '../data/types';
import { Rng } from '../engine/rng';
import { continuationLogProbs } from '../engine/score';
import { tf } from '../engine/tf';
import type { CausalLM, TextTokenizer } from '../engine/types';
import { DEFAULT_REFUSAL_DETECTOR } from '../eval/refusal-judge';
import { initPatch } from '../patch/init';
import {
  CHECKPOINT_VERSION,
  type DpoSetup,
  type LossPoint,
  type MetricPoint,
  type TrainerCheckpoint,
  type TrainStage,
} from './checkpoint';
import { clipByGlobalNorm } from './clip';
import { generateAnswers } from './collect';
import type { CollectedItem, CollectedSet } from './collected';
import { type DataCursor, newCursor, takeBatch } from './data-cursor';
import { NonFiniteError } from './errors';
import { chosenNllLoss, dpoLoss, dpoRewardStats, filterPairsByMargin, sftLoss } from './losses';
import { Adam } from './optimizer';
import { policyNegativeCopies } from './policy-negative-copies';
import { resolveRecipe, type TrainRecipe } from './recipe';
import { lrAt } from './schedule';
import { trainsIn, truncatePrompt } from './train-pool';

// Re-exported: collection and the tests import them from here.
export { trainsIn, truncatePrompt } from './train-pool';

export interface TrainerHooks {
  /**
   * Called after every `evalEvery`-th update and after the last one, with the
   * current patch [n, hidden]. The trainer disposes the tensor when the
   * promise settles: copy it if you need it longer.
   */
  onEvaluate?: (step: number, prefix: tf.Tensor2D) => Promise<void>;
  /** Called after every `checkpointEvery`-th update and after the last one. */
  onCheckpoint?: (checkpoint: TrainerCheckpoint) => Promise<void> | void;
  /**
   * Progress of the work between the SFT and DPO stages that is not an
   * update: generating the SFT patch's own answers for on-policy negatives
   * (recipe.dpoPolicyNegatives), `done` of `total` prompts; called with
   * done 0 before the first batch and after every batch.
   */
  onProgress?: (p: TrainerProgress) => void;
}

export interface TrainerProgress {
  phase: 'policy-negatives';
  done: number;
  total: number;
}

export interface TrainerDeps {
  /** The frozen base model M; the trainer never disposes it. */
  model: CausalLM;
  data: CollectedSet;
  /**
   * Needed for a fresh run whose init is 'text' (encode only), and — the
   * whole tokenizer — for a run with on-policy negatives, which generates
   * and decodes the SFT patch's answers when the DPO stage begins.
   */
  tokenizer?: Pick<TextTokenizer, 'encode'> | TextTokenizer;
  hooks?: TrainerHooks;
}

export interface StepResult {
  stage: TrainStage;
  /** Updates completed, both stages together (1 after the first step). */
  step: number;
  /** Updates completed within this stage. */
  stageStep: number;
  loss: number;
  lr: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Answer tokens in the update (both answers of each DPO pair). */
  tokens: number;
  ms: number;
  /** DPO: rewardAccuracy, rewardMargin, chosenReward, rejectedReward. */
  metrics: Record<string, number>;
  evaluated: boolean;
  checkpointed: boolean;
}

/** Loss, gradient and counts of one micro-batch. */
interface GradResult {
  loss: number;
  grad: Float32Array;
  tokens: number;
  /** DPO only: the patched model's summed log-probs per pair. */
  policyChosen?: number[];
  policyRejected?: number[];
}

/** Examples of one micro-batch, as token ids. */
interface Micro {
  prompts: number[][];
  chosen: number[][];
  rejected: number[][];
  refChosen: number[];
  refRejected: number[];
}

export class Trainer {
  private readonly recipe: TrainRecipe;
  private readonly model: CausalLM;
  private readonly data: CollectedSet;
  private readonly hooks: TrainerHooks;
  private readonly tokenizer: TrainerDeps['tokenizer'];
  private readonly hidden: number;
  /** data.items indices usable for SFT: in the recipe's domains, non-empty chosen answer. */
  private readonly sftPool: number[];
  private patch: Float32Array;
  private adam: Adam;
  private stepCount: number;
  private rng: Rng;
  private cursors: { sft: DataCursor | null; dpo: DataCursor | null };
  private dpo: DpoSetup | null;
  private readonly lossHistory: LossPoint[];
  private readonly metricHistory: MetricPoint[];

  private constructor(deps: TrainerDeps, c: Omit<TrainerCheckpoint, 'savedAt' | 'version'>) {
    this.recipe = c.recipe;
    this.model = deps.model;
    this.data = deps.data;
    this.hooks = deps.hooks ?? {};
    this.tokenizer = deps.tokenizer;
    this.hidden = deps.model.config.hiddenSize;
    if (c.hidden !== this.hidden || c.patch.length !== c.recipe.nVirtualTokens * this.hidden) {
      throw new Error(
        `the patch is ${c.patch.length / c.hidden}×${c.hidden} but the model's hidden size is ${this.hidden}`,
      );
    }
    if (c.dataId !== deps.data.id) {
      throw new Error(`the checkpoint was trained on ${c.dataId}, not on ${deps.data.id}`);
    }
    this.sftPool = [];
    deps.data.items.forEach((it, i) => {
      if (trainsIn(it.domain, c.recipe.domains) && it.chosenIds.length > 0) this.sftPool.push(i);
    });
    if (this.sftPool.length === 0) {
      throw new Error(
        `the collected data has no answers in the domains ${c.recipe.domains.join(', ')}`,
      );
    }
    this.patch = c.patch.slice();
    this.adam = Adam.fromState(c.optimizer, c.recipe.adam);
    this.stepCount = c.step;
    this.rng = Rng.fromState(c.rngState);
    this.cursors = structuredClone(c.cursors);
    this.dpo = c.dpo && { ...structuredClone(c.dpo), sftPatch: c.dpo.sftPatch?.slice() ?? null };
    if (
      c.recipe.dpoPolicyNegatives !== 'off' &&
      !this.dpo &&
      !isFullTokenizer(deps.tokenizer) &&
      this.policyTargets(this.sftPool).length > 0
    ) {
      throw new Error(
        "on-policy negatives (recipe.dpoPolicyNegatives) need the base model's tokenizer to read the patched model's answers",
      );
    }
    this.lossHistory = structuredClone(c.lossHistory);
    this.metricHistory = structuredClone(c.metricHistory);
  }

  /**
   * A fresh run at step 0: the patch initialised from the recipe, or — with
   * `startFrom` — from the given rows (a jointly retrained stack starts from
   * its parents' concatenation, train/joint-retrain.ts). Everything else
   * (optimizer, data order) starts exactly as for any fresh run.
   */
  static async create(
    recipe: Partial<TrainRecipe>,
    deps: TrainerDeps,
    opts: { startFrom?: Float32Array } = {},
  ): Promise<Trainer> {
    const r = resolveRecipe(recipe);
    const size = r.nVirtualTokens * deps.model.config.hiddenSize;
    if (opts.startFrom && opts.startFrom.length !== size) {
      throw new Error(
        `the starting patch has ${opts.startFrom.length} values, but ${r.nVirtualTokens} rows of hidden size ${deps.model.config.hiddenSize} need ${size}`,
      );
    }
    // The init draws from its own stream (seed-derived) so the data order
    // does not depend on which init was chosen.
    const patch = opts.startFrom
      ? opts.startFrom.slice()
      : await initPatch(r.init, {
          embeddings: deps.model.embeddingMatrix(),
          n: r.nVirtualTokens,
          seed: r.seed ^ 0x5eed,
          tokenizer: deps.tokenizer,
        });
    return new Trainer(deps, {
      recipe: r,
      dataId: deps.data.id,
      baseModelId: deps.data.baseModelId,
      patch,
      hidden: deps.model.config.hiddenSize,
      optimizer: Adam.create(patch.length, r.adam).getState(),
      step: 0,
      rngState: new Rng(r.seed).getState(),
      cursors: { sft: null, dpo: null },
      dpo: null,
      lossHistory: [],
      metricHistory: [],
    });
  }

  /** Resumes exactly where `checkpoint` was taken (same data and model required). */
  static fromCheckpoint(checkpoint: TrainerCheckpoint, deps: TrainerDeps): Trainer {
    if (checkpoint.version !== CHECKPOINT_VERSION) {
      throw new Error(`unsupported trainer checkpoint version ${checkpoint.version}`);
    }
    return new Trainer(deps, { ...checkpoint, recipe: resolveRecipe(checkpoint.recipe) });
  }

  get stage(): TrainStage | 'done' {
    if (this.stepCount < this.recipe.sftSteps) return 'sft';
    if (this.stepCount < this.recipe.sftSteps + this.recipe.dpoSteps) return 'dpo';
    return 'done';
  }

  /** The resolved recipe of this run (a copy). */
  getRecipe(): TrainRecipe {
    return structuredClone(this.recipe);
  }

  /** Updates completed so far, both stages together. */
  get completedSteps(): number {
    return this.stepCount;
  }

  get totalSteps(): number {
    return this.recipe.sftSteps + this.recipe.dpoSteps;
  }

  get done(): boolean {
    return this.stage === 'done';
  }

  /** A copy of the current patch rows [n, hidden]. */
  getPatch(): Float32Array {
    return this.patch.slice();
  }

  /** How many DPO pairs the margin filter kept/dropped (null before the DPO stage starts). */
  get dpoPairs(): { kept: number; dropped: number } | null {
    return this.dpo && { kept: this.dpo.keptIndices.length, dropped: this.dpo.droppedCount };
  }

  /**
   * The DPO stage's pairs as it trains them (null before it starts): the
   * item index, and the rejected answer's tokens — M's as collected, or the
   * SFT patch's own refusal (an on-policy negative).
   */
  get dpoPairList(): { index: number; rejectedIds: number[]; policy: boolean }[] | null {
    const d = this.dpo;
    if (!d) return null;
    return d.keptIndices.map((index, i) => {
      const own = d.policyRejected?.[i] ?? null;
      return {
        index,
        rejectedIds: (own ?? this.data.items[index].rejectedIds).slice(),
        policy: own !== null,
      };
    });
  }

  /** What the on-policy negatives step found (null before DPO or with the option off). */
  get policyNegatives(): DpoSetup['policyNegatives'] | null {
    return this.dpo?.policyNegatives ? { ...this.dpo.policyNegatives } : null;
  }

  /** Adds named numbers (e.g. evaluation results) to the metric history, so checkpoints keep them. */
  recordMetrics(step: number, metrics: Record<string, number>): void {
    this.metricHistory.push({ step, metrics: { ...metrics } });
  }

  getState(): TrainerCheckpoint {
    return {
      version: CHECKPOINT_VERSION,
      recipe: structuredClone(this.recipe),
      dataId: this.data.id,
      baseModelId: this.data.baseModelId,
      patch: this.patch.slice(),
      hidden: this.hidden,
      optimizer: this.adam.getState(),
      step: this.stepCount,
      rngState: this.rng.getState(),
      cursors: structuredClone(this.cursors),
      dpo: this.dpo && {
        ...structuredClone(this.dpo),
        sftPatch: this.dpo.sftPatch?.slice() ?? null,
      },
      lossHistory: structuredClone(this.lossHistory),
      metricHistory: structuredClone(this.metricHistory),
      savedAt: new Date().toISOString(),
    };
  }

  /**
   * One optimizer update. Throws NonFiniteError, leaving the whole state as it
   * was before the call, when the loss or the gradient is NaN/Inf.
   */
  async step(): Promise<StepResult> {
    const stage = this.stage;
    if (stage === 'done') throw new Error('training is finished');
    const t0 = performance.now();
    const r = this.recipe;
    // The DPO setup is a pure function of the state at the end of SFT, so it
    // is kept even if this first DPO update is then refused: a retry, or a
    // run resumed from the last good checkpoint, computes the same setup.
    if (stage === 'dpo' && !this.dpo) await this.beginDpo();
    const stageStep = stage === 'sft' ? this.stepCount : this.stepCount - r.sftSteps;
    const stageSteps = stage === 'sft' ? r.sftSteps : r.dpoSteps;

    // Draw on copies; commit the data position only if the update is applied.
    const rng = Rng.fromState(this.rng.getState());
    let cursor = this.cursors[stage] ?? newCursor(this.stagePoolSize(stage), rng);

    const grad = new Float32Array(this.patch.length);
    let loss = 0;
    let tokens = 0;
    const policyChosen: number[] = [];
    const policyRejected: number[] = [];
    const refChosen: number[] = [];
    const refRejected: number[] = [];
    for (let k = 0; k < r.gradAccumulation; k++) {
      const taken = takeBatch(cursor, r.batchSize, rng);
      cursor = taken.cursor;
      const micro = this.microBatch(stage, taken.indices);
      const out: GradResult =
        stage === 'sft' ? await this.sftGrad(micro) : await this.dpoGrad(micro);
      // Mean over micro-batches: each is a mean already, so the update does
      // not grow with the accumulation count.
      loss += out.loss / r.gradAccumulation;
      for (let i = 0; i < grad.length; i++) grad[i] += out.grad[i] / r.gradAccumulation;
      tokens += out.tokens;
      if (out.policyChosen && out.policyRejected) {
        policyChosen.push(...out.policyChosen);
        policyRejected.push(...out.policyRejected);
        refChosen.push(...micro.refChosen);
        refRejected.push(...micro.refRejected);
      }
    }

    const next = this.stepCount + 1;
    if (!Number.isFinite(loss)) throw new NonFiniteError(stage, next, 'loss');
    if (!grad.every(Number.isFinite)) throw new NonFiniteError(stage, next, 'gradient');

    const gradNorm = clipByGlobalNorm([grad], r.maxGradNorm);
    const lr = lrAt(
      {
        peak: stage === 'sft' ? r.sftLr : r.dpoLr,
        warmupSteps: r.warmupSteps,
        totalSteps: stageSteps,
        decay: r.decay,
        minRatio: r.minLrRatio,
      },
      stageStep,
    );
    this.adam.step(this.patch, grad, lr);
    this.stepCount = next;
    this.rng = rng;
    this.cursors[stage] = cursor;

    const metrics: Record<string, number> = {};
    if (stage === 'dpo') {
      const s = dpoRewardStats(policyChosen, policyRejected, refChosen, refRejected, r.beta);
      metrics.rewardAccuracy = s.accuracy;
      metrics.rewardMargin = s.margin;
      metrics.chosenReward = s.chosenReward;
      metrics.rejectedReward = s.rejectedReward;
      this.metricHistory.push({ step: next, metrics: { ...metrics } });
    }
    this.lossHistory.push({ step: next, stage, loss, lr, gradNorm, tokens });

    const last = this.done;
    let evaluated = false;
    if (this.hooks.onEvaluate && ((r.evalEvery > 0 && next % r.evalEvery === 0) || last)) {
      // A copy: the cpu backend keeps the array it is given, and the patch
      // array is updated in place.
      const prefix = this.patchTensor(this.patch.slice());
      try {
        await this.hooks.onEvaluate(next, prefix);
      } finally {
        prefix.dispose();
      }
      evaluated = true;
    }
    let checkpointed = false;
    if (
      this.hooks.onCheckpoint &&
      ((r.checkpointEvery > 0 && next % r.checkpointEvery === 0) || last)
    ) {
      await this.hooks.onCheckpoint(this.getState());
      checkpointed = true;
    }
    return {
      stage,
      step: next,
      stageStep: stageStep + 1,
      loss,
      lr,
      gradNorm,
      tokens,
      ms: performance.now() - t0,
      metrics,
      evaluated,
      checkpointed,
    };
  }

  private stagePoolSize(stage: TrainStage): number {
    return stage === 'sft' ? this.sftPool.length : (this.dpo?.keptIndices.length ?? 0);
  }

  private microBatch(stage: TrainStage, indices: number[]): Micro {
    const r = this.recipe;
    const m: Micro = { prompts: [], chosen: [], rejected: [], refChosen: [], refRejected: [] };
    for (const i of indices) {
      if (stage === 'sft') {
        const it = this.data.items[this.sftPool[i]];
        m.prompts.push(truncatePrompt(it.promptIds, r.maxPromptTokens));
        m.chosen.push(it.chosenIds.slice(0, r.maxAnswerTokens));
      } else {
        // DPO scores the answers exactly as collected: the reference
        // log-probs were measured on those tokens, so cutting them here would
        // compare different sequences.
        const dpo = this.dpo!;
        const it = this.data.items[dpo.keptIndices[i]];
        m.prompts.push(it.promptIds);
        m.chosen.push(it.chosenIds);
        m.rejected.push(dpo.policyRejected?.[i] ?? it.rejectedIds);
        m.refChosen.push(dpo.refChosen[i]);
        m.refRejected.push(dpo.refRejected[i]);
      }
    }
    return m;
  }

  private patchTensor(values: Float32Array = this.patch): tf.Tensor2D {
    return tf.tensor2d(values, [this.recipe.nVirtualTokens, this.hidden]);
  }

  private async sftGrad(m: Micro): Promise<GradResult> {
    let tokens = 0;
    const out = tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => {
        const lp = continuationLogProbs(
          this.model,
          { prompts: m.prompts, continuations: m.chosen },
          p as tf.Tensor2D,
          { checkpointLayers: this.recipe.checkpointLayers },
        );
        tokens = lp.tokenCount.reduce((a, b) => a + b, 0);
        return sftLoss(lp.sum, lp.tokenCount);
      })(this.patchTensor());
      return [value, grad];
    });
    const [loss, grad] = await readAll(out);
    return { loss: loss[0], grad, tokens };
  }

  private async dpoGrad(m: Micro): Promise<GradResult> {
    const B = m.prompts.length;
    let tokens = 0;
    // Kept past the gradient's scopes, to be read with the loss and gradient;
    // freed here if the backward pass throws (e.g. out of memory).
    let sums: tf.Tensor | null = null;
    let out: tf.Tensor[];
    try {
      out = tf.tidy(() => {
        const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => {
          // Chosen and rejected answers in one forward pass of 2B sequences.
          const lp = continuationLogProbs(
            this.model,
            {
              prompts: [...m.prompts, ...m.prompts],
              continuations: [...m.chosen, ...m.rejected],
            },
            p as tf.Tensor2D,
            { checkpointLayers: this.recipe.checkpointLayers },
          );
          tokens = lp.tokenCount.reduce((a, b) => a + b, 0);
          sums = tf.keep(lp.sum);
          const [pc, pr] = tf.split(lp.sum, [B, B]) as [tf.Tensor1D, tf.Tensor1D];
          const dpo = dpoLoss(pc, pr, m.refChosen, m.refRejected, this.recipe.beta);
          const alpha = this.recipe.dpoNllWeight;
          if (alpha === 0) return dpo;
          return dpo.add(chosenNllLoss(pc, lp.tokenCount.slice(0, B)).mul(alpha)) as tf.Scalar;
        })(this.patchTensor());
        return [value, grad];
      });
    } catch (e) {
      (sums as tf.Tensor | null)?.dispose();
      throw e;
    }
    const [loss, grad, policy] = await readAll([...out, sums!]);
    return {
      loss: loss[0],
      grad,
      tokens,
      policyChosen: Array.from(policy.subarray(0, B)),
      policyRejected: Array.from(policy.subarray(B)),
    };
  }

  /**
   * Fixes the DPO stage's data when it begins: the margin filter on M′'s
   * log-probs (always M′'s: it asks whether the safe model prefers the chosen
   * answer), and the reference log-probs: M′'s as collected, or — for
   * standard DPO — those of M with the frozen SFT patch, computed now.
   * Adam restarts: its moments were estimated on the SFT loss's scale.
   */
  private async beginDpo(): Promise<void> {
    const r = this.recipe;
    const candidates: (CollectedItem & {
      index: number;
      chosenTokens: number;
      rejectedTokens: number;
    })[] = [];
    this.data.items.forEach((it, index) => {
      if (trainsIn(it.domain, r.domains)) {
        candidates.push({
          ...it,
          index,
          chosenTokens: it.chosenIds.length,
          rejectedTokens: it.rejectedIds.length,
        });
      }
    });
    const f = filterPairsByMargin(candidates, r.marginThreshold);
    if (f.keptCount === 0) {
      throw new Error(
        `DPO has no pairs: all ${f.droppedCount} were dropped by the margin threshold ${r.marginThreshold}`,
      );
    }
    let pairs: {
      index: number;
      rejectedIds: number[] | null;
      refChosen: number;
      refRejected: number;
    }[] = f.kept.map((p) => ({
      index: p.index,
      rejectedIds: null,
      refChosen: p.refChosen,
      refRejected: p.refRejected,
    }));
    let policyNegatives: DpoSetup['policyNegatives'];
    if (r.dpoPolicyNegatives !== 'off') {
      if (r.dpoReference !== 'sft-patch') {
        // M′ is not loaded while training, so its log-probs of a new answer cannot be had.
        throw new Error(
          'on-policy negatives need dpoReference "sft-patch": the reference model M′ is not loaded during training to score the new rejected answers',
        );
      }
      const found = await this.findPolicyRefusals(candidates.map((c) => c.index));
      // No prompt to ask (no look-alikes M′ answers): the setup is the option-off one.
      // A look-alike pair has no preference (both models answer): it is
      // replaced. A pair with one (toxicity, bias) keeps M's answer, and the
      // refusal comes as a pair of its own beside it.
      const replaced = new Set(
        [...found.refusals.keys()].filter((i) => this.data.items[i].domain === 'safe'),
      );
      const before = pairs.length;
      pairs = pairs.filter((p) => !replaced.has(p.index));
      const removed = before - pairs.length;
      const copies = policyNegativeCopies(r, pairs.length, found.refusals.size);
      for (const [index, ids] of found.refusals) {
        for (let c = 0; c < copies; c++) {
          pairs.push({ index, rejectedIds: ids, refChosen: Number.NaN, refRejected: Number.NaN });
        }
      }
      if (found.generated > 0)
        policyNegatives = {
          generated: found.generated,
          refusals: found.refusals.size,
          replaced: removed,
          added: found.refusals.size - removed,
          copies,
        };
    }
    let refChosen = pairs.map((p) => p.refChosen);
    let refRejected = pairs.map((p) => p.refRejected);
    let sftPatch: Float32Array | null = null;
    if (r.dpoReference === 'sft-patch') {
      sftPatch = this.patch.slice();
      refChosen = await this.scoreFrozen(
        pairs.map((p) => [this.data.items[p.index].promptIds, this.data.items[p.index].chosenIds]),
        sftPatch,
      );
      refRejected = await this.scoreFrozen(
        pairs.map((p) => [
          this.data.items[p.index].promptIds,
          p.rejectedIds ?? this.data.items[p.index].rejectedIds,
        ]),
        sftPatch,
      );
    }
    this.dpo = {
      keptIndices: pairs.map((p) => p.index),
      droppedCount: f.droppedCount,
      refChosen,
      refRejected,
      sftPatch,
      ...(policyNegatives
        ? { policyRejected: pairs.map((p) => p.rejectedIds), policyNegatives }
        : {}),
    };
    this.adam = Adam.create(this.patch.length, r.adam);
  }

  /** The items (of `indices`) the negatives step asks: M′ answered them, and the recipe's kind. */
  private policyTargets(indices: number[]): number[] {
    const mode = this.recipe.dpoPolicyNegatives;
    if (mode === 'off') return [];
    return indices.filter((i) => {
      const it = this.data.items[i];
      if (mode === 'look-alikes' && it.domain !== 'safe') return false;
      return it.chosenIds.length > 0 && !DEFAULT_REFUSAL_DETECTOR.detect(it.chosenText).refused;
    });
  }

  /**
   * On-policy negatives: the patched model's own greedy answers (the patch
   * as SFT left it) to the prompts whose chosen answer M′ gave is not a
   * refusal — the look-alikes only, or all of them — judged by the lab's
   * default refusal detector. Returns the refusals by item index, in index
   * order. Greedy and a pure function of the patch, so a resumed run that
   * redoes it gets the same pairs (and a checkpoint keeps them anyway).
   */
  private async findPolicyRefusals(
    indices: number[],
  ): Promise<{ generated: number; refusals: Map<number, number[]> }> {
    const r = this.recipe;
    const tok = this.tokenizer;
    if (!isFullTokenizer(tok) && this.policyTargets(indices).length > 0) {
      throw new Error(
        "on-policy negatives (recipe.dpoPolicyNegatives) need the base model's tokenizer to read the patched model's answers",
      );
    }
    const judge = DEFAULT_REFUSAL_DETECTOR;
    const targets = this.policyTargets(indices);
    const refusals = new Map<number, number[]>();
    const total = targets.length;
    if (total === 0 || !isFullTokenizer(tok)) return { generated: 0, refusals };
    this.hooks.onProgress?.({ phase: 'policy-negatives', done: 0, total });
    const bs = this.data.settings.batchSize || r.batchSize;
    const settings = {
      maxAnswerTokens: this.data.settings.maxAnswerTokens,
      temperature: 0,
      topK: 0,
      topP: 1,
    };
    for (let start = 0; start < total; start += bs) {
      const chunk = targets.slice(start, start + bs);
      const prefix = this.patchTensor(this.patch.slice());
      let answers: number[][];
      try {
        answers = await generateAnswers(
          this.model,
          tok,
          chunk.map((i) => this.data.items[i].promptIds),
          settings,
          r.seed,
          undefined,
          prefix,
        );
      } finally {
        prefix.dispose();
      }
      chunk.forEach((index, k) => {
        const text = tok.decode(answers[k], { skipSpecialTokens: true });
        if (answers[k].length > 0 && judge.detect(text).refused) refusals.set(index, answers[k]);
      });
      this.hooks.onProgress?.({
        phase: 'policy-negatives',
        done: Math.min(total, start + chunk.length),
        total,
      });
    }
    return { generated: total, refusals };
  }

  /** Summed answer log-probs under M + a frozen patch, in batches, no gradient. */
  private async scoreFrozen(pairs: [number[], number[]][], patch: Float32Array): Promise<number[]> {
    const out: number[] = [];
    const bs = this.recipe.batchSize;
    for (let i = 0; i < pairs.length; i += bs) {
      const chunk = pairs.slice(i, i + bs);
      const sum = tf.tidy(
        () =>
          continuationLogProbs(
            this.model,
            { prompts: chunk.map((c) => c[0]), continuations: chunk.map((c) => c[1]) },
            this.patchTensor(patch),
          ).sum,
      );
      const [sums] = await readAll([sum]);
      out.push(...sums);
    }
    return out;
  }
}

/**
 * Reads tensors back with the async data() and disposes them, also when a
 * read fails (a lost device), so a failed step leaks nothing.
 */
async function readAll(ts: tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return (await Promise.all(ts.map((t) => t.data()))) as Float32Array[];
  } finally {
    tf.dispose(ts);
  }
}

function isFullTokenizer(t: TrainerDeps['tokenizer']): t is TextTokenizer {
  return t !== undefined && 'decode' in t && 'formatUserPrompt' in t;
}

/** The domains a collected set can train. */
export function domainsIn(data: CollectedSet): Domain[] {
  return DOMAINS.filter((d) => data.items.some((it) => trainsIn(it.domain, [d])));
}
