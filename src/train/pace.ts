// Time left at the pace so far, and how it reads: one formula and one
// wording for every long phase (collecting, training, evaluating), on the
// worker and on the page. Tensor-free.

/**
 * Seconds left at the pace so far: `elapsedMs` for `done` of `total` units.
 * Null before the first unit (no pace yet) or without a total.
 */
export function etaFromPace(elapsedMs: number, done: number, total: number): number | null {
  if (done <= 0 || total <= 0 || elapsedMs < 0) return null;
  return ((total - Math.min(done, total)) * elapsedMs) / done / 1000;
}

/** "42 s", "3 min 5 s"; "—" when unknown. */
export function formatEta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  if (s < 60) return `${Math.round(s)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
