// Seeded fuzzing of the dataset door: stray quotes, delimiters, line breaks
// (LF, CR), brackets and deletions in CSV and JSONL files. For every variant
// the single-pass inspectFile must come back (an ImportError naming the file
// is a clean answer; any other exception is a defect), quickly, and every
// skipped line it reports must be a line of the file.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/rng';
import { inspectFile } from './index';

/** Variants per case: 150 by default (a few seconds); FUZZ_VARIANTS=5000 for a long run. */
const VARIANTS = Number(process.env.FUZZ_VARIANTS ?? 150);

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

function fuzz(text: string, fileName: string, seed: number, variants: number) {
  const rng = new Rng(seed);
  const names = Object.keys(mutations);
  const counts = { imported: 0, rejected: 0, skippedLines: 0 };
  let slowest = 0;
  for (let i = 0; i < variants; i++) {
    const name = names[i % names.length];
    const mutated = mutations[name](text, rng);
    const t0 = performance.now();
    const r = inspectFile(mutated, { fileName });
    slowest = Math.max(slowest, performance.now() - t0);
    const lineCount = mutated.split(/\r\n?|\n/).length;
    if (r.imported) {
      counts.imported++;
      counts.skippedLines += r.imported.skipped.count;
      for (const s of r.imported.skipped.lines) {
        expect(s.line, `${name} #${i}`).toBeGreaterThanOrEqual(1);
        expect(s.line, `${name} #${i}`).toBeLessThanOrEqual(lineCount);
      }
    } else {
      counts.rejected++;
      const err = r.importError ?? r.previewError;
      if (err) expect(err.message.startsWith(fileName), `${name} #${i}`).toBe(true);
    }
  }
  if (process.env.FUZZ_VARIANTS) {
    console.log(
      `dataset fuzz (${fileName}): ${JSON.stringify(counts)}, slowest ${slowest.toFixed(0)} ms`,
    );
  }
  return { counts, slowest };
}

describe('inspectFile under fuzzing', () => {
  it(`answers ${VARIANTS} mutated CSV files with rows, skipped lines or a named error`, () => {
    const { counts, slowest } = fuzz(CSV, 'adv.csv', 11, VARIANTS);
    expect(counts.imported).toBeGreaterThan((VARIANTS * 2) / 3);
    expect(counts.skippedLines).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(2000);
  });

  it(`answers ${VARIANTS} mutated JSONL files with rows, skipped lines or a named error`, () => {
    const { counts, slowest } = fuzz(JSONL, 'rtp.jsonl', 12, VARIANTS);
    expect(counts.imported).toBeGreaterThan(VARIANTS / 3);
    expect(counts.skippedLines).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(2000);
  });
});
