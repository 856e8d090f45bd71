import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import { continuationLogProbs } from '../engine/score';
import { tf } from '../engine/tf';
import { checkpointFromJson, checkpointToJson, type TrainerCheckpoint } from './checkpoint';
import { NonFiniteError } from './errors';
import { filterPairsByMargin } from './losses';
import { DEFAULT_RECIPE, type TrainRecipe } from './recipe';
import { fakeCollectedSet } from './testing/fake-collected';
import { createTinyLM } from './testing/tiny-lm';
import { Trainer } from './trainer';

const VOCAB = 16;
const HIDDEN = 8;
const data = fakeCollectedSet({ count: 12, vocab: VOCAB, seed: 4 });

const RECIPE: Partial<TrainRecipe> = {
  nVirtualTokens: 4,
  init: { kind: 'random' },
  sftSteps: 5,
  dpoSteps: 5,
  batchSize: 3,
  gradAccumulation: 2,
  sftLr: 0.05,
  dpoLr: 0.02,
  warmupSteps: 2,
  marginThreshold: 0.1,
  seed: 3,
  checkpointEvery: 0,
  evalEvery: 0,
};

/** Everything but the wall-clock fields, which legitimately differ between runs. */
function comparable(c: TrainerCheckpoint) {
  const { savedAt: _, ...rest } = c;
  return rest;
}

async function losses(trainer: Trainer, steps: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push((await trainer.step()).loss);
  return out;
}

