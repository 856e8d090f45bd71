// Where a patch's n vectors start. Prompt-tuning results depend strongly on
// the start: vectors far off the embedding manifold train slowly, and the
// paper's "semantic" start (the embeddings of an instruction the base model
// already understands) can steer before any training.
import { Rng } from '../engine/rng';
import { tf } from '../engine/tf';
import type { TextTokenizer } from '../engine/types';
import type { PatchInit } from './init-text';

export { DEFAULT_INIT_TEXT, type PatchInit } from './init-text';

export interface PatchInitContext {
  /** The frozen input embedding matrix [vocab, hidden]; not disposed here. */
  embeddings: tf.Tensor2D;
  /** Number of virtual tokens. */
  n: number;
  seed: number;
  /** Needed for `text` only. */
  tokenizer?: Pick<TextTokenizer, 'encode'>;
}

/**
 * Returns the patch rows [n, hidden], row-major. Async because it reads
 * tensors with data(): a synchronous read returned zeros on WebGPU in a worker.
 */
export async function initPatch(init: PatchInit, ctx: PatchInitContext): Promise<Float32Array> {
  const { embeddings, n } = ctx;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`patch length must be a positive integer, got ${n}`);
  switch (init.kind) {
    case 'random':
      return randomRows(embeddings, n, new Rng(ctx.seed));
    case 'vocab':
      return gatherRows(embeddings, distinctIndices(embeddings.shape[0], n, new Rng(ctx.seed)));
    case 'text': {
      if (!ctx.tokenizer) throw new Error('a tokenizer is needed to initialise a patch from text');
      // No BOS/EOS: the patch is spliced in front of a prompt that brings its own.
      const ids = ctx.tokenizer.encode(init.text, { addSpecialTokens: false });
      if (ids.length === 0) throw new Error('the patch init text encodes to no tokens');
      return gatherRows(embeddings, cycleTo(ids, n));
    }
  }
}

/** ids repeated (cycled) or truncated to exactly n entries. */
export function cycleTo(ids: number[], n: number): number[] {
  return Array.from({ length: n }, (_, i) => ids[i % ids.length]);
}

/** Mean L2 norm of the rows of the embedding matrix. */
export async function meanRowNorm(embeddings: tf.Tensor2D): Promise<number> {
  return (await readAndDispose(tf.tidy(() => embeddings.square().sum(1).sqrt().mean())))[0];
}

/** Reads a tensor made for the purpose back to the CPU, then frees it. */
async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/**
 * Each row is a standard normal vector normalised to exactly the embedding
 * matrix's mean row norm: real token embeddings live at a typical scale, and a
 * prefix much larger or smaller than that dominates or vanishes under the
 * first RMS/LayerNorm's relative weighting against the prompt's own tokens.
 * Exact (not just expected) norm keeps every row on that scale even for tiny
 * hidden sizes, where a Gaussian's norm varies a lot.
 */
async function randomRows(embeddings: tf.Tensor2D, n: number, rng: Rng): Promise<Float32Array> {
  const hidden = embeddings.shape[1];
  const target = await meanRowNorm(embeddings);
  const out = new Float32Array(n * hidden);
  for (let r = 0; r < n; r++) {
    const row = Array.from({ length: hidden }, () => rng.normal());
    const norm = Math.sqrt(row.reduce((s, x) => s + x * x, 0)) || 1;
    for (let c = 0; c < hidden; c++) out[r * hidden + c] = (row[c] / norm) * target;
  }
  return out;
}

/** n distinct indices in [0, size) when n <= size; with repeats (each used as evenly as possible) otherwise. */
function distinctIndices(size: number, n: number, rng: Rng): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const perm = rng.shuffle(Array.from({ length: size }, (_, i) => i));
    out.push(...perm.slice(0, n - out.length));
  }
  return out;
}

async function gatherRows(embeddings: tf.Tensor2D, ids: number[]): Promise<Float32Array> {
  const vocab = embeddings.shape[0];
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= vocab) {
      throw new Error(`token id ${id} is outside the embedding matrix (vocab ${vocab})`);
    }
  }
  return readAndDispose(tf.tidy(() => tf.gather(embeddings, tf.tensor1d(ids, 'int32'))));
}
