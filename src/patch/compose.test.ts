import { describe, expect, it } from 'vitest';
import { ComposeError, composePatches } from './compose';
import { decodePatchFile, encodePatchFile } from './file';
import { makePatch } from './fixtures/make-patch';
import { tensorSha256 } from './hash';

describe('composePatches', () => {
  it('concatenates rows in the chosen order and records the parents in that order', async () => {
    const a = await makePatch({ seed: 1, nVirtual: 2, name: 'A' });
    const b = await makePatch({ seed: 2, nVirtual: 3, name: 'B', manifest: { domains: ['bias'] } });
    const ab = await composePatches([a, b], { name: 'A+B', createdAt: '2025-07-01T00:00:00Z' });
    expect(ab.nVirtual).toBe(5);
    expect(ab.hidden).toBe(8);
    expect(Array.from(ab.embeddings.subarray(0, 16))).toEqual(Array.from(a.embeddings));
    expect(Array.from(ab.embeddings.subarray(16))).toEqual(Array.from(b.embeddings));
    expect(ab.manifest.parents).toEqual([
      { name: 'A', tensorSha256: await tensorSha256(a.embeddings), nVirtual: 2 },
      { name: 'B', tensorSha256: await tensorSha256(b.embeddings), nVirtual: 3 },
    ]);
    expect(ab.manifest.domains).toEqual(['toxicity', 'bias']);
    expect(ab.manifest.recipe).toBeNull();
    expect(ab.manifest.tensorSha256).toBe(await tensorSha256(ab.embeddings));

    const ba = await composePatches([b, a], { name: 'B+A' });
    expect(Array.from(ba.embeddings.subarray(0, 24))).toEqual(Array.from(b.embeddings));
    expect(Array.from(ba.embeddings)).not.toEqual(Array.from(ab.embeddings));
    expect(ba.manifest.parents.map((p) => p.name)).toEqual(['B', 'A']);
    expect(ba.manifest.tensorSha256).not.toBe(ab.manifest.tensorSha256);
  });

  it('stacks any number of patches and survives a file round trip', async () => {
    const ps = await Promise.all(
      [1, 2, 3, 4].map((s) => makePatch({ seed: s, nVirtual: s, name: `P${s}` })),
    );
    const stack = await composePatches(ps, { name: 'stack' });
    expect(stack.nVirtual).toBe(10);
    const back = await decodePatchFile(await encodePatchFile(stack), {
      fileName: 'stack.patch.safetensors',
    });
    expect(back.patch.manifest.parents.map((p) => [p.name, p.nVirtual])).toEqual([
      ['P1', 1],
      ['P2', 2],
      ['P3', 3],
      ['P4', 4],
    ]);
  });

  it('refuses patches for different bases, naming both', async () => {
    const a = await makePatch({ name: 'A' });
    const q = await makePatch({ name: 'Q' });
    q.manifest.base = {
      ...q.manifest.base,
      id: 'Qwen/Qwen2.5-0.5B',
      revision: 'main',
      fingerprint: 'emb1:151936x8:ffff',
    };
    await expect(composePatches([a, q], { name: 'x' })).rejects.toThrow(
      'Can\'t stack "A" (made for SmolLM2-135M rev abc1234) with "Q" (made for Qwen2.5-0.5B rev main): patches only stack on the same base model.',
    );
    const wide = await makePatch({ name: 'W', hidden: 16 });
    await expect(composePatches([a, wide], { name: 'x' })).rejects.toBeInstanceOf(ComposeError);
    // Without a fingerprint the claimed id is all there is, and it differs.
    q.manifest.base.fingerprint = null;
    await expect(composePatches([a, q], { name: 'x' })).rejects.toThrow(/Can't stack/);
    await expect(composePatches([], { name: 'x' })).rejects.toThrow(
      'Pick at least one patch to stack.',
    );
  });
});