describe('Trainer', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('runs SFT then DPO with the recipe’s step counts and lowers the SFT loss', async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const t = await Trainer.create(
      { ...RECIPE, sftSteps: 30, dpoSteps: 2, gradAccumulation: 1, batchSize: 12, sftLr: 0.2 },
      { model, data },
    );
    const results = [];
    while (!t.done) results.push(await t.step());
    expect(results.map((r) => r.stage)).toEqual([...Array(30).fill('sft'), 'dpo', 'dpo']);
    expect(results.map((r) => r.step)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    // batch = the whole SFT pool, so every step sees the same data: full-batch
    // descent at a modest rate, the loss falls at every step (3.39 → 3.03 when
    // measured; the answers are random tokens, so no patch gets near 0).
    for (let i = 1; i < 30; i++) expect(results[i].loss).toBeLessThan(results[i - 1].loss + 1e-6);
    expect(results[29].loss).toBeLessThan(results[0].loss - 0.3);
    // Every SFT step scores every chosen answer token of the pool.
    const sftTokens = data.items.reduce((s, it) => s + it.chosenIds.length, 0);
    expect(results[0].tokens).toBe(sftTokens);
    expect(results[30].metrics.rewardAccuracy).toBeGreaterThanOrEqual(0);
    await expect(t.step()).rejects.toThrow(/finished/);
    // Unset fields come from DEFAULT_RECIPE.
    expect(t.getRecipe()).toMatchObject({
      sftSteps: 30,
      nVirtualTokens: 4,
      beta: DEFAULT_RECIPE.beta,
    });
  });

  it('keeps exactly the pairs the margin filter keeps', async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const t = await Trainer.create({ ...RECIPE, sftSteps: 0, dpoSteps: 1 }, { model, data });
    expect(t.dpoPairs).toBeNull();
    await t.step();
    const want = filterPairsByMargin(
      data.items.map((it) => ({
        ...it,
        chosenTokens: it.chosenIds.length,
        rejectedTokens: it.rejectedIds.length,
      })),
      0.1,
    );
    // Every 4th fake pair is reversed (M′ prefers the rejected answer).
    expect(t.dpoPairs).toEqual({ kept: 9, dropped: 3 });
    expect(want.keptCount).toBe(9);
    expect(t.getState().dpo?.keptIndices).toEqual(want.keptIndices);
  });

  it('standard DPO (sft-patch reference) starts at loss ln 2 with no reward accuracy', async () => {
    // The policy equals its reference at the first DPO step, so every z = 0:
    // −log σ(0) = ln 2 = 0.693147, and no chosen reward is strictly above its rejected one.
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const t = await Trainer.create(
      { ...RECIPE, sftSteps: 3, dpoSteps: 2, dpoReference: 'sft-patch' },
      { model, data },
    );
    for (let i = 0; i < 3; i++) await t.step();
    const first = await t.step();
    expect(first.stage).toBe('dpo');
    expect(first.loss).toBeCloseTo(Math.LN2, 5);
    expect(first.metrics.rewardAccuracy).toBe(0);
    expect(first.metrics.rewardMargin).toBeCloseTo(0, 5);
    const second = await t.step();
    expect(second.loss).toBeLessThan(Math.LN2);
  });

  it('dpoNllWeight α adds α × the chosen answers’ mean per-token NLL to the first DPO loss (ln 2)', async () => {
    // One micro-batch of 9 = the 9 kept pairs once each, so the term can be
    // computed here from the kept pairs under the patch SFT left.
    const alpha = 0.5;
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const t = await Trainer.create(
      {
        ...RECIPE,
        sftSteps: 3,
        dpoSteps: 1,
        batchSize: 9,
        gradAccumulation: 1,
        dpoNllWeight: alpha,
      },
      { model, data },
    );
    for (let i = 0; i < 3; i++) await t.step();
    const sftPatch = tf.tensor2d(t.getPatch(), [4, HIDDEN]);
    const first = await t.step();
    const kept = t.getState().dpo!.keptIndices.map((i) => data.items[i]);
    expect(kept).toHaveLength(9);
    const lp = continuationLogProbs(
      model,
      { prompts: kept.map((it) => it.promptIds), continuations: kept.map((it) => it.chosenIds) },
      sftPatch,
    );
    const sums = Array.from(lp.sum.dataSync());
    const nll = sums.reduce((a, s, i) => a - s / lp.tokenCount[i], 0) / kept.length;
    tf.dispose([sftPatch, lp.sum]);
    expect(nll).toBeGreaterThan(0.5);
    expect(first.loss).toBeCloseTo(Math.LN2 + alpha * nll, 4);
  });

  it('gradient accumulation 2 × 3 gives the same update as one batch of 6 (DPO pairs weigh equally)', async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const base = { ...RECIPE, sftSteps: 0, dpoSteps: 1, warmupSteps: 0 };
    const a = await Trainer.create({ ...base, batchSize: 3, gradAccumulation: 2 }, { model, data });
    const b = await Trainer.create({ ...base, batchSize: 6, gradAccumulation: 1 }, { model, data });
    const ra = await a.step();
    const rb = await b.step();
    expect(ra.loss).toBeCloseTo(rb.loss, 6);
    expect(ra.gradNorm).toBeCloseTo(rb.gradNorm, 5);
    const pa = a.getPatch();
    const pb = b.getPatch();
    pa.forEach((x, i) => {
      expect(x).toBeCloseTo(pb[i], 4);
    });
  });

  it.each(['reference-model', 'sft-patch'] as const)(
    'resumed from a serialised checkpoint, repeats the uninterrupted loss sequence exactly (%s)',
    async (dpoReference) => {
      const recipe = { ...RECIPE, dpoReference };
      const straight = await losses(
        await Trainer.create(recipe, { model: createTinyLM(VOCAB, HIDDEN, 1), data }),
        10,
      );

      // Interrupt inside SFT and again inside DPO; each time the trainer is
      // rebuilt from a JSON round trip (and a structured clone) of its state
      // over a freshly built model.
      let t = await Trainer.create(recipe, { model: createTinyLM(VOCAB, HIDDEN, 1), data });
      const resumed = await losses(t, 3);
      let ckpt = checkpointFromJson(JSON.parse(JSON.stringify(checkpointToJson(t.getState()))));
      expect(comparable(ckpt)).toEqual(comparable(t.getState()));
      t = Trainer.fromCheckpoint(ckpt, { model: createTinyLM(VOCAB, HIDDEN, 1), data });
      resumed.push(...(await losses(t, 4)));
      ckpt = structuredClone(t.getState());
      t = Trainer.fromCheckpoint(ckpt, { model: createTinyLM(VOCAB, HIDDEN, 1), data });
      resumed.push(...(await losses(t, 3)));
      expect(resumed).toEqual(straight);
    },
  );

  it('NaN loss → NonFiniteError{stage, step}, state unchanged, and the run continues as if it never happened', async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const straight = await losses(await Trainer.create(RECIPE, { model, data }), 4);

    const t = await Trainer.create(RECIPE, { model, data });
    await losses(t, 2);
    const before = comparable(t.getState());
    model.poison = true;
    const err = await t.step().catch((e: unknown) => e);
    model.poison = false;
    expect(err).toBeInstanceOf(NonFiniteError);
    expect(err).toMatchObject({ stage: 'sft', step: 3, quantity: 'loss' });
    expect(comparable(t.getState())).toEqual(before);
    expect(await losses(t, 2)).toEqual(straight.slice(2));
  });

  it('a DPO backward pass that throws (a device out of memory) leaves the state as it was', async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const t = await Trainer.create({ ...RECIPE, sftSteps: 1, dpoSteps: 2 }, { model, data });
    await losses(t, 2);
    const before = comparable(t.getState());
    const forward = model.forward.bind(model);
    model.forward = (x, options) => {
      const r = forward(x, options);
      const failing = tf.customGrad((l) => ({
        value: (l as tf.Tensor).clone(),
        gradFunc: () => {
          throw new Error('out of memory');
        },
      }));
      return { ...r, logits: failing(r.logits) as tf.Tensor3D };
    };
    // (No tensor count here: tfjs itself keeps the tape's saved tensors when a
    // gradient function throws, whichever stage.)
    await expect(t.step()).rejects.toThrow(/out of memory/);
    expect(comparable(t.getState())).toEqual(before);
    model.forward = forward;
    expect((await t.step()).stage).toBe('dpo');
  });

  it('calls the eval hook every evalEvery steps and after the last, with the live patch, then disposes it', async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const seen: { step: number; rows: number[] }[] = [];
    let kept: tf.Tensor2D | null = null;
    const saved: number[] = [];
    const t = await Trainer.create(
      { ...RECIPE, sftSteps: 4, dpoSteps: 3, evalEvery: 3, checkpointEvery: 5 },
      {
        model,
        data,
        hooks: {
          onEvaluate: async (step, prefix) => {
            expect(prefix.shape).toEqual([4, HIDDEN]);
            seen.push({ step, rows: Array.from(prefix.dataSync()) });
            kept = prefix;
          },
          onCheckpoint: (c) => {
            saved.push(c.step);
          },
        },
      },
    );
    const results = [];
    while (!t.done) results.push(await t.step());
    expect(seen.map((s) => s.step)).toEqual([3, 6, 7]);
    expect(results.filter((r) => r.evaluated).map((r) => r.step)).toEqual([3, 6, 7]);
    expect(seen[2].rows).toEqual(Array.from(t.getPatch()));
    expect(kept!.isDisposed).toBe(true);
    expect(saved).toEqual([5, 7]);
  });

  it('refuses a checkpoint of other data or a patch of the wrong width', async () => {
    const model = createTinyLM(VOCAB, HIDDEN, 1);
    const c = (await Trainer.create(RECIPE, { model, data })).getState();
    const other = fakeCollectedSet({ count: 12, vocab: VOCAB, seed: 5 });
    expect(() => Trainer.fromCheckpoint(c, { model, data: other })).toThrow(/trained on/);
    expect(() =>
      Trainer.fromCheckpoint(c, { model: createTinyLM(VOCAB, HIDDEN * 2, 1), data }),
    ).toThrow(/hidden size/);
  });
});
