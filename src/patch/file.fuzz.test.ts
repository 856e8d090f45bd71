// Seeded fuzzing of the decoder: every mutated, truncated or inflated variant
// of a valid patch file must either be rejected with a PatchFileError (never
// another exception type, never a hang) or be accepted with exactly the
// original tensor — the content hash makes any accepted change to the tensor
// impossible, and the signature makes any accepted change to a signed
// manifest impossible.
import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { appendGarbage, flipBytes, insertBytes, truncate } from '../engine/testing/byte-mutations';
import { PatchFileError } from './errors';
import { decodePatchFile, encodePatchFile } from './file';
import { makePatch } from './fixtures/make-patch';
import { generateSigningKeyPair } from './signing';
import type { Patch } from './types';

type Mutation = (bytes: Uint8Array, rng: Rng) => Uint8Array;

function headerLength(bytes: Uint8Array): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
}

const mutations: Record<string, Mutation> = {
  flipBytes,
  flipHeaderByte: (b, rng) => {
    const out = b.slice();
    out[8 + rng.int(headerLength(b))] = 0x20 + rng.int(95);
    return out;
  },
  truncate,
  appendGarbage,
  insertBytes,
  oversizedHeaderLength: (b, rng) => {
    const out = b.slice();
    const choices = [
      BigInt(b.length),
      BigInt(11 * 1024 * 1024),
      2n ** 63n,
      BigInt(headerLength(b) + 1 + rng.int(1000)),
    ];
    new DataView(out.buffer).setBigUint64(0, choices[rng.int(choices.length)], true);
    return out;
  },
  shrunkHeaderLength: (b, rng) => {
    const out = b.slice();
    new DataView(out.buffer).setBigUint64(0, BigInt(rng.int(headerLength(b))), true);
    return out;
  },
  /** Semantically harmless: more space padding after the header JSON. */
  extraPadding: (b, rng) => {
    const n = headerLength(b);
    const pad = 1 + rng.int(40);
    const out = new Uint8Array(b.length + pad);
    new DataView(out.buffer).setBigUint64(0, BigInt(n + pad), true);
    out.set(b.subarray(8, 8 + n), 8);
    out.fill(0x20, 8 + n, 8 + n + pad);
    out.set(b.subarray(8 + n), 8 + n + pad);
    return out;
  },
};

async function fuzz(original: Patch, bytes: Uint8Array, seed: number, signed: boolean) {
  const rng = new Rng(seed);
  const names = Object.keys(mutations);
  const outcomes: Record<string, { accepted: number; rejected: number }> = {};
  for (let i = 0; i < 300; i++) {
    const name = names[i % names.length];
    const mutated = mutations[name](bytes, rng);
    outcomes[name] ??= { accepted: 0, rejected: 0 };
    let out: Awaited<ReturnType<typeof decodePatchFile>>;
    try {
      out = await decodePatchFile(mutated, { fileName: `fuzz-${i}.patch.safetensors` });
    } catch (e) {
      if (!(e instanceof PatchFileError)) {
        throw new Error(
          `${name} #${i} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
        );
      }
      expect(e.message.length, `${name} #${i}`).toBeGreaterThan(10);
      outcomes[name].rejected++;
      continue;
    }
    outcomes[name].accepted++;
    expect(Array.from(out.patch.embeddings), `${name} #${i}`).toEqual(
      Array.from(original.embeddings),
    );
    // A signature can be stripped (e.g. its key renamed) but not forged: what
    // still claims to be signed must be exactly what was signed.
    if (signed && out.verification.state !== 'unsigned') {
      expect(out.patch.manifest, `${name} #${i}`).toEqual(original.manifest);
    }
  }
  return outcomes;
}

describe('decodePatchFile under fuzzing', () => {
  it('rejects or faithfully accepts 300 mutations of an unsigned file', async () => {
    const patch = await makePatch({ nVirtual: 4, hidden: 8 });
    const bytes = await encodePatchFile(patch);
    const outcomes = await fuzz(patch, bytes, 1234, false);
    // The harmless mutation must be accepted every time; truncations never.
    expect(outcomes.extraPadding.rejected).toBe(0);
    expect(outcomes.truncate.accepted).toBe(0);
    expect(outcomes.oversizedHeaderLength.accepted).toBe(0);
  });

  it('rejects or faithfully accepts 300 mutations of a signed file, manifest included', async () => {
    const patch = await makePatch({ nVirtual: 4, hidden: 8 });
    const key = await generateSigningKeyPair({ algorithm: 'ECDSA-P256-SHA256' });
    const bytes = await encodePatchFile(patch, { signer: key });
    const { patch: signed } = await decodePatchFile(bytes, { fileName: 'ok' });
    const outcomes = await fuzz(signed, bytes, 99, true);
    expect(outcomes.extraPadding.rejected).toBe(0);
    expect(outcomes.flipHeaderByte.accepted).toBeLessThan(outcomes.flipHeaderByte.rejected);
  });
});
