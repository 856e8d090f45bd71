// The optional `composition` field of a stacked patch's manifest: it survives
// a file round trip, and a malformed or hostile one gets a specific error
// naming the field (docs/RELIABILITY.md) instead of being shown as fact.
import { describe, expect, it } from 'vitest';
import { composePatches } from './compose';
import { PatchFileError } from './errors';
import { decodePatchFile, encodePatchFile } from './file';
import { makePatch } from './fixtures/make-patch';
import type { Patch, PatchComposition } from './types';

const opts = { fileName: 's.patch.safetensors' };

async function stack(): Promise<Patch> {
  const a = await makePatch({ seed: 1, name: 'tox' });
  const b = await makePatch({ seed: 2, name: 'bias', manifest: { domains: ['bias'] } });
  const s = await composePatches([a, b], { name: 'tox+bias', createdAt: '2026-01-01T00:00:00Z' });
  const order = s.manifest.parents.map((p) => p.tensorSha256);
  const composition: PatchComposition = {
    order,
    domains: [
      { domain: 'toxicity', alone: 0.8, stacked: 0.5 },
      { domain: 'bias', alone: 0.6, stacked: null },
    ],
    evaluatedOrders: 2,
    recommendedOrder: [order[1], order[0]],
  };
  return { ...s, manifest: { ...s.manifest, composition } };
}

async function withComposition(edit: (c: Record<string, unknown>) => void): Promise<string> {
  const s = await stack();
  const c = JSON.parse(JSON.stringify(s.manifest.composition)) as Record<string, unknown>;
  edit(c);
  const bad = { ...s, manifest: { ...s.manifest, composition: c as unknown as PatchComposition } };
  try {
    await decodePatchFile(await encodePatchFile(bad), opts);
  } catch (e) {
    if (e instanceof PatchFileError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

describe('manifest composition', () => {
  it('round-trips through a patch file', async () => {
    const s = await stack();
    const back = await decodePatchFile(await encodePatchFile(s), opts);
    expect(back.patch.manifest.composition).toEqual(s.manifest.composition);
  });

  it('rejects an order that is not the parents order', async () => {
    expect(await withComposition((c) => (c.order as string[]).reverse())).toMatch(
      /MANIFEST_INVALID: .*composition\.order does not match the patch's parents in order/,
    );
  });

  it('rejects wrong types, non-numbers, repeated domains and foreign recommended orders', async () => {
    expect(await withComposition((c) => (c.domains = 'lots'))).toMatch(
      /composition\.domains must be an array/,
    );
    expect(
      await withComposition((c) => ((c.domains as { alone: unknown }[])[0].alone = '80%')),
    ).toMatch(/composition\.domains\[0\]\.alone must be a finite number/);
    expect(
      await withComposition((c) => ((c.domains as { alone: unknown }[])[0].alone = 1e9)),
    ).toMatch(/composition\.domains\[0\]\.alone must be between/);
    expect(
      await withComposition((c) => ((c.domains as { domain: unknown }[])[1].domain = 'toxicity')),
    ).toMatch(/composition\.domains\[1\]\.domain repeats "toxicity"/);
    expect(
      await withComposition((c) => ((c.domains as { domain: unknown }[])[1].domain = '<script>')),
    ).toMatch(/composition\.domains\[1\]\.domain must be one of/);
    expect(await withComposition((c) => (c.evaluatedOrders = 1000))).toMatch(/at most 24/);
    expect(
      await withComposition((c) => (c.recommendedOrder = ['a'.repeat(64), 'b'.repeat(64)])),
    ).toMatch(/composition\.recommendedOrder must be an order of the same parents/);
    expect(await withComposition((c) => (c.order = Array(5).fill('a'.repeat(64))))).toMatch(
      /more than 4 patches/,
    );
  });
});
