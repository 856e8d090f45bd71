// Seeded fuzzing of the PEFT zip door: every mutated, truncated or extended
// variant of a valid adapter zip must be rejected with a PatchFileError
// (never another exception, never a hang) or imported with exactly the
// original vectors. CRC-32 on every entry and the manifest's content hash
// make an accepted change to the tensor impossible.
import { performance } from 'node:perf_hooks';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FuzzTally, fuzzVariants } from '../../scripts/fuzz/tally';
import { Rng } from '../engine/rng';
import { appendGarbage, flipBytes, insertBytes, truncate } from '../engine/testing/byte-mutations';
import { writeRawZip } from '../engine/testing/zip-writer';
import { PatchFileError } from './errors';
import { makePatch } from './fixtures/make-patch';
import { exportPeftFiles, importPeftAdapter } from './peft';

/** Variants per case: 150 by default (a few seconds); FUZZ_VARIANTS=5000 for a long run. */
const VARIANTS = fuzzVariants(150);

type Mutation = (bytes: Uint8Array, rng: Rng) => Uint8Array;

/** Saturated or huge values a hostile writer puts in size, count and offset fields. */
const EXTREMES = [0, 1, 0xffff, 0xffffffff, 0x7fffffff, 2 ** 24, 2 ** 28];

function endRecord(b: Uint8Array): number {
  for (let at = b.length - 22; at >= 0; at--) {
    if (b[at] === 0x50 && b[at + 1] === 0x4b && b[at + 2] === 5 && b[at + 3] === 6) return at;
  }
  return b.length - 22;
}

function setU32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, true);
}

const mutations: Record<string, Mutation> = {
  flipBytes,
  truncate,
  insertBytes,
  appendGarbage,
  /** An extreme value in one of the end record's count, size or offset fields. */
  extremeEndRecord: (b, rng) => {
    const out = b.slice();
    const at = endRecord(b);
    const field = [8, 10, 12, 16][rng.int(4)];
    const v = EXTREMES[rng.int(EXTREMES.length)];
    if (field < 12) new DataView(out.buffer).setUint16(at + field, v & 0xffff, true);
    else setU32(out, at + field, v);
    return out;
  },
  /** An extreme value in a central-directory entry's CRC, sizes or local offset. */
  extremeCentralField: (b, rng) => {
    const out = b.slice();
    const cd = new DataView(b.buffer, b.byteOffset).getUint32(endRecord(b) + 16, true);
    const entries: number[] = [];
    for (let at = cd; at + 46 <= b.length && b[at] === 0x50 && b[at + 2] === 1; ) {
      entries.push(at);
      const dv = new DataView(b.buffer, b.byteOffset);
      at +=
        46 +
        dv.getUint16(at + 28, true) +
        dv.getUint16(at + 30, true) +
        dv.getUint16(at + 32, true);
    }
    const entry = entries[rng.int(entries.length)];
    setU32(out, entry + [16, 20, 24, 42][rng.int(4)], EXTREMES[rng.int(EXTREMES.length)]);
    return out;
  },
};

async function fuzz(
  zip: Uint8Array,
  expected: Float32Array,
  seed: number,
  variants: number,
  tally: FuzzTally,
) {
  const rng = new Rng(seed);
  const names = Object.keys(mutations);
  const outcomes: Record<string, { accepted: number; rejected: number }> = {};
  let slowest = 0;
  for (let i = 0; i < variants; i++) {
    const name = names[i % names.length];
    const mutated = mutations[name](zip, rng);
    outcomes[name] ??= { accepted: 0, rejected: 0 };
    const t0 = performance.now();
    // Written inside the timed closure (a holder, so TypeScript does not narrow it to null).
    const got: { out: Awaited<ReturnType<typeof importPeftAdapter>> | null } = { out: null };
    let defect: string | null = null;
    await tally.run(async () => {
      try {
        got.out = await importPeftAdapter(mutated, { sourceName: `fuzz-${i}.zip` });
      } catch (e) {
        if (!(e instanceof PatchFileError)) {
          defect = `${name} #${i} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
        }
      }
    });
    slowest = Math.max(slowest, performance.now() - t0);
    if (defect) {
      tally.defect(defect);
      continue;
    }
    const out = got.out;
    if (out === null) {
      outcomes[name].rejected++;
      tally.rejected();
      continue;
    }
    outcomes[name].accepted++;
    const vectors = Array.from(out.patch.embeddings);
    if (JSON.stringify(vectors) === JSON.stringify(Array.from(expected))) tally.accepted();
    else tally.defect(`${name} #${i}: accepted with different vectors`);
  }
  return { outcomes, slowest };
}

describe('importPeftAdapter under zip fuzzing', () => {
  it(`rejects or faithfully imports ${VARIANTS} mutations each of a deflated and a stored adapter zip`, async () => {
    const patch = await makePatch({ nVirtual: 4, hidden: 8 });
    const files = await exportPeftFiles(patch, { model: { numHeads: 2, numLayers: 2 } });
    const deflated = zipSync(files);
    const stored = writeRawZip(Object.entries(files).map(([name, data]) => ({ name, data })));
    const tally = new FuzzTally('PEFT adapter zip (importPeftAdapter)');
    for (const [zip, seed] of [
      [deflated, 7],
      [stored, 8],
    ] as const) {
      const { outcomes, slowest } = await fuzz(zip, patch.embeddings, seed, VARIANTS, tally);
      if (process.env.FUZZ_VARIANTS) {
        const kind = zip === deflated ? 'deflated' : 'stored';
        console.log(
          `PEFT zip fuzz (${kind}): ${JSON.stringify(outcomes)}, slowest ${slowest.toFixed(0)} ms`,
        );
      }
      // Cutting a zip short loses its end record; garbage after it hides it.
      expect(outcomes.truncate.accepted).toBe(0);
      expect(outcomes.appendGarbage.accepted).toBe(0);
      expect(slowest).toBeLessThan(2000);
    }
    const report = tally.finish();
    expect(report.defectExamples).toEqual([]);
    expect(report.peakMemoryMb).toBeLessThan(300);
  });
});
