// Engine benchmarks in Node, printing JSON and a table:
//   npm run bench -- [--backends wasm,cpu] [--models smollm2,demo] [--reps N]
// For each backend and model: prefix-training forward+backward tokens/s,
// generation tokens/s with and without the KV cache, peak tensor memory
// (sampled tf.memory()), plus a 1024² matmul in GFLOP/s. The plain-JS cpu backend is
// ~40× slower than wasm, so it runs a reduced workload (labelled).
import { existsSync } from 'node:fs';
import { type BackendName, useBackend } from '../src/engine/backends';
import { parseModelConfig } from '../src/engine/config';
import { generate } from '../src/engine/generate';
import { createLlamaModel, initRandomLlamaWeights } from '../src/engine/llama';
import { loadModel } from '../src/engine/load';
import { NodeDirectorySource } from '../src/engine/node-directory-source';
import { Rng } from '../src/engine/rng';
import { continuationTokenNll } from '../src/engine/score';
import { tf } from '../src/engine/tf';
import type { CausalLM } from '../src/engine/types';

const SMOLLM2_CONFIG = {
  model_type: 'llama',
  vocab_size: 49152,
  hidden_size: 576,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  intermediate_size: 1536,
  max_position_embeddings: 8192,
  rms_norm_eps: 1e-5,
  rope_theta: 100000,
  tie_word_embeddings: true,
  bos_token_id: 0,
  eos_token_id: 0,
};
const DEMO_DIR = 'public/models/demo-base';

interface Workload {
  batch: number;
  seqTokens: number;
  prefixTokens: number;
  newTokens: number;
  newTokensNoCache: number;
  promptTokens: number;
}
const FULL: Workload = {
  batch: 4,
  seqTokens: 128,
  prefixTokens: 50,
  newTokens: 128,
  newTokensNoCache: 32,
  promptTokens: 16,
};
// Batch 4 × (128 + 50) on the 135M model ran the wasm heap (4 GiB max) out of
// memory (XNNPACK "status 6"), so the wasm run of that model uses batch 1.
const SMOLLM2_WASM: Workload = { ...FULL, batch: 1 };
const REDUCED: Workload = {
  batch: 1,
  seqTokens: 16,
  prefixTokens: 8,
  newTokens: 8,
  newTokensNoCache: 4,
  promptTokens: 8,
};

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function matmulGflops(reps: number): Promise<number> {
  const n = 1024;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  tf.matMul(a, b).dispose(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  }
  const s = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  return (2 * n ** 3 * reps) / s / 1e9;
}

function randomIds(rng: Rng, n: number, vocab: number): number[] {
  return Array.from({ length: n }, () => 1 + rng.int(vocab - 1));
}

async function benchModel(model: CausalLM, w: Workload, reps: number) {
  const rng = new Rng(1);
  const v = model.config.vocabSize;
  const half = w.seqTokens / 2;
  const batch = {
    prompts: Array.from({ length: w.batch }, () => randomIds(rng, half, v)),
    continuations: Array.from({ length: w.batch }, () => randomIds(rng, half, v)),
  };
  const tensorsBefore = tf.memory().numTensors;
  // tidy frees the initial tensor; the Variable (untracked by tidy) survives.
  const prefix = tf.tidy(() =>
    tf.variable(
      tf.randomNormal([w.prefixTokens, model.config.hiddenSize], 0, 0.02) as tf.Tensor2D,
      true,
      'bench_prefix',
    ),
  );
  // tf.profile overflows the stack on a 30-layer model (it spreads every
  // kernel record into Math.max), so memory is sampled instead: tensor bytes
  // held at the end of the forward pass (weights + everything kept for
  // backprop), and during generation at every step.
  let trainPeakBytes = 0;
  const step = () => {
    const { value, grads } = tf.variableGrads(() => {
      const loss = continuationTokenNll(model, batch, prefix as tf.Tensor2D);
      trainPeakBytes = Math.max(trainPeakBytes, tf.memory().numBytes);
      return loss;
    }, [prefix]);
    const out = grads[prefix.name].dataSync()[0] + value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return out;
  };
  step(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) step();
  const trainS = (performance.now() - t0) / 1000 / reps;
  const trainTokens = w.batch * (w.seqTokens + w.prefixTokens);

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
  const genS = (performance.now() - g0) / 1000;
  const n0 = performance.now();
  await generate(model, prompt, { ...genOpts, maxNewTokens: w.newTokensNoCache, useCache: false });
  const noCacheS = (performance.now() - n0) / 1000;
  prefix.dispose();
  return {
    workload: w,
    trainStepSeconds: trainS,
    trainTokensPerSecond: trainTokens / trainS,
    trainPeakTensorMB: trainPeakBytes / 2 ** 20,
    generateTokensPerSecond: w.newTokens / genS,
    generateNoCacheTokensPerSecond: w.newTokensNoCache / noCacheS,
    generatePeakTensorMB: peakGen / 2 ** 20,
    leakedTensors: tf.memory().numTensors - tensorsBefore,
  };
}

