import { beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureKind,
  fixtureConfigJson,
  randomFixtureTensors,
} from '../../scripts/fixtures/write-random-checkpoints';
import { createModel } from './architectures';
import { useBackend } from './backends';
import { parseModelConfig } from './config';
import { generate } from './generate';
import { Rng } from './rng';
import { argmax, sampleToken } from './sampling';
import { toWeightMaps } from './testing/helpers';
import { type NaiveTensor, naiveForward } from './testing/naive-reference';
import { tf } from './tf';
import type { CausalLM, GenerateOptions, ModelConfig } from './types';

const GREEDY = { maxNewTokens: 6, temperature: 0, topK: 0, topP: 1, seed: 0, stopTokenIds: [] };

function build(
  kind: FixtureKind,
  seed = 2,
): { model: CausalLM; cfg: ModelConfig; naive: Map<string, NaiveTensor> } {
  const cfg = parseModelConfig(fixtureConfigJson(kind));
  const { tfWeights, naive } = toWeightMaps(randomFixtureTensors(kind, seed));
  return { model: createModel(cfg, tfWeights), cfg, naive };
}

/** Greedy decoding with the float64 reference, recomputing everything each step. */
function naiveGreedy(
  cfg: ModelConfig,
  w: Map<string, NaiveTensor>,
  ids: number[],
  steps: number,
  prefix: number[][] = [],
): number[] {
  const seq = [...ids];
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    const logits = naiveForward(cfg, w, seq, prefix);
    const next = argmax(logits[logits.length - 1]);
    out.push(next);
    seq.push(next);
  }
  return out;
}

