// The Chromium half of npm run bench: builds bench.html with Vite into a tmp
// folder, serves it with Vite's preview server on a free port, and for each
// backend × task (matmul, demo, smollm2) opens bench.html in a fresh headless
// Chromium (Debian's /usr/bin/chromium, SwiftShader WebGPU), collecting the
// worker's JSON events. A task that runs past its time budget or fails is
// reported with what it finished and the phase it stopped in.
//   npm run node -- scripts/bench-browser.ts [--backends wasm,webgl,webgpu] [--models demo,smollm2]
// (npm run bench runs this after the Node half and prints one table.)
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS } from '../playwright.config';
import { type BenchRow, formatTable, type ModelBenchResult } from '../src/bench/measure';
import type { BenchEvent, BenchTask } from '../src/bench/protocol';
import { ISOLATION_HEADERS, WORKER_BUILD } from '../vite.config';

export interface BrowserBenchOptions {
  backends: string[];
  models: string[];
  reps: number;
  /** Multiplies every time budget (a slower or busier machine needs more). */
  budgetScale: number;
  log: (msg: string) => void;
}

/** Seconds each task may take, launch and model load included, before it is stopped. */
function budgetSeconds(backend: string, task: BenchTask): number {
  const gpu = backend === 'webgl' || backend === 'webgpu';
  if (task === 'matmul') return 45;
  if (task === 'demo') return gpu ? 120 : 90;
  // wasm runs the Node workload on the 135M model (batch 1 × (128 + 50), 128 + 32 new tokens).
  return gpu ? 150 : 240;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function runTask(
  url: string,
  backend: string,
  task: BenchTask,
  reps: number,
  budget: number,
  log: (m: string) => void,
): Promise<{ row: BenchRow; chromium: string }> {
  const runtime = 'chromium';
  const model = task === 'matmul' ? 'matmul 1024²' : task;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const version = browser.version();
  let phase = 'start';
  let partial: ModelBenchResult | undefined;
  try {
    const page = await browser.newPage();
    let onEvent: (e: BenchEvent) => void = () => {};
    // Installed before navigation, so the page's script finds window.benchReport.
    await page.exposeFunction('benchReport', (e: BenchEvent) => onEvent(e));
    const done = new Promise<BenchRow>((resolve) => {
      const fail = (error: string) =>
        resolve({ runtime, backend, model, ...partial, error, stoppedIn: phase });
      page.on('pageerror', (e) => fail(`page error: ${e.message}`));
      page.on('crash', () => fail('page crashed'));
      page.on('console', (m) => {
        if (m.type() === 'error') log(`[chromium ${backend}] ${task} console: ${m.text()}`);
      });
      onEvent = (e) => {
        if (e.type === 'progress') {
          phase = e.phase;
          if (e.partial) partial = e.partial;
          log(`[chromium ${backend}] ${task}: ${phase}`);
        } else if (e.type === 'error') {
          if (e.partial) partial = e.partial;
          fail(e.error);
        } else {
          resolve({
            runtime,
            backend,
            model,
            adapter: e.adapter,
            loadSeconds: e.loadSeconds,
            gflops: e.gflops,
            ...e.result,
          });
        }
      };
    });
    const matmulSeconds = backend === 'wasm' ? 3 : 2;
    await page.goto(
      `${url}bench.html?backend=${backend}&task=${task}&reps=${reps}&matmulSeconds=${matmulSeconds}`,
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<BenchRow>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            runtime,
            backend,
            model,
            ...partial,
            error: `exceeded its ${budget} s budget`,
            stoppedIn: phase,
          }),
        budget * 1000,
      );
    });
    const row = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return { row, chromium: version };
  } finally {
    // Closing the browser also stops SwiftShader work still queued for the GPU process.
    await browser.close().catch(() => {});
  }
}

export async function runBrowserBench(
  opts: BrowserBenchOptions,
): Promise<{ chromium?: string; rows: BenchRow[] }> {
  const outDir = await mkdtemp(join(tmpdir(), 'patch-lab-bench-'));
  const port = await freePort();
  opts.log(`[chromium] building bench.html into ${outDir}`);
  // Only the bench page (not the app): same settings as vite.config.ts where they matter.
  await build({
    configFile: false,
    logLevel: 'warn',
    worker: WORKER_BUILD,
    build: {
      target: 'es2022',
      outDir,
      emptyOutDir: true,
      chunkSizeWarningLimit: 4000,
      rolldownOptions: { input: { bench: 'bench.html' } },
    },
  });
  const server = await preview({
    configFile: false,
    logLevel: 'warn',
    build: { outDir },
    // The app's isolation headers, so the bench's wasm rows run as the app's do.
    preview: { host: '127.0.0.1', port, strictPort: true, headers: ISOLATION_HEADERS },
  });
  const url = `http://127.0.0.1:${port}/`;
  const rows: BenchRow[] = [];
  let version: string | undefined;
  try {
    for (const backend of opts.backends) {
      const tasks: BenchTask[] = [
        'matmul',
        ...opts.models.filter((m): m is BenchTask => m === 'demo' || m === 'smollm2'),
      ];
      for (const task of tasks) {
        const budget = Math.round(budgetSeconds(backend, task) * opts.budgetScale);
        const t0 = performance.now();
        const { row, chromium: v } = await runTask(url, backend, task, opts.reps, budget, opts.log);
        version = v;
        rows.push(row);
        opts.log(
          `[chromium ${backend}] ${task} (${((performance.now() - t0) / 1000).toFixed(0)} s): ${JSON.stringify(row)}`,
        );
      }
    }
  } finally {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  }
  return { chromium: version, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
  };
  const { chromium: version, rows } = await runBrowserBench({
    backends: flag('backends', 'wasm,webgl,webgpu').split(','),
    models: flag('models', 'demo,smollm2').split(','),
    reps: Number(flag('reps', '1')),
    budgetScale: Number(flag('budget-scale', '1')),
    log: (m) => console.error(m),
  });
  console.log(JSON.stringify({ chromium: version, results: rows }, null, 2));
  console.log(formatTable(rows));
}
