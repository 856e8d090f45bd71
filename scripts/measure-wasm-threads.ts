// How many threads tfjs-backend-wasm really runs in Chromium, and what they
// buy on a 1024² f32 matmul: a cross-origin-isolated page (COOP + COEP, as
// vite.config.ts serves the app) loads tfjs's own UMD bundles from
// node_modules, with navigator.hardwareConcurrency overridden to stand in for
// machines with more cores than this one. setThreadsCount() is asked for the
// override's count too, to show whether tfjs honours it.
//   npm run node -- scripts/measure-wasm-threads.ts [--cores 2,4,8] [--rounds 2]
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../playwright.config';
import { ISOLATION_HEADERS } from '../vite.config';
import { freePort } from './bench-browser';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const PAGE = `<!doctype html><html><body>
<script src="/@tensorflow/tfjs-core/dist/tf-core.min.js"></script>
<script src="/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js"></script>
<script>
window.measure = async (threaded, ask) => {
  tf.wasm.setWasmPaths('/@tensorflow/tfjs-backend-wasm/dist/');
  if (threaded) tf.wasm.setThreadsCount(ask);
  else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
  const n = 1024, a = tf.randomNormal([n, n]), b = tf.randomNormal([n, n]);
  for (let i = 0; i < 2; i++) { const c = tf.matMul(a, b); await c.data(); c.dispose(); }
  const reps = 6, t0 = performance.now();
  for (let i = 0; i < reps; i++) { const c = tf.matMul(a, b); await c.data(); c.dispose(); }
  const ms = (performance.now() - t0) / reps;
  return { isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency, threads: tf.wasm.getThreadsCount(), gflops: (2 * n ** 3) / ms / 1e6 };
};
</script></body></html>`;

async function main(): Promise<void> {
  const cores = arg('cores', '2,4,8').split(',').map(Number);
  const rounds = Number(arg('rounds', '2'));
  const root = join(process.cwd(), 'node_modules');
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const headers = { ...ISOLATION_HEADERS };
    try {
      if (path === '/') {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(PAGE);
        return;
      }
      if (!path.startsWith('/@tensorflow/') || path.includes('..')) throw new Error('not served');
      const body = await readFile(join(root, path));
      const type = path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
      res.writeHead(200, { ...headers, 'Content-Type': type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const rows: string[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const hc of cores) {
        for (const threaded of [false, true]) {
          const browser = await chromium.launch({
            executablePath: '/usr/bin/chromium',
            headless: true,
            args: CHROMIUM_ARGS,
          });
          try {
            const page = await browser.newPage();
            page.on('console', (m) => console.error('console', m.text()));
            // A string, not a function: tsx would wrap a function in helpers the page lacks.
            await page.addInitScript(
              `Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => ${hc} });`,
            );
            await page.goto(`http://127.0.0.1:${port}/`);
            const r = await page.evaluate(
              ([t, n]) =>
                (
                  globalThis as unknown as {
                    measure: (
                      t: boolean,
                      n: number,
                    ) => Promise<{
                      isolated: boolean;
                      cores: number;
                      threads: number;
                      gflops: number;
                    }>;
                  }
                ).measure(t, n),
              [threaded, hc] as [boolean, number],
            );
            rows.push(
              `| ${round} | ${r.cores} | ${threaded ? `threaded, setThreadsCount(${hc})` : 'single-thread binary'} | ${r.isolated} | ${r.threads} | ${r.gflops.toFixed(1)} |`,
            );
            console.error(rows.at(-1));
          } finally {
            await browser.close();
          }
        }
      }
    }
  } finally {
    server.close();
  }
  console.log(
    '| round | hardwareConcurrency | binary | isolated | tfjs threads | 1024² matmul GFLOP/s |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
