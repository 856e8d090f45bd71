// `npm run fuzz`: every *.fuzz.test.ts with thousands of variants per case
// (FUZZ_VARIANTS, default 3000), then one table of per-door counts from the
// tallies the suites wrote (scripts/fuzz/tally.ts). Exits non-zero when a
// suite fails or any door has a defect.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoorReport } from './tally';

export const FUZZ_SUITES = [
  'src/patch/peft.fuzz.test.ts',
  'src/data/importers/import.fuzz.test.ts',
  'src/engine/load.fuzz.test.ts',
  'src/state/share-link.fuzz.test.ts',
];

/** Sums the tallies of one door (a suite may report a door from several cases). */
export function byDoor(reports: DoorReport[]): DoorReport[] {
  const doors = new Map<string, DoorReport>();
  for (const r of reports) {
    const d = doors.get(r.door);
    if (!d) {
      doors.set(r.door, { ...r, defectExamples: [...r.defectExamples] });
      continue;
    }
    d.variants += r.variants;
    d.rejected += r.rejected;
    d.accepted += r.accepted;
    d.defects += r.defects;
    d.defectExamples.push(...r.defectExamples);
    d.slowestMs = Math.max(d.slowestMs, r.slowestMs);
    d.peakMemoryMb = Math.max(d.peakMemoryMb, r.peakMemoryMb);
  }
  return [...doors.values()];
}

export function formatTable(doors: DoorReport[]): string {
  const head = [
    'door',
    'variants',
    'clean rejections',
    'accepted unchanged',
    'defects',
    'slowest ms',
    'peak MB',
  ];
  const rows = doors.map((d) => [
    d.door,
    String(d.variants),
    String(d.rejected),
    String(d.accepted),
    String(d.defects),
    String(d.slowestMs),
    String(d.peakMemoryMb),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const variants = process.env.FUZZ_VARIANTS ?? '3000';
  const dir = mkdtempSync(join(tmpdir(), 'patch-lab-fuzz-'));
  const report = join(dir, 'report.jsonl');
  const t0 = Date.now();
  const run = spawnSync('npx', ['vitest', 'run', ...FUZZ_SUITES], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, FUZZ_VARIANTS: variants, FUZZ_REPORT: report },
  });
  let lines: DoorReport[] = [];
  try {
    lines = readFileSync(report, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DoorReport);
  } catch {
    // No report: every suite failed before finishing; the exit code says so.
  }
  rmSync(dir, { recursive: true, force: true });
  const doors = byDoor(lines);
  console.log(
    `\nFuzz, FUZZ_VARIANTS=${variants} per case, ${((Date.now() - t0) / 1000).toFixed(0)} s:\n`,
  );
  console.log(formatTable(doors));
  for (const d of doors) for (const x of d.defectExamples) console.log(`defect (${d.door}): ${x}`);
  const defects = doors.reduce((a, d) => a + d.defects, 0);
  process.exit(run.status === 0 && defects === 0 && doors.length > 0 ? 0 : 1);
}
