// Backend-independent engine measurements, shared by the Node bench
// (scripts/bench.ts) and the browser bench page (bench.html → bench-worker.ts).
// Nothing here touches Node or DOM APIs; results are read with async data()
// because dataSync() returns zeros on WebGPU in a worker (FIELD-NOTES).
import { parseModelConfig } from '../engine/config';
import { generate } from '../engine/generate';
import { createLlamaModel, initRandomLlamaWeights } from '../engine/llama';
import { Rng } from '../engine/rng';
import { continuationTokenNll } from '../engine/score';
import { SMOLLM2_135M_CONFIG } from '../engine/testing/smollm2-135m';
import { tf } from '../engine/tf';
import type { CausalLM } from '../engine/types';

/** SmolLM2-135M's shape filled with random weights. */
export function createSmolLM2ShapedModel(seed = 1): CausalLM {
  const cfg = parseModelConfig(SMOLLM2_135M_CONFIG);
  return createLlamaModel(cfg, initRandomLlamaWeights(cfg, seed));
}

export interface Workload {
  /** Short name printed in the table ("full", "reduced", ...). */
  label: string;
  batch: number;
  seqTokens: number;
  prefixTokens: number;
  newTokens: number;
  newTokensNoCache: number;
  promptTokens: number;
}

export const FULL: Workload = {
  label: 'full',
  batch: 4,
  seqTokens: 128,
  prefixTokens: 50,
  newTokens: 128,
  newTokensNoCache: 32,
  promptTokens: 16,
};
// Batch 4 × (128 + 50) on the 135M model ran the wasm heap (4 GiB max) out of
// memory (XNNPACK "status 6"), so the wasm run of that model uses batch 1.
export const SMOLLM2_WASM: Workload = { ...FULL, label: 'batch 1', batch: 1 };
export const REDUCED: Workload = {
  label: 'reduced',
  batch: 1,
  seqTokens: 16,
  prefixTokens: 8,
  newTokens: 8,
  newTokensNoCache: 4,
  promptTokens: 8,
};
/** The demo model on SwiftShader webgl/webgpu: a quarter of the full workload. */
export const DEMO_SMALL: Workload = {
  label: 'small',
  batch: 1,
  seqTokens: 64,
  prefixTokens: 16,
  newTokens: 32,
  newTokensNoCache: 8,
  promptTokens: 16,
};

export function describeWorkload(w: Workload): string {
  return `${w.batch}×(${w.seqTokens}+${w.prefixTokens}), gen ${w.promptTokens}→+${w.newTokens}/+${w.newTokensNoCache}`;
}

/**
 * Float32 n×n matmul throughput: one warm-up, then repetitions until
 * `minSeconds` have passed (at least one).
 */
export async function matmulGflops(
  minSeconds: number,
  n = 1024,
): Promise<{ gflops: number; reps: number; n: number }> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const w = tf.matMul(a, b); // warm-up (and shader compilation on GPU backends)
  await w.data();
  w.dispose();
  let reps = 0;
  const t0 = performance.now();
  while (reps === 0 || performance.now() - t0 < minSeconds * 1000) {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    reps++;
  }
  const s = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  return { gflops: (2 * n ** 3 * reps) / s / 1e9, reps, n };
}

function randomIds(rng: Rng, n: number, vocab: number): number[] {
  return Array.from({ length: n }, () => 1 + rng.int(vocab - 1));
}

export interface ModelBenchResult {
  workload: Workload;
  /** The first (warm-up) training step, shader compilation included on GPU backends. */
  firstTrainStepSeconds?: number;
  trainStepSeconds?: number;
  trainTokensPerSecond?: number;
  trainPeakTensorMB?: number;
  generateTokensPerSecond?: number;
  generatePeakTensorMB?: number;
  generateNoCacheTokensPerSecond?: number;
  leakedTensors?: number;
}

export type BenchPhase = 'train-warmup' | 'train' | 'generate' | 'generate-no-cache' | 'done';

/**
 * Prefix-training step (forward + backward to a prefix variable), generation
 * with and without the KV cache, and sampled peak tensor memory. `onPhase` is
 * called as each phase starts with the numbers so far, so a caller that has
 * to give up on a slow backend still has the finished phases.
 */
