// Kernel times of one prefix-training step (tf.profile; after a warm-up step)
// on SmolLM2-135M-shaped random weights, summed per kernel, matrix products
// per shape. tf.profile overflows the stack on all 30 layers, so the default
// is 4 layers and a 4096-token vocabulary:
//   node --import tsx --import ./scripts/extensionless-resolve.mjs scripts/bench/step-profile.ts \
//     '{"batch":4}'   # also "autograd":true (ForwardOptions.autogradLayers), "config" overrides
// A customGrad op shows as "unnamed scope" and includes the kernels it runs.
import { useBackend } from '../../src/engine/backends';
import { parseModelConfig } from '../../src/engine/config';
import { createLlamaModel, initRandomLlamaWeights } from '../../src/engine/llama';
import { Rng } from '../../src/engine/rng';
import { continuationTokenNll } from '../../src/engine/score';
import { SMOLLM2_135M_CONFIG } from '../../src/engine/testing/smollm2-135m';
import { tf } from '../../src/engine/tf';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  batch?: number;
  autograd?: boolean;
  config?: Record<string, unknown>;
};
await useBackend('wasm');
const cfg = parseModelConfig({
  ...SMOLLM2_135M_CONFIG,
  ...(args.config ?? { num_hidden_layers: 4, vocab_size: 4096 }),
});
const model = createLlamaModel(cfg, initRandomLlamaWeights(cfg, 1));
const B = args.batch ?? 1;
const rng = new Rng(1);
const ids = (k: number) => Array.from({ length: k }, () => 1 + rng.int(cfg.vocabSize - 1));
const batch = {
  prompts: Array.from({ length: B }, () => ids(64)),
  continuations: Array.from({ length: B }, () => ids(64)),
};
const prefix = tf.variable(tf.randomNormal([50, cfg.hiddenSize], 0, 0.02) as tf.Tensor2D);
const step = async () => {
  const { value, grads } = tf.variableGrads(
    () => continuationTokenNll(model, batch, prefix, { autogradLayers: !!args.autograd }),
    [prefix],
  );
  await grads[prefix.name].data();
  tf.dispose([value, ...Object.values(grads)]);
};
await step();
const t0 = performance.now();
await step();
const wallMs = performance.now() - t0;
const profile = await tf.profile(step);
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of profile.kernels) {
  const key =
    k.name === 'BatchMatMul'
      ? `BatchMatMul ${k.inputShapes.map((s) => (s ?? []).join('x')).join(' @ ')}`
      : k.name;
  const e = byKernel.get(key) ?? { ms: 0, calls: 0 };
  e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  e.calls++;
  byKernel.set(key, e);
}
console.log(`${JSON.stringify(args)} step wall ${wallMs.toFixed(0)} ms (unprofiled)`);
for (const [k, v] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20))
  console.log(`${k.padEnd(40)} ${v.ms.toFixed(0).padStart(6)} ms  ${v.calls} calls`);
prefix.dispose();
model.dispose();
