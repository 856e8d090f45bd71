import { describe, expect, it } from 'vitest';
import { nodeThreadsUnavailable } from './wasm-node-threads';
import { planWasmThreads, type WasmThreadEnvironment } from './wasm-threads';

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
    const bridgeless = planWasmThreads(
      node(8, { nodeBridgeUnavailable: 'one thread: no bridge.' }),
    );
    expect(bridgeless).toEqual({
      threaded: false,
      expectedThreads: 1,
      reason: 'one thread: no bridge.',
    });
  });
});

const node = (
  cores: number,
  extra: Partial<WasmThreadEnvironment> = {},
): WasmThreadEnvironment => ({
  isNode: true,
  crossOriginIsolated: false,
  hardwareConcurrency: cores,
  nodeBridgeUnavailable: null,
  ...extra,
});

describe('planWasmThreads in Node (the thread bridge)', () => {
  it("defaults to tfjs's browser rule, half the logical cores", () => {
    expect([1, 2, 4, 8, 16].map((n) => planWasmThreads(node(n)).expectedThreads)).toEqual([
      1, 1, 2, 4, 4,
    ]);
    expect(planWasmThreads(node(2))).toMatchObject({ threaded: false, expectedThreads: 1 });
    expect(planWasmThreads(node(8))).toEqual({
      threaded: true,
      expectedThreads: 4,
      reason:
        '4 threads in Node: half of the 8 logical cores, at most 4, as tfjs does in a browser (PATCH_LAB_WASM_THREADS sets another count).',
    });
  });

  it('takes PATCH_LAB_WASM_THREADS, capped at 4, and rejects a bad value by name', () => {
    expect(planWasmThreads(node(2, { requestedThreads: '2' }))).toEqual({
      threaded: true,
      expectedThreads: 2,
      reason: '2 threads in Node: PATCH_LAB_WASM_THREADS=2.',
    });
    expect(planWasmThreads(node(2, { requestedThreads: '9' })).expectedThreads).toBe(4);
    expect(planWasmThreads(node(8, { requestedThreads: '1' }))).toMatchObject({ threaded: false });
    for (const bad of ['0', '-1', '1.5', 'two'])
      expect(() => planWasmThreads(node(2, { requestedThreads: bad }))).toThrow(
        `PATCH_LAB_WASM_THREADS must be a whole number from 1 to 4, got "${bad}"`,
      );
  });

  it('refuses the bridge for another tfjs-backend-wasm release', () => {
    expect(nodeThreadsUnavailable('4.22.0')).toBeNull();
    expect(nodeThreadsUnavailable('4.23.0')).toContain(
      'written for tfjs-backend-wasm 4.22.0, this is 4.23.0',
    );
  });
});
