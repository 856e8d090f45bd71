// The bench page's script: reads ?backend=…&task=…&reps=…&matmulSeconds=… and
// runs that one measurement in a dedicated worker. Each event goes to
// window.benchReport (exposed by the Node driver, scripts/bench-browser.ts)
// and is also kept in window.benchEvents and shown on the page.
import type { BenchEvent, BenchRequest, BenchTask } from './protocol';

declare global {
  interface Window {
    benchReport?: (e: BenchEvent) => Promise<void> | void;
    benchEvents: BenchEvent[];
  }
}

const params = new URLSearchParams(location.search);
const req: BenchRequest = {
  backend: params.get('backend') ?? 'wasm',
  task: (params.get('task') ?? 'matmul') as BenchTask,
  reps: Number(params.get('reps') ?? 1),
  matmulSeconds: Number(params.get('matmulSeconds') ?? 3),
  baseUrl: new URL(import.meta.env.BASE_URL, location.href).href,
};
window.benchEvents = [];
const out = document.getElementById('out');

function report(e: BenchEvent) {
  window.benchEvents.push(e);
  if (out) out.textContent += `${JSON.stringify(e)}\n`;
  void window.benchReport?.(e);
}

if (out) out.textContent = `${JSON.stringify(req)}\n`;
const worker = new Worker(new URL('./bench-worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (ev: MessageEvent<BenchEvent>) => report(ev.data);
worker.onerror = (ev) => report({ type: 'error', error: `worker error: ${ev.message}` });
worker.postMessage(req);
