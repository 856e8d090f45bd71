// Choosing the next token from one row of logits: greedy, or temperature +
// top-k + top-p sampling with the lab's seeded Rng (so a seed reproduces a
// generation exactly).
import type { Rng } from './rng';
import type { SamplingOptions } from './types';

export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/** Samples one token id. temperature 0 = greedy; topK 0 = off; topP 1 = off. */
export function sampleToken(
  logits: ArrayLike<number>,
  opts: Pick<SamplingOptions, 'temperature' | 'topK' | 'topP'>,
  rng: Rng,
): number {
  if (opts.temperature <= 0) return argmax(logits);
  const ids = Array.from({ length: logits.length }, (_, i) => i);
  ids.sort((a, b) => logits[b] - logits[a]);
  const k = opts.topK > 0 ? Math.min(opts.topK, ids.length) : ids.length;
  const top = ids.slice(0, k);
  const max = logits[top[0]];
  const weights = top.map((i) => Math.exp((logits[i] - max) / opts.temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  // Nucleus: the smallest head of the sorted list whose mass reaches topP (at least one token).
  let keep = top.length;
  if (opts.topP < 1) {
    let cum = 0;
    for (let j = 0; j < top.length; j++) {
      cum += weights[j] / total;
      if (cum >= opts.topP) {
        keep = j + 1;
        break;
      }
    }
  }
  const kept = weights.slice(0, keep);
  const keptTotal = kept.reduce((a, b) => a + b, 0);
  let u = rng.next() * keptTotal;
  for (let j = 0; j < keep; j++) {
    u -= kept[j];
    if (u < 0) return top[j];
  }
  return top[keep - 1];
}
