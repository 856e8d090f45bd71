// Gradient clipping by global L2 norm. Clipping keeps one unlucky batch (a
// long rejected answer with a huge log-prob gap) from undoing a run; the
// norm before clipping is what the chart shows.

/** L2 norm over all parts, accumulated in float64. */
export function globalNorm(parts: Float32Array[]): number {
  let s = 0;
  for (const g of parts) for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s);
}

/**
 * Scales every part in place by min(1, maxNorm / norm), and returns the norm
 * before clipping. maxNorm ≤ 0 or Infinity disables clipping.
 */
export function clipByGlobalNorm(parts: Float32Array[], maxNorm: number): number {
  const norm = globalNorm(parts);
  if (maxNorm > 0 && Number.isFinite(maxNorm) && norm > maxNorm) {
    const scale = maxNorm / norm;
    for (const g of parts) for (let i = 0; i < g.length; i++) g[i] *= scale;
  }
  return norm;
}
