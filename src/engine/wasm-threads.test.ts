import { describe, expect, it } from 'vitest';
import { useBackend, wasmThreads } from './backends';
import { planWasmThreads } from './wasm-threads';

const page = (hardwareConcurrency: number, crossOriginIsolated = true) => ({
  isNode: false,
  crossOriginIsolated,
  hardwareConcurrency,
});

describe('planWasmThreads', () => {
  it("follows tfjs-wasm's pool rule as measured in Chromium: half the logical cores, 1 to 4", () => {
    // Measured with navigator.hardwareConcurrency overridden (docs/BENCHMARKS.md, Threads):
    // 2 → 1, 4 → 2, 8 → 4 threads.
    expect([1, 2, 3, 4, 8, 16].map((n) => planWasmThreads(page(n)).expectedThreads)).toEqual([
      1, 1, 1, 2, 4, 4,
    ]);
    expect(planWasmThreads(page(4))).toEqual({
      threaded: true,
      expectedThreads: 2,
      reason: '2 threads: tfjs-wasm uses half of the 4 logical cores, at most 4.',
    });
  });

  it('keeps the single-thread binary where threads cannot run, and says why', () => {
    const isolatedNot = planWasmThreads(page(8, false));
    expect(isolatedNot.threaded).toBe(false);
    expect(isolatedNot.reason).toContain('not cross-origin isolated');
    const node = planWasmThreads({
      isNode: true,
      crossOriginIsolated: false,
      hardwareConcurrency: 8,
    });
    expect(node).toMatchObject({ threaded: false, expectedThreads: 1 });
  });

  it('reports the count the started backend really runs (Node: one)', async () => {
    expect((await useBackend('wasm')).ok).toBe(true);
    expect(wasmThreads()).toEqual({
      count: 1,
      reason: 'tfjs-wasm runs one thread in Node (its pthread workers cannot start there).',
    });
    await useBackend('cpu');
    expect(wasmThreads()).toBeNull();
  });
});
