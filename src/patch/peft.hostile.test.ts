// Hostile PEFT zips and adapters, each built here with the hand-written zip
// writer. Every case was accepted, crashed or ran for seconds before the
// importer read the central directory first (see engine/zip-reader.ts).
import { performance } from 'node:perf_hooks';
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeRawZip } from '../engine/testing/zip-writer';
import { PatchFileError } from './errors';
import { decodePatchFile, encodePatchFile } from './file';
import { makePatch, rawSafetensors } from './fixtures/make-patch';
import { exportPeftFiles, importPeftAdapter, isPeftAdapterFile, type PeftFile } from './peft';
import { generateSigningKeyPair } from './signing';

const MODEL = { model: { numHeads: 2, numLayers: 2 } };

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PatchFileError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

async function adapterFiles() {
  return exportPeftFiles(await makePatch({ nVirtual: 4, hidden: 6 }), MODEL);
}

/** Bytes that are not a deflate stream: inflating them throws, so a test can prove nothing was inflated. */
const NOT_DEFLATE = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

describe('PEFT zip import validates before it inflates', () => {
  it('rejects a tiny zip whose zip64 end record declares 2^24 entries, in milliseconds', async () => {
    const zip = writeRawZip([{ name: 'adapter_config.json', data: strToU8('{}') }], {
      zip64Entries: 2 ** 24,
    });
    expect(zip.length).toBeLessThan(700);
    const t0 = performance.now();
    expect(await outcome(importPeftAdapter(zip, { sourceName: 'z.zip' }))).toBe(
      `ZIP_LIMIT: "z.zip" is larger than a PEFT adapter can be (the zip declares ${2 ** 24} entries; at most 4096 are read).`,
    );
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('counts the adapters from the central directory, inflating none of them', async () => {
    // 2,000 adapter folders whose files are not even valid deflate data: the
    // count alone refuses the zip, before any entry is touched.
    const entries = Array.from({ length: 2000 }, (_, i) => ({
      name: `a${i}/adapter_config.json`,
      data: NOT_DEFLATE,
      method: 8,
    }));
    const zip = writeRawZip(entries);
    const t0 = performance.now();
    expect(await outcome(importPeftAdapter(zip, { sourceName: 'many.zip' }))).toBe(
      'PEFT_UNSUPPORTED: "many.zip" holds 2000 adapters (a0, a1, a2, a3, a4, …); import one folder at a time.',
    );
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('refuses central-directory entries that share one stream, or one name', async () => {
    const files = await adapterFiles();
    const weights = { name: 'adapter_model.safetensors', data: files['adapter_model.safetensors'] };
    // The config entry points at the weights' bytes.
    const shared = writeRawZip([weights], { aliases: [{ name: 'adapter_config.json', of: 0 }] });
    expect(await outcome(importPeftAdapter(shared, { sourceName: 's.zip' }))).toMatch(
      /^ZIP_DAMAGED: "s.zip" is a damaged zip file \("adapter_(config.json|model.safetensors)" and "adapter_(config.json|model.safetensors)" share the same bytes/,
    );
    // One stream under one name four times: refused as a duplicate before anything is read.
    const dup = writeRawZip(
      [{ name: 'adapter_config.json', data: files['adapter_config.json'] }, weights],
      { aliases: [1, 2, 3].map(() => ({ name: 'adapter_model.safetensors', of: 1 })) },
    );
    expect(await outcome(importPeftAdapter(dup, { sourceName: 'x4.zip' }))).toBe(
      'ZIP_DAMAGED: "x4.zip" is a damaged zip file ("adapter_model.safetensors" appears twice in the zip).',
    );
  });

  it('bounds each entry by its declared size, and stops a stream that lies about it', async () => {
    const files = await adapterFiles();
    const weights = files['adapter_model.safetensors'];
    const honest = writeRawZip([
      { name: 'adapter_config.json', data: files['adapter_config.json'] },
      { name: 'adapter_model.safetensors', data: weights, deflate: true },
    ]);
    expect(
      await outcome(
        importPeftAdapter(honest, { sourceName: 'h.zip', zipLimits: { maxWeightsBytes: 100 } }),
      ),
    ).toBe(
      `ZIP_LIMIT: "h.zip" is larger than a PEFT adapter can be ("adapter_model.safetensors" declares ${weights.length} bytes uncompressed; the limit is 100).`,
    );
    const lying = writeRawZip([
      { name: 'adapter_config.json', data: files['adapter_config.json'] },
      { name: 'adapter_model.safetensors', data: weights, deflate: true, uncompressedSize: 64 },
    ]);
    expect(await outcome(importPeftAdapter(lying, { sourceName: 'l.zip' }))).toBe(
      `ZIP_DAMAGED: "l.zip" is a damaged zip file ("adapter_model.safetensors" inflates to more than the 64 bytes its header declares).`,
    );
  });

  it('refuses a stored entry with one flipped tensor byte (CRC-32)', async () => {
    const files = await adapterFiles();
    const weights = files['adapter_model.safetensors'];
    const zip = writeRawZip([
      { name: 'adapter_model.safetensors', data: weights },
      { name: 'adapter_config.json', data: files['adapter_config.json'] },
    ]);
    // The last tensor byte of the first entry's stored data: 30-byte header + name.
    zip[30 + 'adapter_model.safetensors'.length + weights.length - 1] ^= 0x01;
    expect(await outcome(importPeftAdapter(zip, { sourceName: 'f.zip' }))).toMatch(
      /^ZIP_DAMAGED: "f.zip" is a damaged zip file \("adapter_model.safetensors" is damaged: its CRC-32 is [0-9a-f]{8} but the zip says [0-9a-f]{8}\)\.$/,
    );
  });
});

describe('PEFT adapters carrying a signed Patch Lab manifest', () => {
  async function signedFolder(): Promise<PeftFile[]> {
    const key = await generateSigningKeyPair();
    const bytes = await encodePatchFile(await makePatch({ nVirtual: 4, hidden: 6 }), {
      signer: key,
    });
    const { patch } = await decodePatchFile(bytes, { fileName: 's.patch.safetensors' });
    const files = await exportPeftFiles(patch, MODEL);
    return Object.entries(files).map(([path, b]) => ({ path: `signed/${path}`, bytes: b }));
  }

  function editWeights(folder: PeftFile[], edit: (bytes: Uint8Array) => Uint8Array): PeftFile[] {
    return folder.map((f) =>
      f.path.endsWith('.safetensors') ? { ...f, bytes: edit(f.bytes) } : f,
    );
  }

  function editManifest(bytes: Uint8Array, change: (m: Record<string, unknown>) => void) {
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    const m = JSON.parse(header.__metadata__.patch_lab);
    change(m);
    header.__metadata__.patch_lab = JSON.stringify(m);
    return rawSafetensors(header, bytes.subarray(8 + n));
  }

  it('keeps a valid signature through the round trip', async () => {
    const out = await importPeftAdapter(await signedFolder(), { sourceName: 'signed' });
    expect(out.verification.state).toBe('signed-unknown');
  });

  it('refuses an invalid signature, as a .patch.safetensors with one is refused', async () => {
    const edited = editWeights(await signedFolder(), (b) =>
      editManifest(b, (m) => {
        m.name = 'renamed after signing';
      }),
    );
    expect(await outcome(importPeftAdapter(edited, { sourceName: 'signed' }))).toBe(
      'SIGNATURE_INVALID: "signed/signed/adapter_model.safetensors": The signature does not match — the file was modified after it was signed.',
    );
    // The same explicit override as for patch files imports it, marked invalid.
    const forced = await importPeftAdapter(edited, { sourceName: 'signed', acceptModified: true });
    expect(forced.verification.state).toBe('invalid');
  });

  it('refuses signed weights changed after signing instead of importing them as unsigned', async () => {
    const edited = editWeights(await signedFolder(), (b) => {
      const c = b.slice();
      c[c.length - 1] ^= 0x01;
      return c;
    });
    expect(await outcome(importPeftAdapter(edited, { sourceName: 'signed' }))).toMatch(
      /^CONTENT_MODIFIED: .*was modified/,
    );
  });
});

describe('isPeftAdapterFile', () => {
  it('picks the adapter files out of a real hub folder', () => {
    // The file list of a PEFT prompt-tuning repository on the Hugging Face hub.
    const hub = [
      'bloomz-pt/.gitattributes',
      'bloomz-pt/README.md',
      'bloomz-pt/adapter_config.json',
      'bloomz-pt/adapter_model.safetensors',
      'bloomz-pt/training_args.bin',
      'bloomz-pt/__MACOSX/._adapter_config.json',
      'bloomz-pt/._adapter_model.safetensors',
    ];
    expect(hub.filter(isPeftAdapterFile)).toEqual([
      'bloomz-pt/adapter_config.json',
      'bloomz-pt/adapter_model.safetensors',
    ]);
    expect(isPeftAdapterFile('adapter_model.bin')).toBe(true);
  });
});
