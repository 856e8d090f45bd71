import { describe, expect, it } from 'vitest';
import { PatchFileError } from './errors';
import { decodePatchFile, encodePatchFile } from './file';
import { rawSafetensors } from './fixtures/make-patch';
import { V0_FIXTURE_EMBEDDINGS, v0FixtureFile } from './fixtures/v0-patch';
import { sha256Hex } from './hash';

describe('v0 → v1 migration', () => {
  it('loads a v0 file with a visible note, a computed hash and no fingerprint', async () => {
    const out = await decodePatchFile(v0FixtureFile(), { fileName: 'old.patch.safetensors' });
    expect(out.notes).toHaveLength(1);
    expect(out.notes[0]).toMatch(/^Migrated from format v0/);
    expect(out.verification.state).toBe('unsigned');
    const m = out.patch.manifest;
    expect(m.formatVersion).toBe(1);
    expect(m.name).toBe('be-kind');
    expect(m.base).toEqual({
      id: 'HuggingFaceTB/SmolLM2-135M',
      revision: 'unknown',
      architecture: 'unknown',
      hiddenSize: 4,
      fingerprint: null,
    });
    expect(m.domains).toEqual(['toxicity', 'bias']);
    expect(m.recipe).toEqual({
      init: { method: 'random' },
      stages: [{ kind: 'sft', steps: 150 }],
      beta: null,
      learningRate: 0.01,
      datasets: [],
      seed: 42,
    });
    expect(m.tensorSha256).toBe(
      await sha256Hex(new Uint8Array(new Float32Array(V0_FIXTURE_EMBEDDINGS).buffer)),
    );
    expect(Array.from(out.patch.embeddings)).toEqual(
      Array.from(new Float32Array(V0_FIXTURE_EMBEDDINGS)),
    );
  });

  it('re-saves a migrated v0 patch as v1 that loads without notes', async () => {
    const { patch } = await decodePatchFile(v0FixtureFile(), { fileName: 'old.patch.safetensors' });
    const again = await decodePatchFile(await encodePatchFile(patch), {
      fileName: 'new.patch.safetensors',
    });
    expect(again.notes).toEqual([]);
    expect(again.patch.manifest).toEqual(patch.manifest);
  });

  it('refuses a v0 file missing a required entry with a message naming it', async () => {
    const data = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
    const file = rawSafetensors(
      {
        __metadata__: {
          format: 'patch-lab',
          patch_lab_version: '0',
          name: 'x',
          created: '2024-01-01',
        },
        prompt_embeddings: { dtype: 'F32', shape: [1, 4], data_offsets: [0, 16] },
      },
      data,
    );
    const e = await decodePatchFile(file, { fileName: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PatchFileError);
    expect((e as PatchFileError).code).toBe('MANIFEST_INVALID');
    expect((e as PatchFileError).message).toBe(
      'This is an old (v0) patch file without the required "base_model", "hidden_size" entries; it cannot be migrated.',
    );
  });

  it('refuses a v0-layout file that claims another flat version', async () => {
    const file = rawSafetensors(
      {
        __metadata__: { patch_lab_version: '7' },
        prompt_embeddings: { dtype: 'F32', shape: [1, 1], data_offsets: [0, 4] },
      },
      new Uint8Array(4),
    );
    await expect(decodePatchFile(file, { fileName: 'x' })).rejects.toThrow(
      /only "0" uses that layout/,
    );
  });
});
