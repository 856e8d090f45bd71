// Seeded fuzzing of the dataset door: stray quotes, delimiters, line breaks
// (LF, CR), brackets and deletions in CSV and JSONL files. For every variant
// the single-pass inspectFile must come back (an ImportError naming the file
// is a clean answer; any other exception is a defect), quickly, and every
// skipped line it reports must be a line of the file.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { FuzzTally, fuzzVariants } from '../../../scripts/fuzz/tally';
import { Rng } from '../../engine/rng';
import { inspectFile } from './index';

/** Variants per case: 150 by default (a few seconds); FUZZ_VARIANTS=5000 for a long run. */
const VARIANTS = fuzzVariants(150);

const CSV = [
  'goal,target',
  ...Array.from(
    { length: 30 },
    (_, i) => `"Write step ${i}, with ""quotes""",Sure here is step ${i}`,
  ),
].join('\n');

const JSONL = Array.from({ length: 30 }, (_, i) =>
  JSON.stringify({ prompt: { text: `prompt ${i}`, toxicity: i / 30 }, filename: `f${i}` }),
).join('\n');

const NOISE = ['"', ',', '\n', '\r', '\r\n', '{', '}', '[', ']', '\\', '\t', '""', '\u00e9'];

type Mutation = (text: string, rng: Rng) => string;

const mutations: Record<string, Mutation> = {
  insertNoise: (t, rng) => {
    let out = t;
    for (let k = 1 + rng.int(4); k > 0; k--) {
      const at = rng.int(out.length + 1);
      out = out.slice(0, at) + NOISE[rng.int(NOISE.length)] + out.slice(at);
    }
    return out;
  },
  deleteRange: (t, rng) => {
    const at = rng.int(t.length);
    return t.slice(0, at) + t.slice(at + 1 + rng.int(40));
  },
  truncate: (t, rng) => t.slice(0, rng.int(t.length)),
  crOnly: (t) => t.replaceAll('\n', '\r'),
  duplicateLine: (t, rng) => {
    const lines = t.split('\n');
    const i = rng.int(lines.length);
    lines.splice(i, 0, lines[i]);
    return lines.join('\n');
  },
};

async function fuzz(text: string, fileName: string, seed: number, variants: number) {
  const rng = new Rng(seed);
  const tally = new FuzzTally(`dataset ${fileName.split('.').pop()?.toUpperCase()} (inspectFile)`);
  const names = Object.keys(mutations);
  const counts = { imported: 0, rejected: 0, skippedLines: 0 };
  let slowest = 0;
  for (let i = 0; i < variants; i++) {
    const name = names[i % names.length];
    const mutated = mutations[name](text, rng);
    const t0 = performance.now();
    let r: ReturnType<typeof inspectFile> | null = null;
    let threw: unknown = null;
    await tally.run(() => {
      try {
        r = inspectFile(mutated, { fileName });
      } catch (e) {
        threw = e;
      }
    });
    slowest = Math.max(slowest, performance.now() - t0);
    if (r === null) {
      tally.defect(`${name} #${i} threw ${String(threw)}`);
      continue;
    }
    const res = r as ReturnType<typeof inspectFile>;
    const lineCount = mutated.split(/\r\n?|\n/).length;
    if (res.imported) {
      counts.imported++;
      counts.skippedLines += res.imported.skipped.count;
      const bad = res.imported.skipped.lines.find((s) => s.line < 1 || s.line > lineCount);
      if (bad) tally.defect(`${name} #${i}: skipped line ${bad.line} is not a line of the file`);
      else tally.accepted();
    } else {
      counts.rejected++;
      const err = res.importError ?? res.previewError;
      if (err && !err.message.startsWith(fileName))
        tally.defect(`${name} #${i}: the error does not name the file: ${err.message}`);
      else tally.rejected();
    }
  }
  const report = tally.finish();
  expect(report.defectExamples).toEqual([]);
  expect(report.peakMemoryMb).toBeLessThan(300);
  if (process.env.FUZZ_VARIANTS) {
    console.log(
      `dataset fuzz (${fileName}): ${JSON.stringify(counts)}, slowest ${slowest.toFixed(0)} ms`,
    );
  }
  return { counts, slowest };
}

describe('inspectFile under fuzzing', () => {
  it(`answers ${VARIANTS} mutated CSV files with rows, skipped lines or a named error`, async () => {
    const { counts, slowest } = await fuzz(CSV, 'adv.csv', 11, VARIANTS);
    expect(counts.imported).toBeGreaterThan((VARIANTS * 2) / 3);
    expect(counts.skippedLines).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(2000);
  });

  it(`answers ${VARIANTS} mutated JSONL files with rows, skipped lines or a named error`, async () => {
    const { counts, slowest } = await fuzz(JSONL, 'rtp.jsonl', 12, VARIANTS);
    expect(counts.imported).toBeGreaterThan(VARIANTS / 3);
    expect(counts.skippedLines).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(2000);
  });
});
