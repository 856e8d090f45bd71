// Engine benchmarks in Node and in Chromium, printing JSON and one table:
//   npm run bench -- [--node-only | --browser-only] [--backends wasm,cpu]
//                    [--browser-backends wasm,webgl,webgpu] [--models demo,smollm2] [--reps N]
//                    [--budget-scale X]
// For each backend and model: prefix-training forward+backward tokens/s,
// generation tokens/s with and without the KV cache, peak tensor memory
// (sampled tf.memory()), plus a 1024² matmul in GFLOP/s. The measuring code
// is src/bench/measure.ts, shared with the browser page (bench.html); the
// browser half is scripts/bench-browser.ts. The plain-JS cpu backend is ~40×
// slower than wasm, so it runs a reduced workload (labelled in each row).
import { existsSync } from 'node:fs';
import {
  type BenchRow,
  benchModel,
  createSmolLM2ShapedModel,
  FULL,
  formatTable,
  matmulGflops,
  REDUCED,
  SMOLLM2_WASM,
} from '../src/bench/measure';
import { type BackendName, useBackend } from '../src/engine/backends';
import { loadModel } from '../src/engine/load';
import { NodeDirectorySource } from '../src/engine/node-directory-source';
import type { CausalLM } from '../src/engine/types';
import { runBrowserBench } from './bench-browser';

const DEMO_DIR = 'public/models/demo-base';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function nodeBench(
  backends: BackendName[],
  models: string[],
  reps: number,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const backend of backends) {
    const runtime = `node ${process.version}`;
    const ok = await useBackend(backend);
    if (!ok.ok) {
      rows.push({ runtime, backend, model: 'matmul 1024²', error: ok.error });
      continue;
    }
    const mm = await matmulGflops(backend === 'cpu' ? 1 : 3);
    rows.push({ runtime, backend, model: 'matmul 1024²', gflops: mm.gflops });
    console.error(`[node ${backend}] matmul 1024²: ${mm.gflops.toFixed(2)} GFLOP/s`);
    for (const name of models) {
      let model: CausalLM;
      const t0 = performance.now();
      if (name === 'smollm2') model = createSmolLM2ShapedModel(1);
      else if (name === 'demo') {
        if (!existsSync(`${DEMO_DIR}/config.json`)) {
          console.error(`[node ${backend}] ${DEMO_DIR} not found (npm run build:demo)`);
          rows.push({ runtime, backend, model: 'demo', skipped: `${DEMO_DIR} not found` });
          continue;
        }
        model = (await loadModel(new NodeDirectorySource(DEMO_DIR))).model;
      } else throw new Error(`unknown model "${name}" (smollm2, demo)`);
      const loadSeconds = (performance.now() - t0) / 1000;
      const workload = name === 'demo' ? FULL : backend === 'cpu' ? REDUCED : SMOLLM2_WASM;
      try {
        const r = await benchModel(model, workload, reps, (phase) =>
          console.error(`[node ${backend}] ${name}: ${phase}`),
        );
        rows.push({ runtime, backend, model: name, loadSeconds, ...r });
      } catch (e) {
        rows.push({
          runtime,
          backend,
          model: name,
          loadSeconds,
          workload,
          error: e instanceof Error ? e.message : String(e),
        });
      } finally {
        model.dispose();
      }
      console.error(`[node ${backend}] ${name}: ${JSON.stringify(rows[rows.length - 1])}`);
    }
  }
  return rows;
}

async function main() {
  const nodeOnly = process.argv.includes('--node-only');
  const browserOnly = process.argv.includes('--browser-only');
  const models = flag('models', 'demo,smollm2').split(',');
  const reps = Number(flag('reps', '1'));
  const rows: BenchRow[] = [];
  let chromium: string | undefined;
  if (!browserOnly) {
    const backends = flag('backends', 'wasm,cpu').split(',') as BackendName[];
    rows.push(...(await nodeBench(backends, models, reps)));
  }
  if (!nodeOnly) {
    const browser = await runBrowserBench({
      backends: flag('browser-backends', 'wasm,webgl,webgpu').split(','),
      models,
      reps,
      budgetScale: Number(flag('budget-scale', '1')),
      log: (m) => console.error(m),
    });
    chromium = browser.chromium;
    rows.push(...browser.rows);
  }
  console.log(JSON.stringify({ node: process.version, chromium, results: rows }, null, 2));
  console.log(formatTable(rows));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
