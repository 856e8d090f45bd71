// Engine benchmarks in Node and in Chromium, printing JSON and one table:
//   npm run bench -- [--node-only | --browser-only] [--backends wasm,cpu]
//                    [--browser-backends wasm,webgl,webgpu] [--models demo,smollm2] [--reps N]
//                    [--budget-scale X] [--smollm2-batches 1,4] [--no-torch]
//                    [--checkpoint]  (gradient checkpointing in the training step)
//                    [--wasm-threads N]  (Node wasm threads; default tfjs's rule, half
//                    the logical cores; sets PATCH_LAB_WASM_THREADS for this run)
// --backends webgpu in Node uses the npm `webgpu` package (Dawn), which is not
// a dependency: scripts/device/webgpu-bench-prepare.sh packs it into
// .webgpu-bench/webgpu (or set WEBGPU_PACKAGE_DIR); see scripts/bench/node-webgpu.ts.
// For each backend and model: prefix-training forward+backward tokens/s,
// generation tokens/s with and without the KV cache, peak tensor memory
// (sampled tf.memory()), plus a 1024² matmul in GFLOP/s. The measuring code
// is src/bench/measure.ts, shared with the browser page (bench.html); the
// browser half is scripts/bench-browser.ts. The plain-JS cpu backend is ~40×
// slower than wasm, so it runs a reduced workload (labelled in each row).
// When a python3 with torch is found (scripts/bench/torch-anchor.ts), each
// Node wasm row is preceded by PyTorch on the same shapes and the run ends with
// a Patch Lab / PyTorch ratio table: ratios from one run on one machine.
import { existsSync } from 'node:fs';
import {
  type BenchRow,
  benchModel,
  createSmolLM2ShapedModel,
  describeWorkload,
  FULL,
  formatTable,
  matmulGflops,
  REDUCED,
  SMOLLM2_WASM,
} from '../src/bench/measure';
import { type BackendName, useBackend, wasmThreads } from '../src/engine/backends';
import { loadModel } from '../src/engine/load';
import { NodeDirectorySource } from '../src/engine/node-directory-source';
import type { CausalLM } from '../src/engine/types';
import { installNodeWebGPU } from './bench/node-webgpu';
import { findTorchPython, runTorchAnchor, type TorchResult } from './bench/torch-anchor';
import { runBrowserBench } from './bench-browser';

const DEMO_DIR = 'public/models/demo-base';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Threads the Node wasm backend ran, for the ratio table's header. */
let wasmThreadCount = 1;

interface RatioRow {
  workload: string;
  ours?: number;
  torch?: TorchResult;
  key: 'gflops' | 'trainTokensPerSecond' | 'generateTokensPerSecond';
  unit: string;
}

