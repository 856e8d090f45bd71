// Turning ragged token lists into rectangular batches. Generation pads on
// the left (every row's last token is at the same column, so one step
// appends one column); scoring pads on the right (pads come after every real
// token, so causality alone keeps them out, and no attention mask is needed).
import type { CausalLM } from './types';

function checkIds(model: CausalLM, rows: number[][], what: string): void {
  const v = model.config.vocabSize;
  rows.forEach((row, r) => {
    for (const id of row) {
      if (!Number.isInteger(id) || id < 0 || id >= v) {
        throw new Error(
          `${what} ${r} contains token id ${id}, outside the model's vocabulary [0, ${v})`,
        );
      }
    }
  });
}

export interface LeftPaddedBatch {
  /** [B, maxLen] token ids, padded with 0 on the left. */
  ids: Int32Array;
  maxLen: number;
  /** [B, prefixLen + maxLen]: 1 for prefix rows and real tokens, 0 for pads. */
  mask: Float32Array;
  /** [B, prefixLen + maxLen]: position of each column, counting real columns only (HF: cumsum(mask) - 1). */
  positions: Float32Array;
  /** Per row: the position the next token will take. */
  nextPosition: number[];
}

/** Layout per row: [prefix][pads][prompt], so the prefix and prompt get the same positions as unpadded. */
export function leftPad(model: CausalLM, prompts: number[][], prefixLen: number): LeftPaddedBatch {
  if (prompts.length === 0) throw new Error('no prompts given');
  prompts.forEach((p, r) => {
    if (p.length === 0)
      throw new Error(`prompt ${r} is empty; every prompt needs at least one token`);
  });
  checkIds(model, prompts, 'prompt');
  const b = prompts.length;
  const maxLen = Math.max(...prompts.map((p) => p.length));
  const total = prefixLen + maxLen;
  const ids = new Int32Array(b * maxLen);
  const mask = new Float32Array(b * total);
  const positions = new Float32Array(b * total);
  const nextPosition: number[] = [];
  for (let r = 0; r < b; r++) {
    const p = prompts[r];
    const pad = maxLen - p.length;
    ids.set(p, r * maxLen + pad);
    let pos = 0;
    for (let c = 0; c < total; c++) {
      const real = c < prefixLen || c >= prefixLen + pad;
      mask[r * total + c] = real ? 1 : 0;
      positions[r * total + c] = real ? pos++ : 0;
    }
    nextPosition.push(pos);
  }
  return { ids, maxLen, mask, positions, nextPosition };
}

export interface RightPaddedBatch {
  /** [B, T] ids: [prompt][continuation][pad 0s]. */
  ids: Int32Array;
  T: number;
  /** First column (in prefix+token coordinates) whose logits predict a continuation token. */
  start: number;
  /** Number of predictor columns scored, from `start`. */
  span: number;
  /** [B, span]: the continuation token each predictor column predicts (0 where unused). */
  targets: Int32Array;
  /** [B, span]: 1 where the column predicts a continuation token. */
  weights: Float32Array;
  /** Continuation lengths. */
  tokenCount: number[];
}

/** Builds [prefix][prompt][continuation][pad] rows and the targets of each continuation token. */
export function rightPad(
  model: CausalLM,
  prompts: number[][],
  continuations: number[][],
  prefixLen: number,
): RightPaddedBatch {
  if (prompts.length !== continuations.length) {
    throw new Error(`${prompts.length} prompts but ${continuations.length} continuations`);
  }
  if (prompts.length === 0) throw new Error('no prompts given');
  checkIds(model, prompts, 'prompt');
  checkIds(model, continuations, 'continuation');
  prompts.forEach((p, r) => {
    // The first continuation token must be predicted by something.
    if (p.length === 0 && prefixLen === 0) {
      throw new Error(
        `prompt ${r} is empty and there is no prefix: nothing predicts the first continuation token`,
      );
    }
  });
  const b = prompts.length;
  const T = Math.max(...prompts.map((p, r) => p.length + continuations[r].length));
  const start = prefixLen + Math.min(...prompts.map((p) => p.length)) - 1;
  const end = prefixLen + T - 1; // the last column never predicts anything inside the row
  const span = Math.max(1, end - start);
  const ids = new Int32Array(b * T);
  const targets = new Int32Array(b * span);
  const weights = new Float32Array(b * span);
  for (let r = 0; r < b; r++) {
    const p = prompts[r];
    const c = continuations[r];
    ids.set(p, r * T);
    ids.set(c, r * T + p.length);
    for (let j = 0; j < c.length; j++) {
      const col = prefixLen + p.length - 1 + j - start;
      targets[r * span + col] = c[j];
      weights[r * span + col] = 1;
    }
  }
  return { ids, T, start, span, targets, weights, tokenCount: continuations.map((c) => c.length) };
}
