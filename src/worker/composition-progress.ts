// One progress bar for a job made of several evaluations (the composition
// report): its units are the rows every evaluation processes (generated
// samples, log-prob and fluency rows; eval-run.ts evaluationUnits), times the
// evaluations that really run. Cached evaluations cost nothing and are not
// counted, so the bar neither jumps ahead nor restarts between evaluations,
// and the pace (hence the ETA) is the pace of real work. `done` never goes
// back, whatever an evaluation reports.

export class JobProgress {
  /** Units of the whole job; at least 1 so an all-cached job still reads 0 → 1. */
  readonly total: number;
  private started = 0;
  private offset = 0;
  private doneSoFar = 0;

  constructor(
    private readonly unitsEach: number,
    readonly evaluations: number,
  ) {
    this.total = Math.max(1, unitsEach * evaluations);
  }

  /** Starts the next evaluation that runs; returns its 1-based number among those. */
  begin(): number {
    this.offset = Math.min(this.started, this.evaluations) * this.unitsEach;
    this.started++;
    return this.started;
  }

  /** The job's units done after the current evaluation reported `rows` rows. */
  rows(rows: number): number {
    const within = Math.min(Math.max(0, rows), this.unitsEach);
    this.doneSoFar = Math.max(this.doneSoFar, Math.min(this.total, this.offset + within));
    return this.doneSoFar;
  }

  get done(): number {
    return this.doneSoFar;
  }

  /** Everything done (also when nothing had to run). */
  finish(): number {
    this.doneSoFar = this.total;
    return this.total;
  }
}
