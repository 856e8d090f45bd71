import { describe, expect, it } from 'vitest';
import { parseSafetensorsHeader } from '../engine/safetensors';
import { PatchFileError } from './errors';
import { decodePatchFile, encodePatchFile, patchFileName } from './file';
import { EXPECTED_BASE, makePatch, rawSafetensors } from './fixtures/make-patch';
import { sha256Hex } from './hash';

async function rejection(p: Promise<unknown>): Promise<PatchFileError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PatchFileError) return e;
    throw e;
  }
  throw new Error('expected a PatchFileError, got success');
}

/** Re-encodes a valid file with its header JSON rewritten by `edit`, keeping the data section. */
function withHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  edit(header);
  return rawSafetensors(header, bytes.subarray(8 + n));
}

function withManifest(bytes: Uint8Array, edit: (m: Record<string, unknown>) => void): Uint8Array {
  return withHeader(bytes, (h) => {
    const meta = h.__metadata__ as Record<string, string>;
    const m = JSON.parse(meta.patch_lab);
    edit(m);
    meta.patch_lab = JSON.stringify(m);
  });
}

const f32 = (xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);

describe('encodePatchFile / decodePatchFile round trip', () => {
  it('returns the identical tensor and manifest, unsigned, with no notes', async () => {
    const patch = await makePatch();
    const bytes = await encodePatchFile(patch);
    const out = await decodePatchFile(bytes, {
      fileName: 'k.patch.safetensors',
      expectedBase: EXPECTED_BASE,
    });
    expect(out.patch.nVirtual).toBe(3);
    expect(out.patch.hidden).toBe(8);
    expect(Array.from(out.patch.embeddings)).toEqual(Array.from(patch.embeddings));
    expect(out.patch.manifest).toEqual(patch.manifest);
    expect(out.verification.state).toBe('unsigned');
    expect(out.notes).toEqual([]);
  });

  it('writes the PEFT tensor name and shape and the documented metadata keys', async () => {
    const patch = await makePatch();
    const bytes = await encodePatchFile(patch);
    const h = parseSafetensorsHeader(bytes);
    expect([...h.tensors.keys()]).toEqual(['prompt_embeddings']);
    const e = h.tensors.get('prompt_embeddings')!;
    expect(e.dtype).toBe('F32');
    expect(e.shape).toEqual([3, 8]);
    expect(h.metadata?.format).toBe('patch-lab');
    const m = JSON.parse(h.metadata!.patch_lab);
    expect(m.formatVersion).toBe(1);
    // The manifest hash is the SHA-256 of the tensor bytes exactly as stored.
    expect(m.tensorSha256).toBe(await sha256Hex(bytes.subarray(e.begin, e.end)));
  });

  it('names files NAME.patch.safetensors with unsafe characters replaced', () => {
    expect(patchFileName('kindness v2')).toBe('kindness-v2.patch.safetensors');
    expect(patchFileName('../../etc/passwd')).toBe('etc-passwd.patch.safetensors');
    expect(patchFileName('///')).toBe('patch.patch.safetensors');
  });

  it('refuses to encode non-finite values and shape/manifest disagreements', async () => {
    const p = await makePatch();
    p.embeddings[5] = Number.NaN;
    await expect(encodePatchFile(p)).rejects.toThrow(/row 0, column 5 is NaN/);
    const q = await makePatch();
    q.manifest.base.hiddenSize = 16;
    await expect(encodePatchFile(q)).rejects.toThrow(/width 8 differs .* hidden size 16/);
  });
});

