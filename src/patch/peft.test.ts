import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseSafetensorsHeader } from '../engine/safetensors';
import { PatchFileError } from './errors';
import { makePatch, rawSafetensors } from './fixtures/make-patch';
import {
  exportPeftFiles,
  exportPeftZip,
  importPeftAdapter,
  type PeftFile,
  peftAdapterConfig,
} from './peft';

// Hand-written from PEFT's PromptTuningConfig (PeftConfig + PromptLearningConfig
// fields), the way save_pretrained writes it.
const FIXTURE_CONFIG_TEXT = readFileSync(
  new URL('./fixtures/peft-adapter/adapter_config.json', import.meta.url),
  'utf8',
);
const FIXTURE_CONFIG = JSON.parse(FIXTURE_CONFIG_TEXT);
const VALUES = Array.from({ length: 24 }, (_, i) => (i - 12) / 8);

function bf16(values: number[]): Uint8Array {
  const f = new Float32Array(values);
  const u32 = new Uint32Array(f.buffer);
  const out = new Uint16Array(values.length).map((_, i) => u32[i] >>> 16);
  return new Uint8Array(out.buffer);
}

/** adapter_model.safetensors as PEFT writes it: one tensor, {"format": "pt"}. */
function pythonWeights(
  opts: { name?: string; dtype?: 'F32' | 'BF16'; shape?: number[] } = {},
): Uint8Array {
  const dtype = opts.dtype ?? 'F32';
  const data = dtype === 'F32' ? new Uint8Array(new Float32Array(VALUES).buffer) : bf16(VALUES);
  return rawSafetensors(
    {
      __metadata__: { format: 'pt' },
      [opts.name ?? 'prompt_embeddings']: {
        dtype,
        shape: opts.shape ?? [4, 6],
        data_offsets: [0, data.length],
      },
    },
    data,
  );
}

