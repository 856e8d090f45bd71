// The trainer over the engine's real Llama forward pass (tiny, random):
// the patch gradient of both losses against finite differences, and flat
// tensor memory over 200 steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import { continuationLogProbs } from '../engine/score';
import { tf } from '../engine/tf';
import type { CausalLM, ForwardOptions, TargetTokens } from '../engine/types';
import { dpoLoss, sftLoss } from './losses';
import { fakeCollectedSet } from './testing/fake-collected';
import { createTinyLlama } from './testing/tiny-llama';
import { Trainer } from './trainer';

const data = fakeCollectedSet({ count: 10, vocab: 32, seed: 8 });

describe('trainer on a tiny Llama', () => {
  let model: CausalLM;
  beforeAll(async () => {
    await useBackend('cpu');
    model = createTinyLlama(2);
  });

  it.each(['sft', 'dpo'] as const)(
    '%s loss: patch gradient matches central finite differences',
    (kind) => {
      const items = data.items.slice(0, 3);
      const prompts = items.map((it) => it.promptIds);
      const loss = (p: tf.Tensor): tf.Scalar => {
        if (kind === 'sft') {
          const lp = continuationLogProbs(
            model,
            { prompts, continuations: items.map((it) => it.chosenIds) },
            p as tf.Tensor2D,
          );
          return sftLoss(lp.sum, lp.tokenCount);
        }
        const c = continuationLogProbs(
          model,
          { prompts, continuations: items.map((it) => it.chosenIds) },
          p as tf.Tensor2D,
        );
        const r = continuationLogProbs(
          model,
          { prompts, continuations: items.map((it) => it.rejectedIds) },
          p as tf.Tensor2D,
        );
        // β = 1 so the DPO loss is not flattened into the finite-difference noise.
        return dpoLoss(
          c.sum,
          r.sum,
          items.map((it) => it.refChosen),
          items.map((it) => it.refRejected),
          1,
        );
      };
      const n = 3;
      const hidden = model.config.hiddenSize;
      const p0 = tf.tidy(() =>
        tf.randomNormal([n, hidden], 0, 1, 'float32', 5).mul(3),
      ) as tf.Tensor2D;
      const g = tf.tidy(() => tf.grad(loss)(p0).dataSync());
      const base = p0.dataSync() as Float32Array;
      const at = (vals: Float32Array) =>
        tf.tidy(() => loss(tf.tensor2d(vals, [n, hidden])).dataSync()[0]);
      const h = 1e-2;
      let sizeable = 0;
      for (const k of [0, 5, 17, 22, 31, 40, 47]) {
        const plus = base.slice();
        plus[k] += h;
        const minus = base.slice();
        minus[k] -= h;
        const fd = (at(plus) - at(minus)) / (2 * h);
        expect(Math.abs(g[k] - fd)).toBeLessThan(1e-3 + 2e-2 * Math.abs(fd));
        if (Math.abs(fd) > 5e-3) sizeable++;
      }
      expect(sizeable).toBeGreaterThan(4);
      p0.dispose();
    },
  );

  it("the recipe's checkpointLayers reaches every training forward; SFT and DPO updates equal the plain run's", async () => {
    const run = async (checkpointLayers: boolean) => {
      // The real model, with its forward options recorded on the way through.
      const seen = new Set<boolean>();
      const observed: CausalLM = Object.assign(Object.create(model), {
        forward: (x: tf.Tensor3D, o?: ForwardOptions) => {
          seen.add(o?.checkpointLayers === true);
          return model.forward(x, o);
        },
        // Scoring reads the answer tokens' log-probs through this pass.
        targetLogProbs: (
          x: tf.Tensor3D,
          o: Parameters<NonNullable<CausalLM['targetLogProbs']>>[1],
          targets: TargetTokens,
        ) => {
          seen.add(o.checkpointLayers === true);
          return model.targetLogProbs?.(x, o, targets);
        },
      });
      const t = await Trainer.create(
        {
          nVirtualTokens: 4,
          init: { kind: 'vocab' },
          sftSteps: 2,
          dpoSteps: 2,
          batchSize: 3,
          marginThreshold: -100,
          dpoReference: 'reference-model',
          checkpointLayers,
          seed: 3,
          checkpointEvery: 0,
          evalEvery: 0,
        },
        { model: observed, data },
      );
      const losses: number[] = [];
      while (!t.done) {
        const r = await t.step();
        losses.push(r.loss);
      }
      return { losses, patch: t.getPatch(), seen };
    };
    const plain = await run(false);
    const ckpt = await run(true);
    expect(plain.seen).toEqual(new Set([false]));
    // The frozen SFT-patch scoring is gradient-free; every forward here is a training one.
    expect(ckpt.seen).toEqual(new Set([true]));
    expect(plain.losses).toHaveLength(4);
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(ckpt.losses[i] - plain.losses[i])).toBeLessThan(
        1e-5 * Math.abs(plain.losses[i]) + 1e-6,
      );
    }
    let maxDiff = 0;
    for (let i = 0; i < plain.patch.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(ckpt.patch[i] - plain.patch[i]));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('holds tf.memory().numTensors flat over 200 steps (SFT and DPO; and a short sft-patch run)', async () => {
    const runs = [
      ['reference-model', 100],
      ['sft-patch', 25],
    ] as const;
    for (const [dpoReference, perStage] of runs) {
      const t = await Trainer.create(
        {
          nVirtualTokens: 4,
          init: { kind: 'vocab' },
          sftSteps: perStage,
          dpoSteps: perStage,
          batchSize: 2,
          gradAccumulation: 2,
          sftLr: 0.01,
          dpoLr: 0.01,
          warmupSteps: 5,
          marginThreshold: 0,
          dpoReference,
          seed: 1,
          evalEvery: 50,
          checkpointEvery: 0,
        },
        {
          model,
          data,
          hooks: {
            // An evaluation that itself allocates and frees tensors.
            onEvaluate: async (_step, prefix) => {
              tf.tidy(() => prefix.square().sum().dataSync());
            },
          },
        },
      );
      const start = tf.memory().numTensors;
      const counts: number[] = [];
      while (!t.done) {
        const r = await t.step();
        expect(Number.isFinite(r.loss)).toBe(true);
        if (r.step % 25 === 0) counts.push(tf.memory().numTensors);
      }
      expect(counts).toEqual(Array((2 * perStage) / 25).fill(start));
    }
  });
});
