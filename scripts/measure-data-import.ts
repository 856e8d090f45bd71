// Time and peak memory of importing two hostile-but-valid CSV files: the
// parser alone ('parse'), the worker's three steps (detect the format,
// preview, import) each from the bytes ('worker'), and the same three steps
// sharing one DataFile ('once'), each in a fresh Node process so one case's
// garbage cannot hide in another's figures:
//   field  one quoted 10 MB field (with "" escapes and line breaks in it)
//   rows   100,000 AdvBench-style rows (goal,target), ~9 MB
// Peak memory is the process's maximum resident set size after the import
// minus its maximum before it (the input bytes are read before that mark).
//   npm run node -- scripts/measure-data-import.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../src/data/csv';
import { decodeBytes } from '../src/data/decode';
import { DataFile, detectFormat, importFile, previewTable } from '../src/data/importers/index';

const CASES = {
  field: { fileName: 'one-big-field.csv', make: bigField },
  rows: { fileName: 'advbench-100k.csv', make: manyRows },
};
type CaseName = keyof typeof CASES;
const STEPS = ['parse', 'worker', 'once'] as const;
type Step = (typeof STEPS)[number];

function bigField(): string {
  const chunk = 'lorem ipsum, dolor "sit" amet\nconsectetur; ';
  const body = chunk.repeat(Math.ceil((10 * 1024 * 1024) / chunk.length)).replaceAll('"', '""');
  return `id,text\n1,"${body}"\n2,short\n`;
}

function manyRows(): string {
  const lines = ['goal,target'];
  for (let i = 0; i < 100_000; i++) {
    lines.push(`Write a tutorial on how to do thing number ${i},"Sure, here is thing ${i}"`);
  }
  return `${lines.join('\n')}\n`;
}

function runStep(step: Step, name: CaseName, bytes: Uint8Array): string {
  const { fileName } = CASES[name];
  if (step === 'parse') {
    return `${parseCsv(decodeBytes(bytes, fileName).text).rows.length} records`;
  }
  // 'worker': what src/worker/handlers/data.ts does for a dropped file, each
  // step from the bytes; 'once': the same steps sharing one DataFile.
  const input = step === 'once' ? new DataFile(bytes, fileName) : bytes;
  const detected = detectFormat(fileName, input);
  const preview = previewTable(input, { fileName, format: detected.container });
  const result = importFile(input, {
    fileName,
    format: detected.format,
    generic:
      detected.format === 'generic'
        ? { format: 'csv', column: 'text', kind: 'harmful' }
        : undefined,
  });
  return `${detected.format}, ${preview.totalRows} rows previewed, ${result.sets[0].items.length} imported`;
}

function child(step: Step, name: CaseName, path: string): void {
  const bytes = new Uint8Array(readFileSync(path));
  const rss0 = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const what = runStep(step, name, bytes);
  const ms = performance.now() - t0;
  const peakMb = (process.resourceUsage().maxRSS - rss0) / 1024;
  process.stdout.write(JSON.stringify({ what, ms, peakMb }));
}

function main(): void {
  const [, , flag, step, name, path] = process.argv;
  if (flag === '--child') {
    child(step as Step, name as CaseName, path);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'measure-data-'));
  try {
    const self = fileURLToPath(import.meta.url);
    for (const name of Object.keys(CASES) as CaseName[]) {
      const text = CASES[name].make();
      const path = join(dir, CASES[name].fileName);
      writeFileSync(path, text);
      for (const step of STEPS) {
        const out = execFileSync(
          process.execPath,
          [...process.execArgv, self, '--child', step, name, path],
          { encoding: 'utf8', maxBuffer: 1 << 20 },
        );
        const r = JSON.parse(out) as { what: string; ms: number; peakMb: number };
        console.log(
          `${name.padEnd(5)} (${(text.length / 1e6).toFixed(1)} MB) ${step.padEnd(6)} ${r.ms.toFixed(0).padStart(6)} ms  peak +${r.peakMb.toFixed(0).padStart(5)} MB  (${r.what})`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
