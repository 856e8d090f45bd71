// The wasm Slice/SplitV replacements (wasm-slice.ts): the same elements as
// the cpu backend's kernels for every kind of slice, and no copy of the whole
// input (tfjs's own read it out of the heap with readSync on every call).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backends';
import { Rng } from './rng';
import { tf } from './tf';

interface Case {
  shape: number[];
  begin: number[];
  size: number[];
}

const SLICES: Case[] = [
  { shape: [10], begin: [3], size: [4] },
  { shape: [6, 5], begin: [2, 0], size: [3, 5] }, // whole rows: one run
  { shape: [6, 5], begin: [1, 2], size: [4, 2] }, // a window
  { shape: [3, 4, 6], begin: [1, 0, 3], size: [2, 4, 3] },
  { shape: [2, 3, 4, 8], begin: [0, 0, 0, 4], size: [2, 3, 4, 4] }, // RoPE's half split
  { shape: [2, 3, 4, 5, 2], begin: [1, 1, 0, 2, 0], size: [1, 2, 4, 3, 2] }, // rank 5
  { shape: [4, 3], begin: [2, 1], size: [0, 2] }, // empty
];

const SPLITS: { shape: number[]; parts: number | number[]; axis: number }[] = [
  { shape: [12, 7], parts: 4, axis: 0 }, // batchMatMul's split
  { shape: [2, 3, 4, 8], parts: 2, axis: 3 },
  { shape: [5, 6, 3], parts: [1, 3, 2], axis: 1 },
];

function randomData(shape: number[], seed: number): Float32Array {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** Runs f on a backend and returns every output's values. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Float32Array[][]> {
  expect(await useBackend(backend)).toEqual({ ok: true });
  return tf.tidy(() => f().map((t) => [t.dataSync() as Float32Array, Float32Array.from(t.shape)]));
}

describe('wasm Slice and SplitV read their input in place', () => {
  afterAll(async () => {
    await useBackend('wasm');
  });

  it.each(SLICES)('slice of $shape at $begin size $size equals the cpu kernel', async (c) => {
    const data = randomData(c.shape, c.shape.length);
    const f = () => [tf.slice(tf.tensor(data, c.shape), c.begin, c.size)];
    const cpu = await on('cpu', f);
    const wasm = await on('wasm', f);
    expect(wasm).toEqual(cpu);
    expect(wasm[0][0].length).toBe(c.size.reduce((a, b) => a * b, 1));
  });

  it.each(SPLITS)('split of $shape into $parts along $axis equals the cpu kernel', async (c) => {
    const data = randomData(c.shape, 9);
    const f = () => tf.split(tf.tensor(data, c.shape), c.parts, c.axis);
    expect(await on('wasm', f)).toEqual(await on('cpu', f));
  });

  it('int32 and bool slices too', async () => {
    const f = () => [
      tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), [0, 1], [2, 2]),
      tf.slice(tf.tensor2d([1, 0, 1, 1, 0, 0], [2, 3], 'bool'), [1, 0], [1, 3]),
    ];
    expect(await on('wasm', f)).toEqual(await on('cpu', f));
  });

  describe('on wasm', () => {
    beforeAll(async () => {
      expect(await useBackend('wasm')).toEqual({ ok: true });
    });

    it('never reads the whole input out of the heap', () => {
      const backend = tf.backend() as unknown as { readSync: (...a: unknown[]) => unknown };
      const original = backend.readSync;
      let reads = 0;
      backend.readSync = function (this: unknown, ...a: unknown[]) {
        reads++;
        return original.apply(this, a);
      };
      try {
        tf.tidy(() => {
          const x = tf.tensor(randomData([12, 64], 3), [12, 64]);
          tf.split(x, 12, 0);
          tf.slice(x, [2, 8], [3, 16]);
        });
      } finally {
        backend.readSync = original;
      }
      expect(reads).toBe(0);
    });
  });
});
