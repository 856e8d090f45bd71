// The guided demo as a speaker runs it, measured: builds the app, serves it,
// and runs "Patch the demo" N times (default 10), each in a fresh headless
// Chromium (a cold profile: nothing cached) on the backend the lab picks, with
// a different recipe seed per run (?recipe={"seed":s}). Each run's wall time
// is measured here from the click to the flow's end; the verdict is the
// summary the page itself computed from its measurements (gap closed per
// domain with intervals, the random-patch control, fluency ratio), read from
// the closing message's data-summary attribute. Prints one row per run and a
// final line; exits 1 when fewer than --need runs pass within --budget s.
//   npm run node -- scripts/bench-guided.ts [--runs 10] [--need 9] [--budget 60] [--seed0 1]
// A benchmark, not a test: its time depends on the machine and its load.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS } from '../playwright.config';
import type { GuidedSummary } from '../src/ui/guided/guided-summary';
import { freePort } from './bench-browser';

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = flag('runs', 10);
const NEED = flag('need', Math.ceil(RUNS * 0.9));
const BUDGET_S = flag('budget', 60);
const SEED0 = flag('seed0', 1);
/** A run that has not ended after this long is stopped and counted as failed. */
const HARD_LIMIT_S = Math.max(180, BUDGET_S * 3);

interface RunRow {
  seed: number;
  seconds: number;
  backend: string;
  status: string;
  summary: GuidedSummary | null;
  error?: string;
}

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}` : '—');

async function runOnce(url: string, seed: number): Promise<RunRow> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}?recipe=${encodeURIComponent(JSON.stringify({ seed }))}`);
    const start = page.getByTestId('guided-start');
    await start.waitFor({ state: 'visible', timeout: 60_000 });
    const t0 = performance.now();
    await start.click();
    const guided = page.getByTestId('guided');
    await page.waitForFunction(
      () => {
        const s = document.querySelector('[data-testid="guided"]')?.getAttribute('data-status');
        return s === 'done' || s === 'failed' || s === 'cancelled';
      },
      undefined,
      { timeout: HARD_LIMIT_S * 1000, polling: 200 },
    );
    const seconds = (performance.now() - t0) / 1000;
    const status = (await guided.getAttribute('data-status')) ?? '?';
    const backend =
      (await page
        .getByTestId('backend-name')
        .textContent()
        .catch(() => null)) ?? '?';
    const raw =
      status === 'done' ? await page.getByTestId('guided-done').getAttribute('data-summary') : null;
    const error =
      status === 'failed'
        ? ((await page.getByTestId('guided-error').textContent()) ?? 'failed')
        : errors[0];
    return {
      seed,
      seconds,
      backend: backend.trim(),
      status,
      summary: raw ? (JSON.parse(raw) as GuidedSummary) : null,
      error,
    };
  } catch (e) {
    return {
      seed,
      seconds: Number.NaN,
      backend: '?',
      status: 'error',
      summary: null,
      error: e instanceof Error ? e.message.split('\n')[0] : String(e),
    };
  } finally {
    await browser.close().catch(() => {});
  }
}

function passes(r: RunRow): boolean {
  return r.status === 'done' && r.seconds <= BUDGET_S && r.summary?.passed === true;
}

/** Why a run did not pass, in a few words. */
function whyNot(r: RunRow): string {
  if (r.status !== 'done') return r.error ?? r.status;
  const why: string[] = [];
  if (r.seconds > BUDGET_S) why.push(`${r.seconds.toFixed(0)} s > ${BUDGET_S} s`);
  for (const d of r.summary?.domains ?? [])
    if (d.verdict !== 'met') why.push(`${d.domain} ${d.verdict}`);
  if (r.summary && !(r.summary.fluencyRatio <= 1.25)) why.push('fluency');
  if (!r.summary) why.push('no verdict');
  return why.join(', ');
}

function rowLine(r: RunRow): string {
  const d = (name: string) => {
    const x = r.summary?.domains.find((v) => v.domain === name);
    return x ? `${pct(x.value)} [${pct(x.lo)}, ${pct(x.hi)}] (R ${pct(x.control)})` : '—';
  };
  const fl = r.summary ? `${r.summary.fluencyRatio.toFixed(2)}×` : '—';
  const n = r.summary?.domains.map((x) => x.n).join('/') ?? '—';
  return `| ${r.seed} | ${r.seconds.toFixed(1)} | ${r.backend} | ${d('toxicity')} | ${d('bias')} | ${d('refusal')} | ${fl} | ${n} | ${passes(r) ? 'pass' : `FAIL: ${whyNot(r)}`} |`;
}

const outDir = await mkdtemp(join(tmpdir(), 'patch-lab-guided-'));
const port = await freePort();
console.error(`[guided] building the app into ${outDir}`);
await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const server = await preview({
  logLevel: 'warn',
  build: { outDir },
  preview: { host: '127.0.0.1', port, strictPort: true },
});
const rows: RunRow[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const r = await runOnce(`http://127.0.0.1:${port}/`, SEED0 + i);
    rows.push(r);
    console.error(`[guided] ${rowLine(r)}`);
  }
} finally {
  await server.close();
  await rm(outDir, { recursive: true, force: true });
}
console.log(
  '| seed | s | backend | toxicity gap % [95 % CI] (control) | bias | refusal | fluency vs M | n tox/bias/ref | verdict |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(rowLine(r));
const passed = rows.filter(passes).length;
console.log(
  `\n${passed}/${RUNS} runs passed (≥ 80 % of the gap in every domain, fluency ≤ 1.25× M, ≤ ${BUDGET_S} s); needed ${NEED}.`,
);
process.exit(passed >= NEED ? 0 : 1);
