import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import { tf } from '../engine/tf';
import type { CausalLM } from '../engine/types';
import type { TrainStatusInfo, TrainStepPoint } from '../protocol/messages';
import type { TrainerCheckpoint } from '../train/checkpoint';
import type { TrainRecipe } from '../train/recipe';
import { fakeCollectedSet } from '../train/testing/fake-collected';
import {
  DATA as REFUSING_DATA,
  refusingModel,
  tokenizer as wordTokenizer,
} from '../train/testing/refusing-fixture';
import { createTinyLlama } from '../train/testing/tiny-llama';
import { Trainer, type TrainerHooks } from '../train/trainer';
import { type CheckpointSink, TrainLoop } from './train-loop';

const VOCAB = 32;
const data = fakeCollectedSet({ count: 12, vocab: VOCAB, seed: 7 });

const RECIPE: Partial<TrainRecipe> = {
  nVirtualTokens: 3,
  init: { kind: 'random' },
  sftSteps: 4,
  dpoSteps: 4,
  batchSize: 4,
  gradAccumulation: 1,
  sftLr: 0.05,
  dpoLr: 0.02,
  warmupSteps: 1,
  marginThreshold: 0,
  seed: 5,
  checkpointEvery: 3,
  evalEvery: 0,
};

/** An in-memory checkpoint slot store that records every save, in order. */
class MemorySink implements CheckpointSink {
  saves: { id: string; checkpoint: TrainerCheckpoint; points: TrainStepPoint[] }[] = [];
  async save(id: string, checkpoint: TrainerCheckpoint, points: TrainStepPoint[]) {
    this.saves.push({
      id,
      checkpoint: structuredClone(checkpoint),
      points: structuredClone(points),
    });
  }
  get last() {
    return this.saves.at(-1)!;
  }
}

/** The tiny Llama, with switches that make its forward pass fail the ways real devices do. */
function faultyModel(seed: number) {
  const model = createTinyLlama(seed, { vocab: VOCAB });
  const faults = { nan: false, throwOnce: null as Error | null };
  const wrapped: CausalLM = {
    config: model.config,
    embed: (ids) => model.embed(ids),
    forward: (x, o) => {
      if (faults.throwOnce) {
        const e = faults.throwOnce;
        faults.throwOnce = null;
        throw e;
      }
      const r = model.forward(x, o);
      return faults.nan ? { ...r, logits: r.logits.mul(Number.NaN) as tf.Tensor3D } : r;
    },
    embeddingMatrix: () => model.embeddingMatrix(),
    dispose: () => model.dispose(),
  };
  return { model: wrapped, faults };
}

/** The run statuses in order, without the repeats that activity changes add. */
function transitions(statuses: TrainStatusInfo[]): string[] {
  return statuses.map((s) => s.status).filter((s, i, all) => i === 0 || all[i - 1] !== s);
}

interface Harness {
  loop: TrainLoop;
  sink: MemorySink;
  points: TrainStepPoint[];
  statuses: TrainStatusInfo[];
}

function harness(
  create: (hooks: TrainerHooks) => Trainer | Promise<Trainer>,
  opts: {
    sink?: MemorySink;
    onStep?: (p: TrainStepPoint, h: Harness) => void;
    cancelled?: () => boolean;
    history?: TrainStepPoint[];
  } = {},
): Harness {
  const h = { sink: opts.sink ?? new MemorySink(), points: [], statuses: [] } as unknown as Harness;
  h.loop = new TrainLoop({
    runId: 'run-test',
    checkpointId: 'slot-1',
    createTrainer: create,
    checkpoints: h.sink,
    onStep: (p) => {
      h.points.push(p);
      opts.onStep?.(p, h);
    },
    onStatus: (s) => h.statuses.push(s),
    isCancelled: opts.cancelled,
    history: opts.history,
  });
  return h;
}

