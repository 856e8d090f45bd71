// One tally per fuzzed door, shared by every *.fuzz.test.ts: how many
// variants were tried, how many were cleanly rejected, how many accepted
// unchanged, and the defects (anything else), with the slowest variant and
// the peak memory over the baseline. A test asserts on it; with FUZZ_REPORT
// set it also appends one JSON line to that file, which scripts/fuzz/run.ts
// prints as the per-door table of `npm run fuzz`.
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Variants per case: a few hundred by default (seconds); FUZZ_VARIANTS for a long run. */
export function fuzzVariants(fallback: number): number {
  const n = Number(process.env.FUZZ_VARIANTS ?? fallback);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export interface DoorReport {
  door: string;
  variants: number;
  rejected: number;
  accepted: number;
  defects: number;
  /** The first few defects, each "mutation #i: what went wrong". */
  defectExamples: string[];
  slowestMs: number;
  /** Peak of heap + array buffers over the value before the first variant (an upper bound: no GC is forced). */
  peakMemoryMb: number;
}

const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

export class FuzzTally {
  private readonly report: DoorReport;
  private readonly baseline = memory();

  constructor(door: string) {
    this.report = {
      door,
      variants: 0,
      rejected: 0,
      accepted: 0,
      defects: 0,
      defectExamples: [],
      slowestMs: 0,
      peakMemoryMb: 0,
    };
  }

  /** Runs one variant, timing it and sampling memory after it. */
  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.report.slowestMs = Math.max(this.report.slowestMs, performance.now() - t0);
      const mb = (memory() - this.baseline) / 2 ** 20;
      this.report.peakMemoryMb = Math.max(this.report.peakMemoryMb, mb);
    }
  }

  rejected(): void {
    this.report.variants++;
    this.report.rejected++;
  }

  accepted(): void {
    this.report.variants++;
    this.report.accepted++;
  }

  defect(what: string): void {
    this.report.variants++;
    this.report.defects++;
    if (this.report.defectExamples.length < 5) this.report.defectExamples.push(what);
  }

  /** The tally so far; appended to FUZZ_REPORT (one JSON line) when that is set. */
  finish(): DoorReport {
    const out = {
      ...this.report,
      slowestMs: Math.round(this.report.slowestMs),
      peakMemoryMb: Math.round(this.report.peakMemoryMb),
    };
    if (process.env.FUZZ_REPORT)
      appendFileSync(process.env.FUZZ_REPORT, `${JSON.stringify(out)}\n`);
    return out;
  }
}

/** An error our code raised on purpose: an Error or a subclass of ours, not a raw TypeError/RangeError from a bug. */
export function isCleanError(e: unknown): e is Error {
  return (
    e instanceof Error &&
    !(e instanceof TypeError) &&
    !(e instanceof RangeError) &&
    !(e instanceof ReferenceError) &&
    !(e instanceof SyntaxError) &&
    e.message.trim().length > 0
  );
}
