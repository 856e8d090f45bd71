import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { decodePatchFile, encodePatchFile } from './file';
import { makePatch } from './fixtures/make-patch';
import { PatchStore, PatchStoreError } from './patch-store';
import { generateSigningKeyPair } from './signing';

let dbCounter = 0;
const freshName = (prefix: string) => `${prefix}-${++dbCounter}`;

describe('PatchStore', () => {
  it('persists patches across a close and reopen', async () => {
    const name = freshName('patches');
    const s1 = await PatchStore.open(name);
    const patch = await makePatch();
    const saved = await s1.put(patch);
    s1.close();
    const s2 = await PatchStore.open(name);
    const got = await s2.get(saved.id);
    expect(got?.name).toBe('kindness');
    expect(got?.patch.embeddings).toBeInstanceOf(Float32Array);
    expect(Array.from(got!.patch.embeddings)).toEqual(Array.from(patch.embeddings));
    expect(got?.patch.manifest).toEqual(patch.manifest);
    s2.close();
  });

  it('lists oldest first without embeddings, renames without touching the manifest', async () => {
    let t = 1000;
    const s = await PatchStore.open(freshName('patches'), { now: () => t++ });
    const a = await s.put(await makePatch({ name: 'A' }));
    const b = await s.put(await makePatch({ name: 'B', nVirtual: 5 }));
    const list = await s.list();
    expect(list.map((r) => [r.name, r.nVirtual])).toEqual([
      ['A', 3],
      ['B', 5],
    ]);
    expect('patch' in list[0]).toBe(false);
    const renamed = await s.rename(a.id, '  gentle  ');
    expect(renamed.name).toBe('gentle');
    expect(renamed.patch.manifest.name).toBe('A');
    expect(renamed.updatedAt).toBeGreaterThan(a.updatedAt);
    await expect(s.rename(b.id, ' ')).rejects.toThrow('A patch name cannot be empty.');
    await expect(s.rename('nope', 'x')).rejects.toThrow('No patch with id nope.');
    s.close();
  });

  it('soft-deletes with undo, then purges', async () => {
    const s = await PatchStore.open(freshName('patches'));
    const a = await s.put(await makePatch({ name: 'A' }));
    const b = await s.put(await makePatch({ name: 'B' }));
    const removed = await s.delete(a.id);
    expect(removed.deletedAt).not.toBeNull();
    expect(await s.get(a.id)).toBeUndefined();
    expect((await s.list()).map((r) => r.name)).toEqual(['B']);
    expect((await s.list({ includeDeleted: true })).map((r) => r.name)).toEqual(['A', 'B']);
    await expect(s.delete(a.id)).rejects.toBeInstanceOf(PatchStoreError);
    await s.restore(a.id);
    expect((await s.list()).map((r) => r.name)).toEqual(['A', 'B']);
    await expect(s.restore(a.id)).rejects.toThrow('Patch "A" is not deleted.');
    await s.delete(b.id);
    expect(await s.purge()).toBe(1);
    expect((await s.list({ includeDeleted: true })).map((r) => r.name)).toEqual(['A']);
    s.close();
  });

  it('keeps a signed patch verifiable after storing and renaming', async () => {
    const key = await generateSigningKeyPair({ algorithm: 'ECDSA-P256-SHA256' });
    const bytes = await encodePatchFile(await makePatch(), { signer: key });
    const { patch } = await decodePatchFile(bytes, { fileName: 'a.patch.safetensors' });
    const s = await PatchStore.open(freshName('patches'));
    const saved = await s.put(patch);
    await s.rename(saved.id, 'renamed');
    const got = await s.get(saved.id);
    const again = await decodePatchFile(await encodePatchFile(got!.patch), { fileName: 'b' });
    expect(again.verification.state).toBe('signed-unknown');
    s.close();
  });
});
