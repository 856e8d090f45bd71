// On-policy negatives (recipe.dpoPolicyNegatives): when DPO begins, the
// SFT-patched model answers the prompts M′ answers; its refusals become the
// rejected answers. A scripted model (it greedily says "i can't help with
// that ." to every prompt, whatever the patch) makes the patched model's
// answers known in advance, so the pairs can be written out by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import { continuationLogProbs } from '../engine/score';
import { tf } from '../engine/tf';
import { checkpointFromJson, checkpointToJson } from './checkpoint';
import { policyNegativeCopies } from './policy-negative-copies';
import type { TrainRecipe } from './recipe';
import { DEFAULT_RECIPE, resolveRecipe } from './recipe';
import { readRecipe } from './recipe-schema';
import { DATA, REFUSAL_IDS, refusingModel, tokenizer } from './testing/refusing-fixture';
import { Trainer, type TrainerProgress } from './trainer';

const RECIPE: Partial<TrainRecipe> = {
  nVirtualTokens: 2,
  init: { kind: 'random' },
  sftSteps: 1,
  dpoSteps: 2,
  batchSize: 8,
  gradAccumulation: 1,
  warmupSteps: 0,
  marginThreshold: 0,
  dpoReference: 'sft-patch',
  // Off, and once each, unless a test says otherwise (DEFAULT_RECIPE has them
  // on, filling half the DPO pool).
  dpoPolicyNegatives: 'off',
  dpoPolicyNegativeCopies: 1,
  dpoPolicyNegativeShare: 0,
  checkpointEvery: 0,
  evalEvery: 0,
  seed: 5,
};

const collected = (i: number) => ({
  index: i,
  rejectedIds: DATA.items[i].rejectedIds,
  policy: false,
});
const own = (i: number) => ({ index: i, rejectedIds: REFUSAL_IDS, policy: true });
/** The collected pairs the negatives leave in place (item 2's look-alike pair is replaced). */
const KEPT = [0, 1, 3, 4].map(collected);
/** What the negatives step reports; every refusal here is one of the generated answers. */
const found = (refusals: number, replaced: number, added: number, copies: number) => ({
  generated: refusals,
  refusals,
  replaced,
  added,
  copies,
});

/** A trainer on the scripted model after its one SFT step and the first DPO step (which generates the negatives). */
async function afterSftAndFirstDpoStep(recipe: Partial<TrainRecipe>): Promise<Trainer> {
  const t = await Trainer.create(
    { ...RECIPE, ...recipe },
    { model: refusingModel(), data: DATA, tokenizer },
  );
  await t.step();
  await t.step();
  return t;
}