export async function benchModel(
  model: CausalLM,
  w: Workload,
  reps: number,
  onPhase: (phase: BenchPhase, partial: ModelBenchResult) => void = () => {},
  opts: { generation?: boolean; checkpointLayers?: boolean } = {},
): Promise<ModelBenchResult> {
  const rng = new Rng(1);
  const v = model.config.vocabSize;
  const half = w.seqTokens / 2;
  const batch = {
    prompts: Array.from({ length: w.batch }, () => randomIds(rng, half, v)),
    continuations: Array.from({ length: w.batch }, () => randomIds(rng, half, v)),
  };
  const r: ModelBenchResult = { workload: w };
  const tensorsBefore = tf.memory().numTensors;
  // tidy frees the initial tensor; the Variable (untracked by tidy) survives.
  const prefix = tf.tidy(() =>
    tf.variable(
      tf.randomNormal([w.prefixTokens, model.config.hiddenSize], 0, 0.02) as tf.Tensor2D,
      true,
      'bench_prefix',
    ),
  );
  try {
    // tf.profile overflows the stack on a 30-layer model (it spreads every
    // kernel record into Math.max), so memory is sampled instead: tensor bytes
    // held at the end of the forward pass (weights + everything kept for
    // backprop), and during generation at every step.
    let trainPeakBytes = 0;
    const step = async () => {
      const { value, grads } = tf.variableGrads(() => {
        const loss = continuationTokenNll(model, batch, prefix as tf.Tensor2D, {
          checkpointLayers: opts.checkpointLayers,
        });
        trainPeakBytes = Math.max(trainPeakBytes, tf.memory().numBytes);
        return loss;
      }, [prefix]);
      const [g, l] = await Promise.all([grads[prefix.name].data(), value.data()]);
      tf.dispose([value, ...Object.values(grads)]);
      if (!Number.isFinite(l[0]) || !Number.isFinite(g[0])) throw new Error(`loss ${l[0]}`);
    };
    onPhase('train-warmup', r);
    const w0 = performance.now();
    await step();
    r.firstTrainStepSeconds = (performance.now() - w0) / 1000;
    onPhase('train', r);
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await step();
    r.trainStepSeconds = (performance.now() - t0) / 1000 / reps;
    r.trainTokensPerSecond = (w.batch * (w.seqTokens + w.prefixTokens)) / r.trainStepSeconds;
    r.trainPeakTensorMB = trainPeakBytes / 2 ** 20;

    // Batch > 1 rows measure training only (generation runs batch 1 anyway).
    if (opts.generation !== false) {
      onPhase('generate', r);
      const prompt = [randomIds(rng, w.promptTokens, v)];
      const genOpts = { temperature: 0, topK: 0, topP: 1, seed: 0, stopTokenIds: [] as number[] };
      await generate(model, prompt, { ...genOpts, maxNewTokens: 2 }); // warm-up
      let peakGen = 0;
      const g0 = performance.now();
      await generate(model, prompt, {
        ...genOpts,
        maxNewTokens: w.newTokens,
        onStep: () => {
          peakGen = Math.max(peakGen, tf.memory().numBytes);
        },
      });
      r.generateTokensPerSecond = w.newTokens / ((performance.now() - g0) / 1000);
      r.generatePeakTensorMB = peakGen / 2 ** 20;

      onPhase('generate-no-cache', r);
      const n0 = performance.now();
      await generate(model, prompt, {
        ...genOpts,
        maxNewTokens: w.newTokensNoCache,
        useCache: false,
      });
      r.generateNoCacheTokensPerSecond = w.newTokensNoCache / ((performance.now() - n0) / 1000);
    }
  } finally {
    prefix.dispose();
  }
  r.leakedTensors = tf.memory().numTensors - tensorsBefore;
  onPhase('done', r);
  return r;
}

/** One table row: a backend × model (or the matmul) in one runtime. */
export interface BenchRow extends Partial<ModelBenchResult> {
  runtime: string;
  backend: string;
  model: string;
  gflops?: number;
  loadSeconds?: number;
  /** Set when the row did not finish: the error, or the time budget it ran past. */
  error?: string;
  skipped?: string;
  /** The phase that was running when the row stopped. */
  stoppedIn?: string;
  adapter?: string;
}

export function formatTable(rows: BenchRow[]): string {
  const f = (x: number | undefined, d = 1) => (typeof x === 'number' ? x.toFixed(d) : '—');
  const lines = rows.map((r) => {
    const wl = r.workload ? `${describeWorkload(r.workload)} (${r.workload.label})` : '';
    const note = r.skipped
      ? `skipped: ${r.skipped}`
      : r.error
        ? `${r.stoppedIn ? `stopped in ${r.stoppedIn}: ` : ''}${r.error}`
        : '';
    return `| ${r.runtime} | ${r.backend} | ${r.model} | ${wl} | ${f(r.firstTrainStepSeconds)} | ${f(r.trainStepSeconds, 2)} | ${f(r.trainTokensPerSecond)} | ${f(r.generateTokensPerSecond)} | ${f(r.generateNoCacheTokensPerSecond, 2)} | ${f(r.trainPeakTensorMB, 0)} | ${f(r.gflops, 2)} | ${note.replace(/\|/g, '/').replace(/\s+/g, ' ')} |`;
  });
  return [
    '| runtime | backend | model | workload (train batch×(seq+prefix), gen prompt→+cache/+no-cache) | first step s | train step s | train tok/s | gen tok/s (cache) | gen tok/s (no cache) | train peak MB | matmul 1024² GFLOP/s | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}
