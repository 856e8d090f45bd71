import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import { tf } from '../engine/tf';
import { cycleTo, DEFAULT_INIT_TEXT, initPatch, meanRowNorm } from './init';

// A 4-word vocabulary, hidden size 2. Row norms: 1, 2, 5, 4 → mean 3.
const E = [
  [1, 0],
  [0, 2],
  [3, 4],
  [0, -4],
];
// A toy tokenizer over words "be"=0 "kind"=1 "and"=2 "safe"=3.
const WORDS = ['be', 'kind', 'and', 'safe'];
const tokenizer = {
  encode: (text: string, options?: { addSpecialTokens?: boolean }) => {
    if (options?.addSpecialTokens !== false) throw new Error('init must not add BOS/EOS');
    return text.split(' ').map((w) => WORDS.indexOf(w));
  },
};

function rows(x: Float32Array, hidden: number): number[][] {
  return Array.from({ length: x.length / hidden }, (_, r) =>
    Array.from(x.subarray(r * hidden, (r + 1) * hidden)),
  );
}

describe('initPatch', () => {
  let emb: tf.Tensor2D;
  beforeAll(async () => {
    await useBackend('cpu');
    emb = tf.tensor2d(E);
  });

  it('measures the mean row norm by hand: (1 + 2 + 5 + 4) / 4 = 3, and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    expect(await meanRowNorm(emb)).toBeCloseTo(3, 6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('random: every row has exactly the mean row norm, same seed same rows, other seed other rows', async () => {
    const a = await initPatch({ kind: 'random' }, { embeddings: emb, n: 5, seed: 7 });
    expect(a.length).toBe(10);
    for (const [x, y] of rows(a, 2)) expect(Math.hypot(x, y)).toBeCloseTo(3, 5);
    expect(await initPatch({ kind: 'random' }, { embeddings: emb, n: 5, seed: 7 })).toEqual(a);
    expect(await initPatch({ kind: 'random' }, { embeddings: emb, n: 5, seed: 8 })).not.toEqual(a);
    // Directions differ between rows (not one vector copied n times).
    const r = rows(a, 2);
    expect(r[0]).not.toEqual(r[1]);
  });

  it('text: embeddings of the instruction tokens, cycled to n', async () => {
    // "kind and safe" → ids 1, 2, 3 → cycled to 5: 1 2 3 1 2
    const before = tf.memory().numTensors;
    const p = await initPatch(
      { kind: 'text', text: 'kind and safe' },
      { embeddings: emb, n: 5, seed: 0, tokenizer },
    );
    expect(rows(p, 2)).toEqual([E[1], E[2], E[3], E[1], E[2]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('text: truncated when longer than n', async () => {
    const p = await initPatch(
      { kind: 'text', text: 'safe be kind and' },
      { embeddings: emb, n: 2, seed: 0, tokenizer },
    );
    expect(rows(p, 2)).toEqual([E[3], E[0]]);
  });

  it('text: refuses without a tokenizer, with empty text, or with ids outside the vocab', async () => {
    await expect(
      initPatch({ kind: 'text', text: 'be' }, { embeddings: emb, n: 2, seed: 0 }),
    ).rejects.toThrow(/tokenizer/);
    const empty = { encode: () => [] as number[] };
    await expect(
      initPatch({ kind: 'text', text: '' }, { embeddings: emb, n: 2, seed: 0, tokenizer: empty }),
    ).rejects.toThrow(/no tokens/);
    await expect(
      initPatch({ kind: 'text', text: 'oops' }, { embeddings: emb, n: 2, seed: 0, tokenizer }),
    ).rejects.toThrow(/outside/);
  });

  it('vocab: n distinct rows of E when n <= vocab; every row used once per pass otherwise', async () => {
    const p = rows(await initPatch({ kind: 'vocab' }, { embeddings: emb, n: 3, seed: 3 }), 2);
    const idx = p.map((r) => E.findIndex((e) => e[0] === r[0] && e[1] === r[1]));
    expect(idx.every((i) => i >= 0)).toBe(true);
    expect(new Set(idx).size).toBe(3);

    const q = rows(await initPatch({ kind: 'vocab' }, { embeddings: emb, n: 8, seed: 3 }), 2);
    const jdx = q.map((r) => E.findIndex((e) => e[0] === r[0] && e[1] === r[1]));
    expect(new Set(jdx.slice(0, 4)).size).toBe(4);
    expect(new Set(jdx.slice(4)).size).toBe(4);
  });

  it('rejects a non-positive length', async () => {
    await expect(initPatch({ kind: 'vocab' }, { embeddings: emb, n: 0, seed: 0 })).rejects.toThrow(
      /positive integer/,
    );
  });

  it('cycleTo and the default text', () => {
    expect(cycleTo([4, 5], 5)).toEqual([4, 5, 4, 5, 4]);
    expect(DEFAULT_INIT_TEXT.length).toBeGreaterThan(10);
  });
});