describe('on-policy negatives', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it("'look-alikes': the look-alike M′ answers gets (M′'s answer, the patch's refusal) instead of its no-preference pair", async () => {
    const t = await afterSftAndFirstDpoStep({ dpoPolicyNegatives: 'look-alikes' });
    // Margin filter at 0 keeps all five (item 2's margin is exactly 0).
    // Only item 2 is a look-alike M′ answers (item 3's M′ answer is a
    // refusal): its pair is replaced and moves to the end; the rest stay.
    expect(t.dpoPairList).toEqual([...KEPT, own(2)]);
    expect(t.policyNegatives).toEqual(found(1, 1, 0, 1));
  });

  it("'answered': toxicity and bias keep M's pair and get the refusal pair beside it", async () => {
    const t = await afterSftAndFirstDpoStep({ dpoPolicyNegatives: 'answered' });
    // M′ answers items 0, 2 and 4; the patch refuses all three.
    expect(t.dpoPairList).toEqual([...KEPT, own(0), own(2), own(4)]);
    expect(t.policyNegatives).toEqual(found(3, 1, 2, 1));
  });

  it('dpoPolicyNegativeCopies 3: each on-policy pair enters the DPO pool three times', async () => {
    const t = await afterSftAndFirstDpoStep({
      dpoPolicyNegatives: 'look-alikes',
      dpoPolicyNegativeCopies: 3,
    });
    expect(t.dpoPairList).toEqual([...KEPT, own(2), own(2), own(2)]);
    expect(t.policyNegatives).toEqual(found(1, 1, 0, 3));
  });

  it('dpoPolicyNegativeShare 0.6: as many copies as make the on-policy pairs 60 % of the pool', async () => {
    // 'answered': three refusals (items 0, 2, 4) beside four other pairs;
    // c = 0.6 · 4 / (0.4 · 3) = 2, and 3 · 2 / (4 + 3 · 2) = 0.6.
    const t = await afterSftAndFirstDpoStep({
      dpoPolicyNegatives: 'answered',
      dpoPolicyNegativeCopies: 7, // unused while the share is set
      dpoPolicyNegativeShare: 0.6,
    });
    expect(t.dpoPairList).toEqual([...KEPT, own(0), own(0), own(2), own(2), own(4), own(4)]);
    expect(t.policyNegatives).toEqual(found(3, 1, 2, 2));
  });

  it('off: the collected pairs, as before', async () => {
    const t = await Trainer.create(RECIPE, { model: refusingModel(), data: DATA, tokenizer });
    await t.step();
    await t.step();
    expect(t.dpoPairList).toEqual([0, 1, 2, 3, 4].map(collected));
    expect(t.policyNegatives).toBeNull();
  });

  it('DPO trains on the new pairs, scored by the frozen SFT patch; progress is reported; a checkpoint resumes them exactly', async () => {
    const progress: TrainerProgress[] = [];
    const model = refusingModel();
    // batchSize 5: one DPO batch is exactly the five pairs (a larger one repeats some).
    const t = await Trainer.create(
      { ...RECIPE, batchSize: 5, dpoPolicyNegatives: 'look-alikes' },
      { model, data: DATA, tokenizer, hooks: { onProgress: (p) => progress.push(p) } },
    );
    await t.step();
    const first = await t.step();
    expect(progress).toEqual([
      { phase: 'policy-negatives', done: 0, total: 1 },
      { phase: 'policy-negatives', done: 1, total: 1 },
    ]);
    // The batch holds all five pairs: the update's tokens are both
    // answers of each, item 2's rejected being the refusal (7 tokens) and
    // not its 10-token collected answer.
    const len = (i: number) => DATA.items[i].chosenIds.length;
    const rej = (i: number) => DATA.items[i].rejectedIds.length;
    expect(first.tokens).toBe(
      len(0) + rej(0) + len(1) + rej(1) + len(3) + rej(3) + len(4) + rej(4) + len(2) + 7,
    );
    expect(REFUSAL_IDS.length).toBe(7); // six words and EOS
    // The reference log-probs of the new pair are M + the frozen SFT patch's.
    const dpo = t.getState().dpo!;
    expect(dpo.policyRejected).toEqual([null, null, null, null, REFUSAL_IDS]);
    const sum = tf.tidy(
      () =>
        continuationLogProbs(
          model,
          {
            prompts: [DATA.items[2].promptIds, DATA.items[2].promptIds],
            continuations: [DATA.items[2].chosenIds, REFUSAL_IDS],
          },
          tf.tensor2d(dpo.sftPatch!, [2, 4]),
        ).sum,
    );
    const [refChosen, refRejected] = Array.from(await sum.data());
    sum.dispose();
    expect(dpo.refChosen[4]).toBeCloseTo(refChosen, 3);
    expect(dpo.refRejected[4]).toBeCloseTo(refRejected, 3);
    expect(dpo.refRejected[4]).not.toBeCloseTo(dpo.refChosen[4], 0);

    // Through JSON (the worker's store keeps it structured-cloned; JSON is the stricter trip).
    const saved = checkpointFromJson(JSON.parse(JSON.stringify(checkpointToJson(t.getState()))));
    const resumedProgress: TrainerProgress[] = [];
    const r = Trainer.fromCheckpoint(saved, {
      model,
      data: DATA,
      tokenizer,
      hooks: { onProgress: (p) => resumedProgress.push(p) },
    });
    expect(r.dpoPairList).toEqual(t.dpoPairList);
    expect(r.policyNegatives).toEqual(t.policyNegatives);
    const a = await t.step();
    const b = await r.step();
    expect(b.loss).toBe(a.loss);
    expect(b.tokens).toBe(a.tokens);
    // The resumed run did not generate again: the pairs came from the checkpoint.
    expect(resumedProgress).toEqual([]);
    // (+ 0: the zero gradient leaves -0 or 0 rows, which toEqual tells apart.)
    expect(Array.from(r.getPatch(), (x) => x + 0)).toEqual(Array.from(t.getPatch(), (x) => x + 0));
  });

  it('a run with negatives needs the whole tokenizer (it reads the answers)', async () => {
    await expect(
      Trainer.create(
        { ...RECIPE, dpoPolicyNegatives: 'look-alikes' },
        { model: refusingModel(), data: DATA, tokenizer: { encode: tokenizer.encode } },
      ),
    ).rejects.toThrow(/tokenizer/);
  });
});