describe.each(['llama-gqa', 'gpt2'] as const)('generate on wasm (%s)', (kind) => {
  let model: CausalLM;
  let cfg: ModelConfig;
  let naive: Map<string, NaiveTensor>;
  beforeAll(async () => {
    expect(await useBackend('wasm')).toEqual({ ok: true });
    ({ model, cfg, naive } = build(kind));
  });

  const prompts = [
    [1, 5, 9, 20],
    [1, 33],
    [7, 8, 9, 10, 11, 12],
  ];

  it('KV-cache greedy equals full recomputation and the naive reference, batched with left padding', async () => {
    const cached = await generate(model, prompts, GREEDY);
    const full = await generate(model, prompts, { ...GREEDY, useCache: false });
    expect(cached).toEqual(full);
    for (let r = 0; r < prompts.length; r++) {
      expect(cached[r]).toEqual(naiveGreedy(cfg, naive, prompts[r], 6));
    }
  });

  it('the fixed-length cache (default) gives the growing cache and no cache, and keeps every decoding step one shape', async () => {
    const shapes: Record<string, string[]> = { fixed: [], growing: [] };
    let layout = 'fixed';
    // Records what each forward sees: input, mask and the cache it reads.
    const recording: CausalLM = {
      config: model.config,
      embed: (ids) => model.embed(ids),
      embeddingMatrix: () => model.embeddingMatrix(),
      dispose: () => {},
      forward: (x, o) => {
        shapes[layout].push(
          `${x.shape}|${o?.attentionMask?.shape}|${o?.cache?.layers[0].k.shape ?? 'none'}`,
        );
        return model.forward(x, o);
      },
    };
    const rng = new Rng(5);
    const prefix = tf.tensor2d(
      Array.from({ length: 2 }, () => Array.from({ length: cfg.hiddenSize }, () => rng.normal())),
    );
    const cases: GenerateOptions[] = [
      GREEDY,
      { ...GREEDY, prefix },
      { ...GREEDY, maxNewTokens: 1 },
    ];
    for (const opts of cases) {
      shapes.fixed = [];
      shapes.growing = [];
      layout = 'fixed';
      const fixed = await generate(recording, prompts, { ...opts, cacheLayout: 'fixed' });
      layout = 'growing';
      const growing = await generate(recording, prompts, { ...opts, cacheLayout: 'growing' });
      expect(fixed).toEqual(growing);
      expect(fixed).toEqual(await generate(model, prompts, { ...opts, useCache: false }));
      expect(fixed).toEqual(await generate(model, prompts, opts));
      expect(shapes.fixed).toHaveLength(opts.maxNewTokens);
      const decode = new Set(shapes.fixed.slice(1));
      expect(decode.size).toBeLessThanOrEqual(1);
      // prompts are 6 long at most: capacity = prefix + 6 + maxNewTokens - 1.
      const capacity = (opts.prefix ? 2 : 0) + 6 + opts.maxNewTokens - 1;
      expect(shapes.fixed[0]).toBe(
        `${prompts.length},${capacity - opts.maxNewTokens + 1},${cfg.hiddenSize}|${prompts.length},${capacity}|none`,
      );
      if (opts.maxNewTokens > 2)
        expect(new Set(shapes.growing.slice(1)).size).toBe(opts.maxNewTokens - 1);
    }
    prefix.dispose();
  });

  it('a fixed-length cache refuses positions beyond its capacity, naming the sizes', () => {
    const ids = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
    const first = model.forward(model.embed(ids), { useCache: true, cacheCapacity: 4 });
    expect(first.cache?.capacity).toBe(4);
    expect(first.cache?.layers[0].k.shape[2]).toBe(4);
    const two = tf.tensor2d([[4, 5]], [1, 2], 'int32');
    expect(() =>
      model.forward(model.embed(two), {
        cache: first.cache,
        attentionMask: tf.ones([1, 4]) as tf.Tensor2D,
      }),
    ).toThrow('the fixed-length cache holds 4 positions; 3 are filled and 2 more do not fit');
    expect(() =>
      model.forward(model.embed(ids), {
        useCache: true,
        cacheCapacity: 4,
        attentionMask: tf.ones([1, 3]) as tf.Tensor2D,
      }),
    ).toThrow('attentionMask has 3 columns but the fixed-length cache holds 4 positions');
    tf.dispose([ids, two, first.logits, ...(first.cache?.layers.flatMap((l) => [l.k, l.v]) ?? [])]);
  });

  it('with a prefix: cached == uncached == naive, and the prefix changes the output', async () => {
    const rng = new Rng(4);
    const rows = Array.from({ length: 3 }, () =>
      Array.from({ length: cfg.hiddenSize }, () => rng.normal()),
    );
    const prefix = tf.tensor2d(rows);
    const opts = { ...GREEDY, prefix };
    const cached = await generate(model, prompts, opts);
    expect(await generate(model, prompts, { ...opts, useCache: false })).toEqual(cached);
    expect(cached[1]).toEqual(naiveGreedy(cfg, naive, prompts[1], 6, rows));
    expect(cached).not.toEqual(await generate(model, prompts, GREEDY));
    // A zero-row prefix is the same as none.
    const empty = tf.zeros([0, cfg.hiddenSize]) as tf.Tensor2D;
    expect(await generate(model, prompts, { ...GREEDY, prefix: empty })).toEqual(
      await generate(model, prompts, GREEDY),
    );
    tf.dispose([prefix, empty]);
  });

  it('stops at a stop token (not included), streams steps with -1 for finished rows', async () => {
    const free = await generate(model, prompts, GREEDY);
    const stopTok = free[0][2];
    const steps: number[][] = [];
    const stopped = await generate(model, prompts, {
      ...GREEDY,
      stopTokenIds: [stopTok],
      onStep: (_, t) => steps.push(t),
    });
    expect(stopped[0]).toEqual(free[0].slice(0, free[0].indexOf(stopTok)));
    const stopStep = free[0].indexOf(stopTok);
    expect(steps[stopStep][0]).toBe(stopTok);
    if (steps.length > stopStep + 1) expect(steps[stopStep + 1][0]).toBe(-1);
  });

  it('stopWhen ends a row once its tokens hold a two-token run (kept, for the caller to cut)', async () => {
    const free = await generate(model, prompts, GREEDY);
    const run = free[0].slice(1, 3);
    const stopped = await generate(model, prompts, {
      ...GREEDY,
      stopWhen: (t) => t.length >= 2 && t.at(-2) === run[0] && t.at(-1) === run[1],
    });
    const end = free[0].findIndex((x, i) => x === run[0] && free[0][i + 1] === run[1]) + 2;
    expect(stopped[0]).toEqual(free[0].slice(0, end));
  });

  it('sampling is reproducible per seed; top-k 1 is greedy', async () => {
    const sample: GenerateOptions = {
      maxNewTokens: 8,
      temperature: 1.5,
      topK: 0,
      topP: 1,
      seed: 9,
      stopTokenIds: [],
    };
    const a = await generate(model, prompts, sample);
    expect(await generate(model, prompts, sample)).toEqual(a);
    const seeds = await Promise.all(
      [1, 2, 3].map((seed) => generate(model, prompts, { ...sample, seed })),
    );
    expect(new Set(seeds.map((s) => JSON.stringify(s))).size).toBeGreaterThan(1);
    expect(await generate(model, prompts, { ...sample, topK: 1 })).toEqual(
      await generate(model, prompts, { ...GREEDY, maxNewTokens: 8 }),
    );
  });

  it('an AbortSignal cancels and frees everything; repeated calls leave the tensor count flat', async () => {
    await generate(model, prompts, GREEDY);
    const before = tf.memory().numTensors;
    const ctrl = new AbortController();
    const err = await generate(model, prompts, {
      ...GREEDY,
      onStep: (s) => {
        if (s === 1) ctrl.abort();
      },
      signal: ctrl.signal,
    }).then(
      () => null,
      (e: Error) => e.name,
    );
    expect(err).toBe('AbortError');
    for (let i = 0; i < 3; i++) await generate(model, prompts, { ...GREEDY, maxNewTokens: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('sampleToken', () => {
  it('top-p keeps only the nucleus; top-k only the k best', () => {
    // probs ∝ exp([2, 1, 0, -5]) = [0.66, 0.24, 0.09, 0.0004]
    const logits = [2, 1, 0, -5];
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++)
      seen.add(sampleToken(logits, { temperature: 1, topK: 0, topP: 0.8 }, rng));
    expect([...seen].sort()).toEqual([0, 1]);
    const seenK = new Set<number>();
    for (let i = 0; i < 300; i++)
      seenK.add(sampleToken(logits, { temperature: 1, topK: 3, topP: 1 }, rng));
    expect([...seenK].sort()).toEqual([0, 1, 2]);
    expect(sampleToken([0, 3, 1], { temperature: 0, topK: 0, topP: 1 }, rng)).toBe(1);
  });

  it('empirical frequencies follow softmax(logits / T)', () => {
    const rng = new Rng(3);
    const counts = [0, 0];
    for (let i = 0; i < 4000; i++)
      counts[sampleToken([0, Math.log(3)], { temperature: 1, topK: 0, topP: 1 }, rng)]++;
    expect(counts[1] / 4000).toBeGreaterThan(0.72);
    expect(counts[1] / 4000).toBeLessThan(0.78);
  });
});
