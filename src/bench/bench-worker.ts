// Runs one bench task (matmul, demo model or SmolLM2-shaped model) on one
// backend in a dedicated worker, like the app's engine worker, and posts
// progress, then a result or an error.
// Aliased: useBackend is not a React hook (biome's hook rule is off only for engine/worker code).
import { type BackendName, isBackendName, useBackend as switchBackend } from '../engine/backends';
import { loadModel } from '../engine/load';
import type { CausalLM } from '../engine/types';
import { embeddedSource } from '../hub/embedded-source';
import {
  benchModel,
  createSmolLM2ShapedModel,
  DEMO_SMALL,
  FULL,
  type ModelBenchResult,
  matmulGflops,
  REDUCED,
  SMOLLM2_WASM,
  type Workload,
} from './measure';
import type { BenchEvent, BenchRequest } from './protocol';

const post = (e: BenchEvent) => (self as unknown as Worker).postMessage(e);

/**
 * Browser workloads: wasm runs the same ones as in Node; SwiftShader webgl and
 * webgpu (and cpu) get the small demo workload and the reduced 135M one.
 */
function workloadFor(backend: BackendName, task: 'demo' | 'smollm2'): Workload {
  if (backend === 'wasm') return task === 'demo' ? FULL : SMOLLM2_WASM;
  return task === 'demo' ? DEMO_SMALL : REDUCED;
}

async function adapterInfo(backend: BackendName): Promise<string | undefined> {
  if (backend !== 'webgpu' || !('gpu' in navigator)) return undefined;
  const a = await navigator.gpu.requestAdapter();
  if (!a) return 'no adapter';
  const i = a.info;
  return [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') || 'unknown';
}

async function run(req: BenchRequest): Promise<void> {
  if (!isBackendName(req.backend)) throw new Error(`unknown backend "${req.backend}"`);
  const backend = req.backend;
  post({ type: 'progress', phase: 'backend' });
  const ok = await switchBackend(backend);
  if (!ok.ok) throw new Error(`backend ${backend}: ${ok.error}`);
  const adapter = await adapterInfo(backend);
  if (req.task === 'matmul') {
    post({ type: 'progress', phase: 'matmul' });
    const mm = await matmulGflops(req.matmulSeconds);
    post({ type: 'result', adapter, gflops: mm.gflops });
    return;
  }
  post({ type: 'progress', phase: 'load' });
  const t0 = performance.now();
  const model: CausalLM =
    req.task === 'smollm2'
      ? createSmolLM2ShapedModel(1)
      : (await loadModel(embeddedSource('demo-base', req.baseUrl))).model;
  const loadSeconds = (performance.now() - t0) / 1000;
  let partial: ModelBenchResult | undefined;
  try {
    const result = await benchModel(model, workloadFor(backend, req.task), req.reps, (phase, r) => {
      partial = { ...r };
      post({ type: 'progress', phase, partial });
    });
    post({ type: 'result', adapter, loadSeconds, result });
  } catch (e) {
    post({ type: 'error', error: e instanceof Error ? e.message : String(e), partial });
  } finally {
    model.dispose();
  }
}

self.onmessage = (ev: MessageEvent<BenchRequest>) => {
  run(ev.data).catch((e: unknown) =>
    post({ type: 'error', error: e instanceof Error ? e.message : String(e) }),
  );
};
