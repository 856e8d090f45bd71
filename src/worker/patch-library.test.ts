import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { decodePatchFile, encodePatchFile } from '../patch/file';
import { EXPECTED_BASE, makePatch } from '../patch/fixtures/make-patch';
import { exportPeftFiles, exportPeftZip } from '../patch/peft';
import { exportPublicKeyFile, generateSigningKeyPair } from '../patch/signing';
import { PatchLibrary } from './patch-library';

let n = 0;
const names = () => {
  n++;
  return { patches: `p-${n}`, keys: `k-${n}`, library: `l-${n}` };
};
const base = EXPECTED_BASE;

/** Flips one byte inside the tensor data (the last byte of the file). */
function tamper(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy[copy.length - 1] ^= 0x40;
  return copy;
}

describe('PatchLibrary', () => {
  it('imports several files at once, each with its own result, and keeps them across a reopen', async () => {
    const dbs = names();
    const lib = await PatchLibrary.open(dbs);
    const good = await encodePatchFile(await makePatch({ name: 'kind' }));
    const wide = await encodePatchFile(
      await makePatch({
        name: 'wide',
        hidden: 16,
        manifest: { base: { ...base, architecture: 'llama', hiddenSize: 16 } },
      }),
    );
    const results = await lib.importFiles(
      [
        { path: 'kind.patch.safetensors', bytes: good },
        { path: 'broken.patch.safetensors', bytes: good.slice(0, 20) },
        { path: 'wide.patch.safetensors', bytes: wide },
      ],
      { base, acceptModified: false },
    );
    expect(results.map((r) => [r.fileName, r.ok, r.code])).toEqual([
      ['kind.patch.safetensors', true, null],
      ['broken.patch.safetensors', false, 'HEADER_BEYOND_FILE'],
      ['wide.patch.safetensors', false, 'HIDDEN_SIZE_MISMATCH'],
    ]);
    expect(results[0].message).toBe('Imported "kind" (3 vectors, unsigned).');
    expect(results[2].message).toContain('hidden size 16');
    expect(results[2].message).toContain('hidden size 8');
    lib.close();

    const again = await PatchLibrary.open(dbs);
    const list = await again.list(base);
    expect(list.map((p) => [p.name, p.origin, p.verification.state, p.fit?.ok])).toEqual([
      ['kind', 'imported', 'unsigned', true],
    ]);
    expect(list[0].sizeBytes).toBe(good.byteLength);
    // The same file again is recognised, not duplicated.
    const dup = await again.importFiles([{ path: 'copy.patch.safetensors', bytes: good }], {
      base,
      acceptModified: false,
    });
    expect(dup[0].message).toBe(
      'Already in the library as "kind"; the file is unsigned. Nothing imported.',
    );
    expect(await again.list(base)).toHaveLength(1);
    again.close();
  });

  it('imports without a loaded base, saying it was not checked, and judges fit once a base is known', async () => {
    const lib = await PatchLibrary.open(names());
    const bytes = await encodePatchFile(await makePatch());
    const [r] = await lib.importFiles([{ path: 'a.patch.safetensors', bytes }], {
      base: null,
      acceptModified: false,
    });
    expect(r.notes).toContain(
      'No base model is loaded, so the patch was not checked against one yet.',
    );
    expect((await lib.list(null))[0].fit).toBeNull();
    const other = { ...base, fingerprint: 'emb1:49152x8:ffffffffffffffff' };
    const [p] = await lib.list(other);
    expect(p.fit?.ok).toBe(false);
    expect(p.fit?.message).toContain('the embedding fingerprints differ');
    lib.close();
  });

  it('tracks trust: signed-unknown until the signer’s key is trusted, own key always trusted', async () => {
    const lib = await PatchLibrary.open(names());
    const alice = await generateSigningKeyPair({ algorithm: 'ECDSA-P256-SHA256' });
    const signed = await encodePatchFile(await makePatch(), { signer: alice });
    await lib.importFiles([{ path: 's.patch.safetensors', bytes: signed }], {
      base,
      acceptModified: false,
    });
    expect((await lib.list(base))[0].verification.state).toBe('signed-unknown');
    await lib.trust(exportPublicKeyFile(alice, 'Alice'), null);
    const [p] = await lib.list(base);
    expect(p.verification.state).toBe('signed-trusted');
    expect(p.verification.keyFingerprint).toBe(alice.fingerprint);
    expect((await lib.keyInfo()).trusted.map((k) => k.label)).toEqual(['Alice']);
    await lib.untrust(alice.fingerprint);
    expect((await lib.list(base))[0].verification.state).toBe('signed-unknown');

    // A download signed with the user's own key verifies, and the library trusts its own key.
    const file = await lib.download(p.id, true);
    const own = (await lib.keyInfo()).own;
    expect(own).not.toBeNull();
    const decoded = await decodePatchFile(file.bytes, {
      fileName: file.fileName,
      trustedKeyFingerprints: [own!.fingerprint],
    });
    expect(decoded.verification.state).toBe('signed-trusted');
    expect(file.fileName).toBe('kindness.signed.patch.safetensors');
    expect((await lib.exportPeft(p.id, true, { numHeads: 2, numLayers: 2 })).fileName).toBe(
      'kindness.signed.peft.zip',
    );
    lib.close();
  });

  it('a plain download keeps a signature that still holds and drops one that is stale', async () => {
    const lib = await PatchLibrary.open(names());
    const alice = await generateSigningKeyPair({ algorithm: 'ECDSA-P256-SHA256' });
    const received = await encodePatchFile(await makePatch(), { signer: alice });
    await lib.importFiles([{ path: 's.patch.safetensors', bytes: received }], {
      base,
      acceptModified: false,
    });
    let [row] = await lib.list(base);
    expect(row.plainDownloadSigned).toBe(true);

    // Unmodified and unrenamed: handed on as it came, Alice's signature verifying.
    const kept = await lib.download(row.id, false);
    expect(kept.fileName).toBe('kindness.signed.patch.safetensors');
    const keptDecoded = await decodePatchFile(kept.bytes, { fileName: kept.fileName });
    expect(keptDecoded.verification.state).toBe('signed-unknown');
    expect(keptDecoded.verification.keyFingerprint).toBe(alice.fingerprint);

    // Renamed: the signature covers the old name, so the file carries none.
    await lib.rename(row.id, 'gentle');
    [row] = await lib.list(base);
    expect(row.plainDownloadSigned).toBe(false);
    const renamed = await lib.download(row.id, false);
    expect(renamed.fileName).toBe('gentle.patch.safetensors');
    const renamedDecoded = await decodePatchFile(renamed.bytes, { fileName: renamed.fileName });
    expect(renamedDecoded.verification.state).toBe('unsigned');
    expect(renamedDecoded.patch.manifest.name).toBe('gentle');

    // Signed with the user's key, the renamed copy is signed again (the user's
    // signature, not Alice's), and a plain download keeps that one.
    await lib.download(row.id, true);
    const own = (await lib.keyInfo()).own;
    [row] = await lib.list(base);
    expect(row.plainDownloadSigned).toBe(true);
    const again = await lib.download(row.id, false);
    expect(again.fileName).toBe('gentle.signed.patch.safetensors');
    const againDecoded = await decodePatchFile(again.bytes, { fileName: again.fileName });
    expect(againDecoded.verification.keyFingerprint).toBe(own?.fingerprint);
    lib.close();
  });

  it('a signed export marks the library row signed, by the own key', async () => {
    const lib = await PatchLibrary.open(names());
    const id = await lib.save(await makePatch(), { origin: 'trained' });
    expect((await lib.list(base))[0].verification.state).toBe('unsigned');
    const file = await lib.download(id, true);
    const own = (await lib.keyInfo()).own;
    const [row] = await lib.list(base);
    expect(row.verification.state).toBe('signed-trusted');
    expect(row.verification.keyFingerprint).toBe(own?.fingerprint);
    // A plain download afterwards is what the row says: signed, by the own key.
    const plain = await decodePatchFile((await lib.download(id, false)).bytes, { fileName: 'x' });
    expect(plain.verification.state).toBe('signed-unknown');
    expect(plain.verification.keyFingerprint).toBe(own?.fingerprint);
    expect((await lib.list(base))[0].verification.state).toBe('signed-trusted');
    expect(file.fileName).toBe('kindness.signed.patch.safetensors');
    lib.close();
  });

  it('refuses a modified file unless overridden, then refuses to apply or sign it without consent', async () => {
    const lib = await PatchLibrary.open(names());
    const key = await generateSigningKeyPair({ algorithm: 'ECDSA-P256-SHA256' });
    const original = await encodePatchFile(await makePatch(), { signer: key });
    const bytes = tamper(original);
    const [refused] = await lib.importFiles([{ path: 'm.patch.safetensors', bytes }], {
      base,
      acceptModified: false,
    });
    expect(refused.ok).toBe(false);
    expect(refused.code).toBe('CONTENT_MODIFIED');
    expect(await lib.list(base)).toHaveLength(0);

    const [accepted] = await lib.importFiles([{ path: 'm.patch.safetensors', bytes }], {
      base,
      acceptModified: true,
    });
    expect(accepted.ok).toBe(true);
    // The untouched original is a different patch, not a duplicate of the modified one.
    const [again] = await lib.importFiles([{ path: 'o.patch.safetensors', bytes: original }], {
      base,
      acceptModified: false,
    });
    expect(again.message).toContain('Imported');
    const [p, o] = await lib.list(base);
    expect(o.verification.state).toBe('signed-unknown');
    expect(p.verification.state).toBe('invalid');
    // The modified copy's name says what it is; the original keeps its own.
    expect(p.name).toBe(`${o.name} (modified copy)`);
    await expect(lib.setActive([p.id], { allowInvalid: false, base })).rejects.toThrow(
      'the signature does not match — the file was modified',
    );
    expect(await lib.activeIds()).toEqual([]);
    expect(await lib.setActive([p.id], { allowInvalid: true, base })).toEqual([p.id]);
    await expect(lib.download(p.id, true)).rejects.toThrow('Export it unsigned instead');
    // Unsigned, it is a consistent file again (the stale signature was dropped on import).
    // Re-importing the signed original shows its check, not just "already there".
    const [dup] = await lib.importFiles([{ path: 'o2.patch.safetensors', bytes: original }], {
      base,
      acceptModified: false,
    });
    expect(dup.message).toBe(
      `Already in the library as "${o.name}"; signature valid, by key ${o.verification.keyFingerprint?.slice(0, 16)}… (not in your trusted keys). Nothing imported.`,
    );
    expect(p.plainDownloadSigned).toBe(false);
    const plain = await lib.download(p.id, false);
    expect(plain.fileName).toBe('kindness-modified-copy.patch.safetensors');
    const decoded = await decodePatchFile(plain.bytes, { fileName: 'x' });
    expect(decoded.verification.state).toBe('unsigned');
    lib.close();
  });

  it('reports a signature that no longer matches an edited manifest', async () => {
    const lib = await PatchLibrary.open(names());
    const key = await generateSigningKeyPair({ algorithm: 'ECDSA-P256-SHA256' });
    const patch = await makePatch();
    const signed = await decodePatchFile(await encodePatchFile(patch, { signer: key }), {
      fileName: 's',
    });
    // Same tensor, edited manifest, old signature carried along.
    const edited = await encodePatchFile({
      ...signed.patch,
      manifest: { ...signed.patch.manifest, name: 'evil twin' },
    });
    const [r] = await lib.importFiles([{ path: 'e.patch.safetensors', bytes: edited }], {
      base,
      acceptModified: false,
    });
    expect(r.code).toBe('SIGNATURE_INVALID');
    expect(r.message).toContain('The signature does not match — the file was modified');
    lib.close();
  });

  it('composes in the chosen order, applies a stack, and a deleted patch leaves the stack until restored', async () => {
    let t = 1000;
    const lib = await PatchLibrary.open(names(), { now: () => t++ });
    const a = await makePatch({ name: 'A', seed: 1, nVirtual: 2 });
    const b = await makePatch({ name: 'B', seed: 2, nVirtual: 3 });
    const idA = await lib.save(a, { origin: 'trained' });
    const idB = await lib.save(b, { origin: 'trained' });
    await lib.rename(idB, 'Bee');
    const idAB = await lib.compose([idB, idA], 'B then A');
    const composed = (await lib.list(base)).find((p) => p.id === idAB)!;
    expect(composed.origin).toBe('composed');
    expect(composed.nVirtual).toBe(5);
    expect(composed.manifest.parents.map((p) => [p.name, p.nVirtual])).toEqual([
      ['Bee', 3],
      ['A', 2],
    ]);

    await lib.setActive([idB, idA], { allowInvalid: false, base });
    const stack = await lib.activeStack();
    expect(stack?.names).toEqual(['Bee', 'A']);
    expect(Array.from(stack!.embeddings)).toEqual([...b.embeddings, ...a.embeddings]);

    const removed = await lib.delete(idA);
    expect(removed).toEqual({ id: idA, name: 'A' });
    expect(await lib.activeIds()).toEqual([idB]);
    expect((await lib.list(base)).map((p) => p.name)).toEqual(['Bee', 'B then A']);
    await lib.restore(idA);
    expect((await lib.list(base)).map((p) => p.name)).toEqual(['A', 'Bee', 'B then A']);
    await expect(lib.compose([idA], 'solo')).rejects.toThrow('at least two');
    lib.close();
  });

  it('imports the adapter of a hub folder and notes the other files once, not as failures', async () => {
    const lib = await PatchLibrary.open(names());
    const files = await exportPeftFiles(await makePatch({ name: 'hub' }), {
      model: { numHeads: 2, numLayers: 2 },
    });
    const text = (s: string) => new TextEncoder().encode(s);
    const results = await lib.importFiles(
      [
        { path: 'hub-pt/.gitattributes', bytes: text('*.safetensors filter=lfs') },
        { path: 'hub-pt/README.md', bytes: text('# card') },
        { path: 'hub-pt/adapter_config.json', bytes: files['adapter_config.json'] },
        { path: 'hub-pt/adapter_model.safetensors', bytes: files['adapter_model.safetensors'] },
      ],
      { base, acceptModified: false },
    );
    expect(results.map((r) => [r.fileName, r.ok])).toEqual([['hub-pt', true]]);
    expect(results[0].notes.at(-1)).toBe(
      'Skipped 2 files that are not a patch or PEFT adapter file: .gitattributes, README.md.',
    );
    lib.close();
  });

  it('imports a PEFT zip and exports one only with the base model’s shape known', async () => {
    const lib = await PatchLibrary.open(names());
    const patch = await makePatch({ name: 'peft-me' });
    const zip = await exportPeftZip(patch, { model: { numHeads: 2, numLayers: 2 } });
    const [r] = await lib.importFiles([{ path: 'adapter.peft.zip', bytes: zip }], {
      base,
      acceptModified: false,
    });
    expect(r.ok).toBe(true);
    const [p] = await lib.list(base);
    expect(await lib.activeStack()).toBeNull();
    await expect(lib.exportPeft(p.id, false, null)).rejects.toThrow('Load the base model');
    const out = await lib.exportPeft(p.id, false, { numHeads: 2, numLayers: 2 });
    expect(out.fileName).toBe('peft-me.peft.zip');
    expect(out.mime).toBe('application/zip');
    // The exported zip imports back as the same vectors.
    const back = await PatchLibrary.open(names());
    await back.importFiles([{ path: out.fileName, bytes: out.bytes }], {
      base,
      acceptModified: false,
    });
    const [q] = await back.list(base);
    expect(q.manifest.tensorSha256).toBe(patch.manifest.tensorSha256);
    back.close();
    lib.close();
  });

  it('writes a patch and its metadata as one record; reads metadata an older build kept in the library database', async () => {
    const dbs = names();
    const lib = await PatchLibrary.open(dbs);
    const id = await lib.save(await makePatch({ name: 'one-write' }), { origin: 'trained' });
    // One database holds the entry: the patch record carries its metadata…
    const record = await lib.patches.get(id);
    expect(record?.meta).toMatchObject({ id, origin: 'trained', signature: { kind: 'unsigned' } });
    // …and the library's old metadata store got nothing.
    const legacy = await openDB(dbs.library, 1);
    expect(await legacy.getAll('meta')).toEqual([]);

    // An entry from before the move: patch without metadata, metadata in the old store.
    const old = await lib.patches.put(await makePatch({ name: 'from-before' }));
    await legacy.put('meta', {
      id: old.id,
      origin: 'composed',
      signature: { kind: 'unsigned' },
      notes: ['kept'],
      sizeBytes: 123,
    });
    legacy.close();
    const listed = (await lib.list(base)).find((p) => p.id === old.id);
    expect(listed).toMatchObject({ origin: 'composed', notes: ['kept'], sizeBytes: 123 });
    lib.close();
  });
});