describe('decodePatchFile rejections', () => {
  const name = { fileName: 'p.patch.safetensors' };

  it('rejects an empty file and a non-safetensors file', async () => {
    expect((await rejection(decodePatchFile(new Uint8Array(0), name))).code).toBe(
      'NOT_SAFETENSORS',
    );
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49]);
    const e = await rejection(decodePatchFile(png, name));
    expect(e.code).toBe('NOT_SAFETENSORS');
    expect(e.message).toMatch(/"p.patch.safetensors" is not a safetensors file/);
  });

  it('rejects a file cut inside the length, inside the header, and inside the data', async () => {
    const bytes = await encodePatchFile(await makePatch());
    expect((await rejection(decodePatchFile(bytes.subarray(0, 5), name))).code).toBe('TRUNCATED');
    const inHeader = await rejection(decodePatchFile(bytes.subarray(0, 40), name));
    expect(inHeader.code).toBe('HEADER_BEYOND_FILE');
    expect(inHeader.message).toMatch(/truncated: its header says it is longer than the file/);
    const inData = await rejection(decodePatchFile(bytes.subarray(0, bytes.length - 4), name));
    expect(inData.code).toBe('TRUNCATED');
  });

  it('rejects a header over 10 MB before reading it', async () => {
    const bytes = new Uint8Array(64);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(11 * 1024 * 1024), true);
    bytes[8] = 0x7b;
    const e = await rejection(decodePatchFile(bytes, name));
    expect(e.code).toBe('HEADER_TOO_LARGE');
    expect(e.message).toMatch(/over 10 MB/);
  });

  it('rejects invalid header JSON', async () => {
    const e = await rejection(
      decodePatchFile(rawSafetensors(null, new Uint8Array(0), '{"a": '), name),
    );
    expect(e.code).toBe('INVALID_JSON');
  });

  it('rejects missing and extra tensors', async () => {
    const base = await encodePatchFile(await makePatch());
    const renamed = withHeader(base, (h) => {
      h.other = h.prompt_embeddings;
      delete h.prompt_embeddings;
    });
    const missing = await rejection(decodePatchFile(renamed, name));
    expect(missing.code).toBe('MISSING_TENSOR');
    expect(missing.message).toMatch(/no "prompt_embeddings" tensor/);
    const withExtraHeader = withHeader(base, (h) => {
      h.lm_head = { dtype: 'F32', shape: [1], data_offsets: [96, 100] };
    });
    const extra = new Uint8Array(withExtraHeader.length + 4);
    extra.set(withExtraHeader);
    const e = await rejection(decodePatchFile(extra, name));
    expect(e.code).toBe('EXTRA_TENSOR');
    expect(e.message).toMatch(/"lm_head"/);
  });

  it('rejects a tensor that is not F32 and one that is not 2-D', async () => {
    const base = await encodePatchFile(await makePatch());
    const f16 = withHeader(base, (h) => {
      h.prompt_embeddings = { dtype: 'F16', shape: [6, 8], data_offsets: [0, 96] };
    });
    const e = await rejection(decodePatchFile(f16, name));
    expect(e.code).toBe('WRONG_DTYPE');
    expect(e.message).toMatch(/stores the patch as F16/);
    const flat = withHeader(base, (h) => {
      h.prompt_embeddings = { dtype: 'F32', shape: [24], data_offsets: [0, 96] };
    });
    expect((await rejection(decodePatchFile(flat, name))).code).toBe('BAD_SHAPE');
  });

  it('rejects a tensor width that disagrees with the manifest hidden size', async () => {
    const base = await encodePatchFile(await makePatch());
    const wide = withHeader(base, (h) => {
      h.prompt_embeddings = { dtype: 'F32', shape: [2, 12], data_offsets: [0, 96] };
    });
    const e = await rejection(decodePatchFile(wide, name));
    expect(e.code).toBe('BAD_SHAPE');
    expect(e.message).toMatch(/width 12 but the manifest says the base's hidden size is 8/);
  });

  it('rejects a patch for a base with another hidden size or fingerprint, naming both models', async () => {
    const bytes = await encodePatchFile(await makePatch());
    const qwen = {
      id: 'Qwen/Qwen2.5-0.5B',
      revision: 'main',
      hiddenSize: 896,
      fingerprint: 'emb1:151936x896:aaaa',
    };
    const h = await rejection(decodePatchFile(bytes, { ...name, expectedBase: qwen }));
    expect(h.code).toBe('HIDDEN_SIZE_MISMATCH');
    expect(h.message).toBe(
      'This patch was made for SmolLM2-135M rev abc1234 (hidden size 8); you have Qwen2.5-0.5B rev main (hidden size 896).',
    );
    const sameSize = { ...qwen, hiddenSize: 8 };
    const f = await rejection(decodePatchFile(bytes, { ...name, expectedBase: sameSize }));
    expect(f.code).toBe('BASE_MISMATCH');
    expect(f.message).toMatch(
      /^This patch was made for SmolLM2-135M rev abc1234, you have Qwen2.5-0.5B rev main/,
    );
  });

  it('accepts a base with the same fingerprint under another id, and warns when there is no fingerprint', async () => {
    const bytes = await encodePatchFile(await makePatch());
    const local = { ...EXPECTED_BASE, id: 'local:my-folder', revision: 'local' };
    expect((await decodePatchFile(bytes, { ...name, expectedBase: local })).notes).toEqual([]);
    const noFp = await encodePatchFile(
      await makePatch({
        manifest: { base: { ...(await makePatch()).manifest.base, fingerprint: null } },
      }),
    );
    const out = await decodePatchFile(noFp, { ...name, expectedBase: local });
    expect(out.notes.join(' ')).toMatch(
      /no fingerprint .* It says it was made for SmolLM2-135M rev abc1234; you have local:my-folder rev local\./,
    );
  });

  it('rejects a tensor byte flipped after export (hash mismatch), unless explicitly overridden', async () => {
    const bytes = await encodePatchFile(await makePatch());
    const tampered = bytes.slice();
    tampered[tampered.length - 3] ^= 0x01;
    const e = await rejection(decodePatchFile(tampered, name));
    expect(e.code).toBe('CONTENT_MODIFIED');
    expect(e.message).toMatch(/was modified/);
    const forced = await decodePatchFile(tampered, { ...name, acceptModified: true });
    expect(forced.verification.state).toBe('invalid');
  });

  it('rejects non-finite values even when the hash was recomputed to match', async () => {
    const patch = await makePatch();
    const good = await encodePatchFile(patch);
    const data = new Float32Array(patch.embeddings);
    data[9] = Number.POSITIVE_INFINITY;
    const dataBytes = new Uint8Array(data.buffer);
    const hash = await sha256Hex(dataBytes);
    const bad = withManifest(good, (m) => {
      m.tensorSha256 = hash;
    });
    bad.set(dataBytes, bad.length - dataBytes.length);
    const e = await rejection(decodePatchFile(bad, name));
    expect(e.code).toBe('NON_FINITE');
    expect(e.message).toMatch(/Infinity at row 1, column 1/);
  });

  it('keeps a report card: metrics with n, interval and control, and their context', async () => {
    const patch = await makePatch();
    patch.manifest.metrics = {
      'toxicity.expectedMax': { base: 1, patched: 0.5, reference: 0, control: 1, n: 2 },
    };
    patch.manifest.metricsContext = {
      evaluatedAt: '2025-01-01T00:00:00.000Z',
      step: 20,
      configKey: 'cfg1',
      scorers: { 'toxicity.expectedMax': { name: 'lexicon', version: '2' } },
      control: { kind: 'random-patch', seed: 1, n: 3, hidden: 8 },
      interval: { level: 0.95, resamples: 2000, seed: 20240917 },
    };
    const back = await decodePatchFile(await encodePatchFile(patch), name);
    expect(back.patch.manifest.metrics).toEqual(patch.manifest.metrics);
    expect(back.patch.manifest.metricsContext).toEqual(patch.manifest.metricsContext);
  });

  it('rejects a missing manifest and points PEFT adapters to the PEFT import', async () => {
    const bare = rawSafetensors(
      { prompt_embeddings: { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] } },
      f32([1, 2]),
    );
    const e = await rejection(decodePatchFile(bare, name));
    expect(e.code).toBe('MANIFEST_MISSING');
    expect(e.message).toMatch(/PEFT/);
  });

  it('rejects manifests with invalid or missing fields, naming the field', async () => {
    const bytes = await encodePatchFile(await makePatch());
    const cases: [(m: Record<string, unknown>) => void, RegExp][] = [
      [(m) => delete m.name, /name must be a string/],
      [
        (m) => ((m.base as Record<string, unknown>).hiddenSize = -1),
        /base\.hiddenSize must be an integer ≥ 1/,
      ],
      [(m) => (m.domains = ['nonsense']), /domains\[0\] must be one of toxicity, bias, harmful/],
      [(m) => (m.createdAt = 'yesterday'), /createdAt must be an ISO 8601 date/],
      [(m) => (m.tensorSha256 = 'abc'), /tensorSha256 must be 64 lowercase hex/],
      [
        (m) => (m.metrics = { toxicity: { base: 'high' } }),
        /metrics\.toxicity\.base must be a finite number/,
      ],
      [(m) => (m.formatVersion = 'one'), /no valid formatVersion/],
      [
        (m) =>
          (m.metricsContext = {
            evaluatedAt: '2025-01-01T00:00:00.000Z',
            step: 3,
            configKey: 'k',
            scorers: {},
            control: { kind: 'trained', seed: 1, n: 2, hidden: 8 },
            interval: { level: 0.95, resamples: 2000, seed: 1 },
          }),
        /metricsContext\.control\.kind must be "random-patch"/,
      ],
      [
        (m) => (m.parents = [{ name: 'a', tensorSha256: 'f'.repeat(64), nVirtual: 2 }]),
        /parents add up to 2 vectors but the patch has 3/,
      ],
    ];
    for (const [edit, message] of cases) {
      const e = await rejection(decodePatchFile(withManifest(bytes, edit), name));
      expect(e.code).toBe('MANIFEST_INVALID');
      expect(e.message).toMatch(message);
    }
    const notJson = withHeader(bytes, (h) => {
      (h.__metadata__ as Record<string, string>).patch_lab = '{oops';
    });
    expect((await rejection(decodePatchFile(notJson, name))).message).toMatch(/not valid JSON/);
  });

  it('rejects a file from a newer format version, asking for an update', async () => {
    const bytes = await encodePatchFile(await makePatch());
    const v3 = withManifest(bytes, (m) => {
      m.formatVersion = 3;
    });
    const e = await rejection(decodePatchFile(v3, name));
    expect(e.code).toBe('FORMAT_TOO_NEW');
    expect(e.message).toBe(
      'This patch was made by a newer Patch Lab (format v3); this app reads up to v1 — update the app.',
    );
  });

  it('keeps manifest strings as inert text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const bytes = await encodePatchFile(await makePatch({ name: evil }));
    expect((await decodePatchFile(bytes, name)).patch.manifest.name).toBe(evil);
  });
});