function folder(
  config: unknown = FIXTURE_CONFIG,
  weights = pythonWeights(),
  dir = 'kind-adapter',
): PeftFile[] {
  return [
    { path: `${dir}/adapter_config.json`, bytes: strToU8(JSON.stringify(config)) },
    { path: `${dir}/adapter_model.safetensors`, bytes: weights },
    { path: `${dir}/README.md`, bytes: strToU8('# model card') },
  ];
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PatchFileError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

describe('importPeftAdapter', () => {
  it('imports a Python-made prompt-tuning adapter folder', async () => {
    const out = await importPeftAdapter(folder(), { sourceName: 'kind-adapter' });
    expect(out.patch.nVirtual).toBe(4);
    expect(out.patch.hidden).toBe(6);
    expect(Array.from(out.patch.embeddings)).toEqual(VALUES);
    expect(out.patch.manifest.name).toBe('kind-adapter');
    expect(out.patch.manifest.base).toEqual({
      id: 'HuggingFaceTB/SmolLM2-135M',
      revision: 'unknown',
      architecture: 'unknown',
      hiddenSize: 6,
      fingerprint: null,
    });
    expect(out.verification.state).toBe('unsigned');
    expect(out.notes.join(' ')).toMatch(/no base-model fingerprint/);
  });

  it('converts BF16 weights and accepts a module-path prefix on the tensor name', async () => {
    const out = await importPeftAdapter(
      folder(
        FIXTURE_CONFIG,
        pythonWeights({ dtype: 'BF16', name: 'base_model.prompt_embeddings' }),
      ),
      { sourceName: 'x' },
    );
    // Every VALUES entry is a multiple of 1/8, exact in bf16.
    expect(Array.from(out.patch.embeddings)).toEqual(VALUES);
    expect(out.notes[0]).toBe('Converted from BF16 to float32.');
  });

  it('imports from a zip, nested folder and macOS junk included', async () => {
    const files = Object.fromEntries(folder().map((f) => [f.path, f.bytes]));
    files['__MACOSX/kind-adapter/._adapter_config.json'] = strToU8('junk');
    const out = await importPeftAdapter(zipSync(files), { sourceName: 'kind-adapter.zip' });
    expect(out.patch.nVirtual).toBe(4);
  });

  it('refuses what is not a usable prompt-tuning adapter, saying why', async () => {
    const lora = { ...FIXTURE_CONFIG, peft_type: 'LORA' };
    expect(await code(importPeftAdapter(folder(lora), { sourceName: 'a' }))).toBe(
      'PEFT_UNSUPPORTED: "a" is a LORA adapter; only PEFT prompt tuning (PROMPT_TUNING) adapters are patches.',
    );
    const seq2seq = { ...FIXTURE_CONFIG, task_type: 'SEQ_2_SEQ_LM' };
    expect(await code(importPeftAdapter(folder(seq2seq), { sourceName: 'a' }))).toMatch(
      /^PEFT_UNSUPPORTED: .*SEQ_2_SEQ_LM/,
    );
    const noDim = { ...FIXTURE_CONFIG, token_dim: null };
    expect(await code(importPeftAdapter(folder(noDim), { sourceName: 'a' }))).toMatch(
      /^PEFT_CONFIG_INVALID: .*"token_dim"/,
    );
    const wrongShape = folder(FIXTURE_CONFIG, pythonWeights({ shape: [6, 4] }));
    expect(await code(importPeftAdapter(wrongShape, { sourceName: 'a' }))).toMatch(
      /^BAD_SHAPE: .*shape \[6, 4\] but adapter_config.json says \[4, 6\]/,
    );
    const pickle = folder().filter((f) => !f.path.endsWith('.safetensors'));
    pickle.push({ path: 'kind-adapter/adapter_model.bin', bytes: new Uint8Array(8) });
    expect(await code(importPeftAdapter(pickle, { sourceName: 'a' }))).toMatch(
      /^PEFT_UNSUPPORTED: .*safe_serialization=True/,
    );
    expect(await code(importPeftAdapter(folder().slice(1), { sourceName: 'a' }))).toMatch(
      /^PEFT_FILE_MISSING/,
    );
    expect(
      await code(
        importPeftAdapter([...folder(), ...folder(undefined, undefined, 'b')], { sourceName: 'a' }),
      ),
    ).toMatch(/^PEFT_UNSUPPORTED: "a" holds 2 adapters/);
    expect(
      await code(importPeftAdapter(strToU8('not a zip at all'), { sourceName: 'z.zip' })),
    ).toMatch(/^NOT_A_ZIP/);
    const hidden = { id: 'x', revision: 'main', hiddenSize: 896, fingerprint: 'emb1:1x896:00' };
    expect(
      await code(importPeftAdapter(folder(), { sourceName: 'a', expectedBase: hidden })),
    ).toMatch(/^HIDDEN_SIZE_MISMATCH: .*hidden size 6.*hidden size 896/);
  });
});

describe('PEFT export', () => {
  it('writes adapter_config.json with exactly PEFT’s schema and the recipe’s TEXT init', async () => {
    const patch = await makePatch({ nVirtual: 4, hidden: 6 });
    patch.manifest.recipe!.init = { method: 'text', text: 'You are a kind and careful assistant.' };
    patch.manifest.base.revision = 'unknown';
    const config = peftAdapterConfig(patch, { model: { numHeads: 9, numLayers: 30 } });
    expect(Object.keys(config).sort()).toEqual(Object.keys(FIXTURE_CONFIG).sort());
    expect(config).toEqual(FIXTURE_CONFIG);
    const random = await makePatch();
    random.manifest.recipe = null;
    const c2 = peftAdapterConfig(random, { model: { numHeads: 9, numLayers: 30 } });
    expect(c2.prompt_tuning_init).toBe('RANDOM');
    expect(c2.prompt_tuning_init_text).toBeNull();
    expect(c2.revision).toBe('abc1234');
  });

  it('writes the PEFT tensor key, shape and "pt" format', async () => {
    const patch = await makePatch({ nVirtual: 4, hidden: 6 });
    const files = await exportPeftFiles(patch, { model: { numHeads: 9, numLayers: 30 } });
    const h = parseSafetensorsHeader(files['adapter_model.safetensors']);
    expect([...h.tensors.keys()]).toEqual(['prompt_embeddings']);
    expect(h.tensors.get('prompt_embeddings')!.shape).toEqual([4, 6]);
    expect(h.metadata?.format).toBe('pt');
    expect(JSON.parse(strFromU8(files['adapter_config.json'])).num_virtual_tokens).toBe(4);
  });

  it('round-trips export → zip → import with the identical tensor and manifest', async () => {
    const patch = await makePatch({ nVirtual: 4, hidden: 6 });
    const zip = await exportPeftZip(patch, { model: { numHeads: 9, numLayers: 30 } });
    expect(Object.keys(unzipSync(zip)).sort()).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
    ]);
    const back = await importPeftAdapter(zip, { sourceName: 'kindness-peft.zip' });
    expect(Array.from(back.patch.embeddings)).toEqual(Array.from(patch.embeddings));
    expect(back.patch.manifest).toEqual(patch.manifest);
    expect(back.notes).toEqual([]);
  });

  it('falls back to the config, with a note, when the weights changed after export', async () => {
    const patch = await makePatch({ nVirtual: 4, hidden: 6 });
    const files = await exportPeftFiles(patch, { model: { numHeads: 9, numLayers: 30 } });
    const w = files['adapter_model.safetensors'];
    w[w.length - 1] ^= 0x01;
    const back = await importPeftAdapter(
      Object.entries(files).map(([path, bytes]) => ({ path, bytes })),
      { sourceName: 'retrained' },
    );
    expect(back.patch.manifest.base.fingerprint).toBeNull();
    expect(back.notes[0]).toMatch(
      /^The Patch Lab manifest inside the adapter was not used: .*was modified/,
    );
  });
});