async function nodeBench(
  backends: BackendName[],
  models: string[],
  reps: number,
  smollm2Batches: number[],
  python: string | null,
  ratios: RatioRow[],
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const checkpoint = process.argv.includes('--checkpoint');
  const anchor = (backend: string, f: () => TorchResult): TorchResult | undefined => {
    if (!python || backend !== 'wasm') return undefined;
    try {
      const t = f();
      console.error(`[torch ${t.torch}, ${t.threads} threads] ${JSON.stringify(t)}`);
      return t;
    } catch (e) {
      console.error(`[torch] ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };
  for (const backend of backends) {
    const runtime = `node ${process.version}`;
    const gpu = backend === 'webgpu' ? await installNodeWebGPU() : { ok: true as const };
    const ok = gpu.ok ? await useBackend(backend) : gpu;
    if (!ok.ok) {
      rows.push({ runtime, backend, model: 'matmul 1024²', error: ok.error });
      continue;
    }
    const threads = wasmThreads();
    if (threads) {
      wasmThreadCount = threads.count;
      console.error(`[node wasm] ${threads.reason}`);
    }
    const torchMm = anchor(backend, () => runTorchAnchor(python!, { case: 'matmul' }));
    const mm = await matmulGflops(backend === 'cpu' ? 1 : 3);
    rows.push({ runtime, backend, model: 'matmul 1024²', gflops: mm.gflops });
    console.error(`[node ${backend}] matmul 1024²: ${mm.gflops.toFixed(2)} GFLOP/s`);
    if (torchMm)
      ratios.push({
        workload: 'f32 1024² matmul',
        ours: mm.gflops,
        torch: torchMm,
        key: 'gflops',
        unit: 'GFLOP/s',
      });
    const runs = models.flatMap((name) =>
      name === 'smollm2' ? smollm2Batches.map((batch) => ({ name, batch })) : [{ name, batch: 0 }],
    );
    for (const { name, batch } of runs) {
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
      const workload =
        name === 'demo'
          ? FULL
          : backend === 'cpu'
            ? REDUCED
            : { ...SMOLLM2_WASM, batch, label: `batch ${batch}` };
      const shape = `${describeWorkload(workload)}${checkpoint ? ', checkpointed' : ''}`;
      const cfg = model.config;
      const torchTrain = anchor(backend, () =>
        runTorchAnchor(python!, { case: 'train', config: cfg, workload, reps }),
      );
      const torchGen =
        batch > 1
          ? undefined
          : anchor(backend, () =>
              runTorchAnchor(python!, { case: 'generate', config: cfg, workload, reps }),
            );
      try {
        const r = await benchModel(
          model,
          workload,
          reps,
          (phase) => console.error(`[node ${backend}] ${name}: ${phase}`),
          { generation: batch <= 1, checkpointLayers: checkpoint },
        );
        rows.push({ runtime, backend, model: name, loadSeconds, ...r });
        if (torchTrain)
          ratios.push({
            workload: `${name} prefix step ${shape}`,
            ours: r.trainTokensPerSecond,
            torch: torchTrain,
            key: 'trainTokensPerSecond',
            unit: 'tok/s',
          });
        if (torchGen)
          ratios.push({
            workload: `${name} KV-cache generation ${workload.promptTokens}→+${workload.newTokens}`,
            ours: r.generateTokensPerSecond,
            torch: torchGen,
            key: 'generateTokensPerSecond',
            unit: 'tok/s',
          });
      } catch (e) {
        rows.push({
          runtime,
          backend,
          model: name,
          loadSeconds,
          workload,
          error: e instanceof Error ? e.message : String(e),
        });
        if (torchTrain)
          ratios.push({
            workload: `${name} prefix step ${shape} (ours failed)`,
            torch: torchTrain,
            key: 'trainTokensPerSecond',
            unit: 'tok/s',
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
  const smollm2Batches = flag('smollm2-batches', '1').split(',').map(Number);
  const threads = flag('wasm-threads', '');
  if (threads) process.env.PATCH_LAB_WASM_THREADS = threads;
  const rows: BenchRow[] = [];
  const ratios: RatioRow[] = [];
  let python: string | null = null;
  let chromium: string | undefined;
  if (!browserOnly) {
    const found = process.argv.includes('--no-torch')
      ? { reason: '--no-torch' }
      : findTorchPython();
    if ('python' in found) python = found.python;
    else console.error(`[torch] ${found.reason}`);
    const backends = flag('backends', 'wasm,cpu').split(',') as BackendName[];
    rows.push(...(await nodeBench(backends, models, reps, smollm2Batches, python, ratios)));
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
  if (ratios.length) console.log(`\n${formatRatios(ratios)}`);
}

/** Patch Lab (Node wasm) beside PyTorch on the same shapes, from this run. */
function formatRatios(ratios: RatioRow[]): string {
  const f = (x: number | undefined) => (typeof x === 'number' ? x.toFixed(1) : '—');
  const t = ratios[0].torch!;
  return [
    `| workload | Patch Lab (node wasm, ${wasmThreadCount} thread${wasmThreadCount === 1 ? '' : 's'}) | PyTorch ${t.torch} CPU, ${t.threads} threads | ratio |`,
    '|---|---|---|---|',
    ...ratios.map((r) => {
      const theirs = r.torch?.[r.key];
      const ratio = r.ours !== undefined && theirs ? `${(r.ours / theirs).toFixed(2)}×` : '—';
      return `| ${r.workload} | ${f(r.ours)} ${r.unit} | ${f(theirs)} ${r.unit} | ${ratio} |`;
    }),
  ].join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
