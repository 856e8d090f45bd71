import { describe, expect, it } from 'vitest';
import { useBackend, wasmThreads } from './backends';
import { planWasmThreads, tfjsWasmPoolSize, withPoolSizeFor } from './wasm-threads';

const page = (hardwareConcurrency: number, crossOriginIsolated = true) => ({
  isNode: false,
  crossOriginIsolated,
  hardwareConcurrency,
});

describe('planWasmThreads', () => {
  it("knows tfjs-wasm's own pool rule as measured in Chromium: half the logical cores, 1 to 4", () => {
    // Measured with navigator.hardwareConcurrency overridden (docs/BENCHMARKS.md, Threads):
    // 2 → 1, 4 → 2, 8 → 4 threads.
    expect([1, 2, 3, 4, 8, 16].map(tfjsWasmPoolSize)).toEqual([1, 1, 1, 2, 4, 4]);
  });

  it('asks for one thread per logical core, at most 4, and says so', () => {
    expect([1, 2, 3, 4, 8, 16].map((n) => planWasmThreads(page(n)).expectedThreads)).toEqual([
      1, 2, 3, 4, 4, 4,
    ]);
    expect(planWasmThreads(page(2))).toEqual({
      threaded: true,
      expectedThreads: 2,
      reason: "2 threads: one per logical core (2 logical cores), at most 4, tfjs-wasm's cap.",
    });
  });

  it('shows twice the wanted threads as the core count only while the backend starts', async () => {
    // Node has no navigator: a stand-in whose count is a prototype getter, as in a browser.
    const nav = Object.create({
      get hardwareConcurrency() {
        return 2;
      },
    }) as { hardwareConcurrency: number };
    const real = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true });
    try {
      const seen = await withPoolSizeFor(3, async () => nav.hardwareConcurrency);
      expect(seen).toBe(6);
      expect(nav.hardwareConcurrency).toBe(2);
      await expect(
        withPoolSizeFor(3, async () => {
          throw new Error('init failed');
        }),
      ).rejects.toThrow('init failed');
      expect(nav.hardwareConcurrency).toBe(2);
    } finally {
      Reflect.deleteProperty(globalThis, 'navigator');
      if (real) Object.defineProperty(globalThis, 'navigator', real);
    }
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
