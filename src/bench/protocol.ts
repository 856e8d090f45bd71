// Messages between the bench page (bench.html), its worker and the Node driver
// (scripts/bench-browser.ts). One page load measures one task on one backend.
import type { BenchPhase, ModelBenchResult } from './measure';

export type BenchTask = 'matmul' | 'demo' | 'smollm2';

export interface BenchRequest {
  backend: string;
  task: BenchTask;
  reps: number;
  /** Seconds of matmul repetitions. */
  matmulSeconds: number;
  /** The app's base URL, for the embedded demo model. */
  baseUrl: string;
}

export type BenchEvent =
  | {
      type: 'progress';
      phase: BenchPhase | 'backend' | 'load' | 'matmul';
      partial?: ModelBenchResult;
    }
  | {
      type: 'result';
      adapter?: string;
      loadSeconds?: number;
      gflops?: number;
      result?: ModelBenchResult;
    }
  | { type: 'error'; error: string; partial?: ModelBenchResult };
