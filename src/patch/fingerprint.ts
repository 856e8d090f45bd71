// A short identity for a base model's input embedding matrix, so a patch can
// refuse a base it was not trained for even when the ids in two manifests
// agree (a re-upload, a fine-tune under the same name) or disagree only in
// spelling (a local folder vs. the hub id). The exact algorithm is specified
// in docs/PATCH_FORMAT.md ("Base fingerprint"); change it only together with
// the "emb1" prefix.

import { sha256Hex } from './hash';

const HEAD_ROWS = 64;
const SPREAD_ROWS = 64;
/** Values are compared at this resolution so backend float noise below it cannot matter. */
const QUANTUM = 1e-4;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * The sampled row indices, ascending and without duplicates: rows
 * 0..min(64, vocab)-1, plus the midpoints floor((2k+1)·vocab/128) of 64
 * equal bins, k = 0..63. Cheap (≤128 rows) whatever the vocabulary size.
 */
export function fingerprintRows(vocab: number): number[] {
  const rows = new Set<number>();
  for (let r = 0; r < Math.min(HEAD_ROWS, vocab); r++) rows.add(r);
  for (let k = 0; k < SPREAD_ROWS; k++) {
    rows.add(Math.floor(((2 * k + 1) * vocab) / (2 * SPREAD_ROWS)));
  }
  return [...rows].filter((r) => r < vocab).sort((a, b) => a - b);
}

/** One value as the fingerprint sees it: float32, then an integer count of 1e-4 steps. */
export function quantise(v: number): number {
  const f = Math.fround(v);
  if (Number.isNaN(f)) return INT32_MIN;
  const q = Math.round(f / QUANTUM);
  // +0 for -0 so the two zeros agree; clamp so huge values stay representable.
  return q === 0 ? 0 : Math.max(INT32_MIN + 1, Math.min(INT32_MAX, q));
}

/**
 * "emb1:<vocab>x<hidden>:<first 16 hex of SHA-256>" of the ASCII line
 * "emb1:<vocab>x<hidden>\n" followed by the quantised sampled rows as int32
 * little-endian, row by row, all columns.
 */
export async function fingerprintEmbeddings(
  matrix: Float32Array,
  vocab: number,
  hidden: number,
): Promise<string> {
  if (!Number.isSafeInteger(vocab) || vocab < 1 || !Number.isSafeInteger(hidden) || hidden < 1) {
    throw new Error(
      `fingerprintEmbeddings: vocab and hidden must be positive integers, got ${vocab}x${hidden}`,
    );
  }
  if (matrix.length !== vocab * hidden) {
    throw new Error(
      `fingerprintEmbeddings: matrix has ${matrix.length} values, a ${vocab}x${hidden} matrix has ${vocab * hidden}`,
    );
  }
  const dims = `emb1:${vocab}x${hidden}`;
  const prefix = new TextEncoder().encode(`${dims}\n`);
  const rows = fingerprintRows(vocab);
  const buf = new Uint8Array(prefix.length + rows.length * hidden * 4);
  buf.set(prefix, 0);
  const view = new DataView(buf.buffer);
  let pos = prefix.length;
  for (const r of rows) {
    const base = r * hidden;
    for (let c = 0; c < hidden; c++) {
      view.setInt32(pos, quantise(matrix[base + c]), true);
      pos += 4;
    }
  }
  const hex = await sha256Hex(buf);
  return `${dims}:${hex.slice(0, 16)}`;
}