async function main() {
  const backends = flag('backends', 'wasm,cpu').split(',') as BackendName[];
  const models = flag('models', 'smollm2,demo').split(',');
  const reps = Number(flag('reps', '1'));
  const results: Record<string, unknown>[] = [];
  for (const backend of backends) {
    const ok = await useBackend(backend);
    if (!ok.ok) throw new Error(`backend ${backend}: ${ok.error}`);
    const gflops = await matmulGflops(backend === 'cpu' ? 1 : 5);
    results.push({ backend, model: 'matmul 1024²', gflops });
    console.error(`[${backend}] matmul 1024²: ${gflops.toFixed(2)} GFLOP/s`);
    const workload = backend === 'cpu' ? REDUCED : SMOLLM2_WASM;
    for (const name of models) {
      let model: CausalLM;
      if (name === 'smollm2') {
        const cfg = parseModelConfig(SMOLLM2_CONFIG);
        const t0 = performance.now();
        model = createLlamaModel(cfg, initRandomLlamaWeights(cfg, 1));
        console.error(
          `[${backend}] SmolLM2-shaped random model ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      } else if (name === 'demo') {
        if (!existsSync(`${DEMO_DIR}/config.json`)) {
          console.error(
            `[${backend}] ${DEMO_DIR} not found: skipping the demo model (build it with npm run build:demo)`,
          );
          results.push({ backend, model: 'demo', skipped: `${DEMO_DIR} not found` });
          continue;
        }
        model = (await loadModel(new NodeDirectorySource(DEMO_DIR))).model;
      } else throw new Error(`unknown model "${name}" (smollm2, demo)`);
      const r = await benchModel(model, name === 'demo' ? FULL : workload, reps);
      model.dispose();
      results.push({ backend, model: name, ...r });
      console.error(`[${backend}] ${name}: ${JSON.stringify(r)}`);
    }
  }
  console.log(JSON.stringify({ node: process.version, results }, null, 2));
  const rows = results.map((r) => {
    const f = (k: string, d = 1) => (typeof r[k] === 'number' ? (r[k] as number).toFixed(d) : '');
    const wl = r.workload as Workload | undefined;
    return `| ${r.backend} | ${r.model} | ${wl ? `${wl.batch}×(${wl.seqTokens}+${wl.prefixTokens})` : ''} | ${f('trainTokensPerSecond')} | ${f('generateTokensPerSecond')} | ${f('generateNoCacheTokensPerSecond', 2)} | ${f('trainPeakTensorMB', 0)} | ${f('gflops')} |${r.skipped ? ` skipped: ${r.skipped}` : ''}`;
  });
  console.log(
    [
      '| backend | model | train batch | train tok/s | gen tok/s (cache) | gen tok/s (no cache) | train peak MB | matmul GFLOP/s |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
