// The thread bridge on the real tfjs-backend-wasm in Node: the threaded binary
// starts with the asked-for pool, computes what the single-threaded cpu
// backend computes, and a script using it exits on its own, cleaning up.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useBackend, wasmThreads } from './backends';
import { createLlamaModel, initRandomLlamaWeights } from './llama';
import { tf } from './tf';
import type { ModelConfig } from './types';

const run = promisify(execFile);

const config: ModelConfig = {
  modelType: 'llama',
  vocabSize: 96,
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 4,
  numKvHeads: 2,
  headDim: 16,
  intermediateSize: 160,
  maxPositions: 128,
  normEps: 1e-5,
  ropeTheta: 10000,
  ropeScaling: null,
  tieWordEmbeddings: true,
  attentionBias: false,
  bosTokenId: 1,
  eosTokenIds: [2],
  padTokenId: null,
};

/** Loss and input gradient of a tiny Llama on the current backend. */
function lossAndGrad(): { loss: number; grad: Float32Array; product: Float32Array } {
  const model = createLlamaModel(config, initRandomLlamaWeights(config, 7));
  const ids = tf.tensor2d([[3, 9, 27, 81, 5, 15, 45, 40]], [1, 8], 'int32');
  const x = model.embed(ids);
  const f = (e: tf.Tensor) => tf.sum(tf.square(model.forward(e as tf.Tensor3D).logits));
  const { value, grad } = tf.valueAndGrad(f)(x);
  // A product large enough for XNNPACK to split it over the pool.
  const a = tf.tensor2d(
    Float32Array.from({ length: 256 * 192 }, (_, i) => Math.sin(i)),
    [256, 192],
  );
  const b = tf.tensor2d(
    Float32Array.from({ length: 192 * 256 }, (_, i) => Math.cos(i)),
    [192, 256],
  );
  const out = {
    loss: value.dataSync()[0],
    grad: grad.dataSync() as Float32Array,
    product: tf.matMul(a, b).dataSync() as Float32Array,
  };
  tf.dispose([ids, x, value, grad, a, b]);
  model.dispose();
  return out;
}

function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

describe('tfjs-wasm threads in Node', () => {
  it('starts the threaded binary with 2 threads and computes what cpu computes', async () => {
    process.env.PATCH_LAB_WASM_THREADS = '2';
    expect(await useBackend('wasm')).toEqual({ ok: true });
    expect(wasmThreads()).toEqual({
      count: 2,
      reason: '2 threads in Node: PATCH_LAB_WASM_THREADS=2.',
    });
    const threaded = lossAndGrad();
    expect((await useBackend('cpu')).ok).toBe(true);
    expect(wasmThreads()).toBeNull();
    const cpu = lossAndGrad();
    expect(Math.abs(threaded.loss - cpu.loss) / cpu.loss).toBeLessThan(1e-5);
    expect(relErr(threaded.grad, cpu.grad)).toBeLessThan(1e-4);
    expect(relErr(threaded.product, cpu.product)).toBeLessThan(1e-5);
  });

  it('lets a threaded script exit by itself and removes its temporary file', async () => {
    const script = [
      "import { useBackend, wasmThreads } from './src/engine/backends';",
      "import { tf } from './src/engine/tf';",
      "await useBackend('wasm');",
      'const a = tf.ones([512, 512]);',
      'console.log(JSON.stringify({ threads: wasmThreads()?.count, sum: tf.sum(tf.matMul(a, a)).dataSync()[0], pid: process.pid }));',
    ].join('\n');
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './scripts/extensionless-resolve.mjs',
        '--input-type=module',
        '-e',
        script,
      ],
      { env: { ...process.env, PATCH_LAB_WASM_THREADS: '2' }, timeout: 60_000 },
    );
    const out = JSON.parse(stdout.trim().split('\n').pop() as string);
    expect(out.threads).toBe(2);
    expect(out.sum).toBe(512 * 512 * 512);
    expect(existsSync(join(tmpdir(), `patch-lab-tfjs-wasm-threaded-${out.pid}.js`))).toBe(false);
  });
});
