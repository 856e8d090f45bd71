// Estimate (engine/memory.ts) beside the measured peak of one prefix-training
// step (forward + backward, per data buffer, engine/peak-bytes.ts) and the
// wasm heap it grew to, on SmolLM2-135M-shaped random weights:
//   node --import tsx --import ./scripts/extensionless-resolve.mjs scripts/bench/memory-peak.ts \
//     '{"batch":4,"ckpt":true}'   # also "prompt", "answer", "prefix", "backend", "config" overrides,
//     and "autograd":true for the tape through every op (ForwardOptions.autogradLayers)
// Run one shape per process: the wasm heap never shrinks, so its size is the
// high-water mark of that shape only in a fresh process.
import { useBackend } from '../../src/engine/backends';
import { parseModelConfig } from '../../src/engine/config';
import { createLlamaModel, initRandomLlamaWeights } from '../../src/engine/llama';
import { estimateModelMemory } from '../../src/engine/memory';
import { trackPeakBytes } from '../../src/engine/peak-bytes';
import { Rng } from '../../src/engine/rng';
import { continuationTokenNll } from '../../src/engine/score';
import { SMOLLM2_135M_CONFIG } from '../../src/engine/testing/smollm2-135m';
import { tf } from '../../src/engine/tf';

interface Args {
  backend?: 'wasm' | 'cpu';
  config?: Record<string, unknown>;
  batch?: number;
  prompt?: number;
  answer?: number;
  prefix?: number;
  ckpt?: boolean;
  autograd?: boolean;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
await useBackend(args.backend ?? 'wasm');
const cfg = parseModelConfig({ ...SMOLLM2_135M_CONFIG, ...(args.config ?? {}) });
const model = createLlamaModel(cfg, initRandomLlamaWeights(cfg, 1));
const [B, P, A, n] = [args.batch ?? 1, args.prompt ?? 64, args.answer ?? 64, args.prefix ?? 50];
const rng = new Rng(1);
const ids = (k: number) => Array.from({ length: k }, () => 1 + rng.int(cfg.vocabSize - 1));
const batch = {
  prompts: Array.from({ length: B }, () => ids(P)),
  continuations: Array.from({ length: B }, () => ids(A)),
};
const prefix = tf.variable(tf.randomNormal([n, cfg.hiddenSize], 0, 0.02) as tf.Tensor2D);
const t0 = performance.now();
const { peakBytes, startBytes } = await trackPeakBytes(async () => {
  const { value, grads } = tf.variableGrads(
    () =>
      continuationTokenNll(model, batch, prefix, {
        checkpointLayers: !!args.ckpt,
        autogradLayers: !!args.autograd,
      }),
    [prefix],
  );
  await grads[prefix.name].data();
  tf.dispose([value, ...Object.values(grads)]);
});
const seconds = (performance.now() - t0) / 1000;
const estimate = estimateModelMemory(cfg, {
  batch: B,
  sequenceTokens: P + A,
  prefixTokens: n,
  newTokens: 0,
  answerTokens: A,
  checkpointLayers: !!args.ckpt,
}).trainingBytes;
const wasmHeap = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8
  .byteLength;
const MiB = (x: number | undefined) => (x === undefined ? null : Math.round(x / 2 ** 20));
console.log(
  JSON.stringify({
    ...args,
    weightsMiB: MiB(startBytes),
    measuredPeakMiB: MiB(peakBytes),
    estimateMiB: MiB(estimate),
    estimateError: `${(((estimate - peakBytes) / peakBytes) * 100).toFixed(1)} %`,
    wasmHeapMiB: MiB(wasmHeap),
    stepSeconds: Number(seconds.toFixed(1)),
  }),
);
prefix.dispose();
model.dispose();
