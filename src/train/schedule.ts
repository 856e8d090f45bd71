// Learning-rate schedule of one training stage: linear warmup from 0 to the
// peak, then cosine or linear decay to minRatio × peak at the stage's last
// step, or constant. Warmup matters for prompt tuning: Adam's first steps have
// unit-sized updates whatever the gradient scale, which can throw a freshly
// initialised patch far off the embedding manifold.

export type DecayKind = 'cosine' | 'linear' | 'constant';

export interface LrSchedule {
  peak: number;
  warmupSteps: number;
  totalSteps: number;
  decay: DecayKind;
  /** Final lr as a fraction of the peak (0 = decay to zero). */
  minRatio: number;
}

/** Learning rate for update number `step` (0-based) of a stage. */
export function lrAt(s: LrSchedule, step: number): number {
  if (step < s.warmupSteps) return (s.peak * (step + 1)) / s.warmupSteps;
  if (s.decay === 'constant') return s.peak;
  const span = s.totalSteps - s.warmupSteps - 1;
  // Progress through the decay phase, 0 at its first step, 1 at the stage's last.
  const p = span <= 0 ? 1 : Math.min(1, (step - s.warmupSteps) / span);
  const floor = s.peak * s.minRatio;
  const shape = s.decay === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * p)) : 1 - p;
  return floor + (s.peak - floor) * shape;
}