describe('recipe.dpoPolicyNegatives', () => {
  it('is on for the look-alikes by default, half the DPO pool, and accepts its three values', () => {
    expect(DEFAULT_RECIPE.dpoPolicyNegatives).toBe('look-alikes');
    expect(DEFAULT_RECIPE.dpoPolicyNegativeShare).toBe(0.5);
    expect(DEFAULT_RECIPE.dpoPolicyNegativeCopies).toBe(25);
    // Naming the M′ reference alone turns the default negatives off (it cannot score them).
    expect(resolveRecipe({ dpoReference: 'reference-model' }).dpoPolicyNegatives).toBe('off');
    for (const v of ['off', 'look-alikes', 'answered'] as const) {
      expect(resolveRecipe({ dpoPolicyNegatives: v }).dpoPolicyNegatives).toBe(v);
    }
  });

  it('refuses any other value, and the M′ reference (which cannot score new answers)', () => {
    expect(() => resolveRecipe({ dpoPolicyNegatives: 'yes' as never })).toThrow(
      /dpoPolicyNegatives must be one of off, look-alikes, answered/,
    );
    expect(() => resolveRecipe({ dpoPolicyNegatives: true as never })).toThrow(
      /dpoPolicyNegatives/,
    );
    expect(() =>
      resolveRecipe({ dpoPolicyNegatives: 'answered', dpoReference: 'reference-model' }),
    ).toThrow(/needs dpoReference "sft-patch"/);
    expect(() => resolveRecipe({ dpoPolicyNegativeCopies: 0 })).toThrow(
      /dpoPolicyNegativeCopies must be a positive integer/,
    );
    for (const bad of [-0.1, 0.96, 1, Number.NaN, '0.5' as never]) {
      expect(() => resolveRecipe({ dpoPolicyNegativeShare: bad })).toThrow(
        /dpoPolicyNegativeShare must be 0 \(fixed copies\) or a share of the DPO pool up to 0.95/,
      );
    }
    expect(resolveRecipe({ dpoPolicyNegativeShare: 0.95 }).dpoPolicyNegativeShare).toBe(0.95);
    expect(resolveRecipe({ dpoPolicyNegativeShare: 0 }).dpoPolicyNegativeShare).toBe(0);
    // A link or stored draft is repaired instead: the option is turned off.
    const read = readRecipe(
      { dpoPolicyNegatives: 'look-alikes', dpoReference: 'reference-model' },
      DEFAULT_RECIPE,
    );
    expect(read.recipe.dpoPolicyNegatives).toBe('off');
    expect(read.issues).toHaveLength(1);
  });
});

describe('policyNegativeCopies', () => {
  const fixed = (copies: number, share: number) => ({
    dpoPolicyNegativeCopies: copies,
    dpoPolicyNegativeShare: share,
  });

  it('share 0, or no refusals: the fixed copies', () => {
    expect(policyNegativeCopies(fixed(25, 0), 515, 21)).toBe(25);
    expect(policyNegativeCopies(fixed(25, 0.5), 515, 0)).toBe(25);
  });

  it('a share: c = share · others / ((1 − share) · refusals), rounded, at least 1', () => {
    // The demo's seeds 1 and 4 (docs/BENCHMARKS.md): 515 other pairs and 21
    // refusals, 524 and 14. At half the pool: 24.52 → 25 and 37.43 → 37.
    expect(policyNegativeCopies(fixed(1, 0.5), 515, 21)).toBe(25);
    expect(policyNegativeCopies(fixed(1, 0.5), 524, 14)).toBe(37);
    // 0.25 · 300 / (0.75 · 10) = 10 exactly.
    expect(policyNegativeCopies(fixed(1, 0.25), 300, 10)).toBe(10);
    // A share too small for one copy still gives each refusal one.
    expect(policyNegativeCopies(fixed(9, 0.01), 4, 3)).toBe(1);
    // No other pairs: once each (the refusals are the whole pool anyway).
    expect(policyNegativeCopies(fixed(9, 0.5), 0, 3)).toBe(1);
  });
});