describe('TrainLoop', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('reports the on-policy negatives between SFT and DPO as an activity, then steps on', async () => {
    const model = refusingModel();
    const h = harness((hooks) =>
      Trainer.create(
        { ...RECIPE, sftSteps: 1, dpoSteps: 1, checkpointEvery: 0, dpoPolicyNegatives: 'answered' },
        { model, data: REFUSING_DATA, tokenizer: wordTokenizer, hooks },
      ),
    );
    expect(await h.loop.run()).toBe('done');
    // The fixture's M′ answers 3 prompts (batches of 2): 0, 2, then 3 of 3 back to stepping.
    const negatives = h.statuses
      .map((s) => s.activity)
      .filter((a) => a?.kind === 'negatives')
      .map((a) => a?.kind === 'negatives' && [a.step, a.done, a.total]);
    expect(negatives).toEqual([
      [1, 0, 3],
      [1, 2, 3],
    ]);
    const i = h.statuses.findIndex((s) => s.activity?.kind === 'negatives');
    expect(h.statuses.slice(i).find((s) => s.activity?.kind !== 'negatives')?.activity).toEqual({
      kind: 'stepping',
    });
    expect(h.points.map((p) => p.stage)).toEqual(['sft', 'dpo']);
  });

  it('runs SFT then DPO to the end, one point per update, checkpointing on schedule and at the end', async () => {
    const { model } = faultyModel(1);
    const h = harness((hooks) => Trainer.create(RECIPE, { model, data, hooks }));
    expect(await h.loop.run()).toBe('done');
    expect(h.points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(h.points.map((p) => p.stage)).toEqual([
      'sft',
      'sft',
      'sft',
      'sft',
      'dpo',
      'dpo',
      'dpo',
      'dpo',
    ]);
    expect(h.points.every((p) => Number.isFinite(p.loss) && p.totalSteps === 8)).toBe(true);
    // DPO points carry reward stats and the margin filter's counts; SFT points do not.
    expect(h.points[0].rewardAccuracy).toBeNull();
    const dpo = h.points[4];
    expect(dpo.rewardAccuracy).toBeGreaterThanOrEqual(0);
    expect(dpo.rewardAccuracy).toBeLessThanOrEqual(1);
    // fakeCollectedSet reverses every 4th pair, which threshold 0 drops.
    expect([dpo.pairsKept, dpo.pairsDropped]).toEqual([9, 3]);
    expect(h.points.at(-1)!.etaSeconds).toBe(0);
    // The first update is checkpointed at once, then every 3rd and the last.
    expect(h.sink.saves.map((s) => s.checkpoint.step)).toEqual([1, 3, 6, 8]);
    // Each slot save carries the chart points up to its step.
    expect(h.sink.saves.map((s) => s.points.length)).toEqual([1, 3, 6, 8]);
    expect(transitions(h.statuses)).toEqual(['running', 'done']);
    // Each save is announced while it is written, and the status after it names it.
    const writing = h.statuses.flatMap((s) =>
      s.activity?.kind === 'checkpointing' ? [s.activity.step] : [],
    );
    expect(writing).toEqual([1, 3, 6, 8]);
    const after = h.statuses.findIndex((s) => s.activity?.kind === 'checkpointing');
    expect(h.statuses[after + 1].checkpoint).toMatchObject({ step: 1 });
    expect(h.statuses.at(-1)!.checkpoint).toMatchObject({ id: 'slot-1', step: 8 });
  });

  it('pauses between steps, steps once while paused, and resumes to the end', async () => {
    const { model } = faultyModel(1);
    const log: string[] = [];
    const h = harness((hooks) => Trainer.create(RECIPE, { model, data, hooks }), {
      onStep: (p, hh) => {
        log.push(`step ${p.step}`);
        if (p.step === 2) expect(hh.loop.control('pause')).toBe(true);
      },
    });
    const running = h.loop.run();
    // Wait for the pause to take effect, then drive it the way the UI does.
    await until(() => h.loop.currentStatus === 'paused');
    expect(h.points.length).toBe(2);
    expect(h.sink.last.checkpoint.step).toBe(2);
    expect(h.loop.control('resume') && h.loop.control('pause')).toBe(true);
    // resume then an immediate pause: the loop had no turn, so nothing ran.
    await delay(30);
    expect(h.points.length).toBe(2);
    expect(h.loop.control('step-once')).toBe(true);
    await until(() => h.points.length === 3 && h.loop.currentStatus === 'paused');
    await delay(30);
    expect(h.points.length).toBe(3);
    expect(h.sink.last.checkpoint.step).toBe(3);
    expect(h.loop.control('step-once')).toBe(true);
    await until(() => h.points.length === 4 && h.loop.currentStatus === 'paused');
    expect(h.loop.control('resume')).toBe(true);
    // Controls that make no sense now are refused, not silently queued.
    expect(h.loop.control('resume')).toBe(false);
    expect(h.loop.control('step-once')).toBe(false);
    expect(await running).toBe('done');
    expect(log).toEqual(Array.from({ length: 8 }, (_, i) => `step ${i + 1}`));
    expect(transitions(h.statuses)).toEqual([
      'running',
      'paused',
      'running',
      'paused',
      'running',
      'paused',
      'running',
      'done',
    ]);
  });

  it('a run stopped at a checkpoint and resumed from it gives the same losses as an uninterrupted run', async () => {
    const { model } = faultyModel(2);
    const whole = harness((hooks) => Trainer.create(RECIPE, { model, data, hooks }));
    await whole.loop.run();

    const first = harness((hooks) => Trainer.create(RECIPE, { model, data, hooks }), {
      onStep: (p, hh) => {
        if (p.step === 5) hh.loop.control('stop');
      },
    });
    expect(await first.loop.run()).toBe('stopped');
    const saved = first.sink.last;
    expect(saved.checkpoint.step).toBe(5);
    expect(first.statuses.at(-1)!.status).toBe('stopped');

    const second = harness(
      (hooks) => Trainer.fromCheckpoint(saved.checkpoint, { model, data, hooks }),
      {
        history: saved.points,
      },
    );
    expect(await second.loop.run()).toBe('done');
    const resumed = [...first.points, ...second.points].map((p) => p.loss);
    expect(resumed).toEqual(whole.points.map((p) => p.loss));
    // The resumed loop's history continues the first one's, for the charts.
    expect(second.loop.history.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('pauses on a NaN loss, says where, keeps the last good state, and continues once the cause is gone', async () => {
    const { model, faults } = faultyModel(3);
    let goodPatch: Float32Array | null = null;
    const h = harness((hooks) => Trainer.create(RECIPE, { model, data, hooks }), {
      onStep: (p, hh) => {
        if (p.step === 5) {
          goodPatch = hh.loop.trainerOrNull!.getPatch();
          faults.nan = true;
        }
      },
    });
    const running = h.loop.run();
    await until(() => h.loop.currentStatus === 'paused');
    const info = h.statuses.at(-1)!;
    expect(info.problem).toMatchObject({
      kind: 'non-finite',
      stage: 'dpo',
      step: 6,
      quantity: 'loss',
    });
    expect(info.problem?.message).toMatch(/DPO step 6/);
    expect(info.step).toBe(5);
    expect(h.sink.last.checkpoint.step).toBe(5);
    expect(h.sink.last.checkpoint.patch).toEqual(goodPatch);
    expect(h.points.length).toBe(5);

    faults.nan = false;
    expect(h.loop.control('resume')).toBe(true);
    expect(await running).toBe('done');
    expect(h.points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(h.statuses.at(-1)!.problem).toBeNull();
  });

  it('ends on out-of-memory with the problem named, the state saved, and resumes with half the batch', async () => {
    const { model, faults } = faultyModel(4);
    const h = harness((hooks) => Trainer.create(RECIPE, { model, data, hooks }), {
      onStep: (p) => {
        if (p.step === 2) faults.throwOnce = new Error('WebGPU: Out of memory allocating buffer');
      },
    });
    expect(await h.loop.run()).toBe('failed');
    const info = h.statuses.at(-1)!;
    expect(info.status).toBe('failed');
    expect(info.problem).toMatchObject({ kind: 'out-of-memory', batchSize: 4 });
    expect(h.sink.last.checkpoint.step).toBe(2);

    const c = h.sink.last.checkpoint;
    const smaller = { ...c, recipe: { ...c.recipe, batchSize: c.recipe.batchSize / 2 } };
    const again = harness((hooks) => Trainer.fromCheckpoint(smaller, { model, data, hooks }));
    expect(await again.loop.run()).toBe('done');
    expect(again.points.map((p) => p.step)).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('treats a lost device the same way, and a cancelled run as stopped', async () => {
    const { model, faults } = faultyModel(5);
    faults.throwOnce = new Error('GPUDevice was lost: the device was lost');
    const h = harness((hooks) => Trainer.create(RECIPE, { model, data, hooks }));
    expect(await h.loop.run()).toBe('failed');
    expect(h.statuses.at(-1)!.problem?.kind).toBe('device-lost');

    let n = 0;
    const c = harness((hooks) => Trainer.create(RECIPE, { model, data, hooks }), {
      cancelled: () => n++ >= 2,
    });
    expect(await c.loop.run()).toBe('stopped');
    expect(c.points.length).toBe(2);
    expect(c.sink.last.checkpoint.step).toBe(2);
  });

  it('calls the evaluation hook with the patch every evalEvery updates', async () => {
    const { model } = faultyModel(6);
    const seen: { step: number; shape: number[]; first: number }[] = [];
    const sink = new MemorySink();
    const loop = new TrainLoop({
      runId: 'run-eval',
      checkpointId: 'slot-eval',
      createTrainer: (hooks) => Trainer.create({ ...RECIPE, evalEvery: 3 }, { model, data, hooks }),
      checkpoints: sink,
      onStep: () => {},
      onStatus: () => {},
      evalHook: () => async (runId, step, prefix) => {
        expect(runId).toBe('run-eval');
        seen.push({ step, shape: prefix.shape, first: (await prefix.data())[0] });
      },
    });
    const before = tf.memory().numTensors;
    await loop.run();
    // The trainer disposes each prefix after the hook: nothing accumulates.
    expect(tf.memory().numTensors).toBe(before);
    expect(seen.map((s) => s.step)).toEqual([3, 6, 8]);
    expect(seen.every((s) => s.shape.join('x') === `3x${model.config.hiddenSize}`)).toBe(true);
  });

  it('says it is evaluating at step k, and Stop mid-evaluation aborts it and ends the run within a second', async () => {
    const { model } = faultyModel(7);
    const statuses: TrainStatusInfo[] = [];
    let evalSignal: AbortSignal | null = null;
    const loop = new TrainLoop({
      runId: 'run-stop',
      checkpointId: 'slot-stop',
      createTrainer: (hooks) => Trainer.create({ ...RECIPE, evalEvery: 2 }, { model, data, hooks }),
      checkpoints: new MemorySink(),
      onStep: () => {},
      onStatus: (s) => statuses.push(s),
      // An evaluation that would take a minute unless its signal aborts it.
      evalHook: () => (_runId, _step, _prefix, signal) => {
        evalSignal = signal;
        return new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 60_000);
          signal.addEventListener('abort', () => {
            clearTimeout(t);
            resolve();
          });
        });
      },
    });
    const running = loop.run();
    await until(() => statuses.at(-1)?.activity?.kind === 'evaluating');
    expect(statuses.at(-1)).toMatchObject({
      status: 'running',
      activity: { kind: 'evaluating', step: 2 },
    });
    const t0 = Date.now();
    expect(loop.control('stop')).toBe(true);
    // "stopping" is said at once, before the evaluation has even settled.
    expect(statuses.at(-1)!.activity).toEqual({ kind: 'stopping' });
    expect(evalSignal!.aborted).toBe(true);
    expect(await running).toBe('stopped');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(statuses.at(-1)).toMatchObject({ status: 'stopped', activity: null, step: 2 });
  });

  it('a resumed run shows the checkpoint it started from until it writes the next', async () => {
    const { model } = faultyModel(8);
    const first = harness((hooks) => Trainer.create(RECIPE, { model, data, hooks }), {
      onStep: (p, hh) => {
        if (p.step === 3) hh.loop.control('stop');
      },
    });
    await first.loop.run();
    const saved = first.sink.last;
    const statuses: TrainStatusInfo[] = [];
    const loop = new TrainLoop({
      runId: 'run-resumed',
      checkpointId: 'slot-1',
      createTrainer: (hooks) => Trainer.fromCheckpoint(saved.checkpoint, { model, data, hooks }),
      checkpoints: new MemorySink(),
      onStep: () => {},
      onStatus: (s) => statuses.push(s),
      resumedFrom: { id: 'slot-1', step: 3, savedAt: saved.checkpoint.savedAt },
      startPaused: true,
    });
    const running = loop.run();
    await until(() => loop.currentStatus === 'paused');
    expect(loop.statusInfo().checkpoint).toMatchObject({ id: 'slot-1', step: 3 });
    loop.control('stop');
    await running;
  });
});

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting for the loop');
    await delay(5);
  }
}
