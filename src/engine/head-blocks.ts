// How many rows the lm_head's target pass (target-log-probs.ts) takes at a
// time. Tensor-free, so the memory estimate (memory.ts, which the page uses)
// can count the same blocks without importing tfjs.

/** Bytes one block's [rows, vocab] float32 temporaries may take. */
export const DEFAULT_BLOCK_BYTES = 16 * 1024 * 1024;

/** Rows per block so that one [rows, vocab] float32 tensor stays within `blockBytes` (at least 1). */
export function rowsPerBlock(vocab: number, blockBytes = DEFAULT_BLOCK_BYTES): number {
  return Math.max(1, Math.floor(blockBytes / (vocab * 4)));
}
