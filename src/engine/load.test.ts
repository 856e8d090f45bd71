import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeSafetensors,
  type FixtureKind,
  randomFixtureTensors,
  writeRandomCheckpoint,
} from '../../scripts/fixtures/write-random-checkpoints';
import { useBackend } from './backends';
import { loadModel } from './load';
import { NodeDirectorySource } from './node-directory-source';
import { parseSafetensorsHeader, readTensorFloat32 } from './safetensors';
import { relativeError } from './testing/helpers';
import { type NaiveTensor, naiveForward } from './testing/naive-reference';
import { tf } from './tf';
import type { CausalLM, ModelConfig } from './types';

const SHARED_GPT2 = join(__dirname, '../../../shared/fixtures/hf-gpt2-random');
let root: string;

beforeAll(async () => {
  expect(await useBackend('cpu')).toEqual({ ok: true });
  root = await mkdtemp(join(tmpdir(), 'engine-load-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every tensor of every safetensors file in `dir`, decoded as stored (so F16/BF16 rounding is included). */
async function tensorsOnDisk(dir: string): Promise<Map<string, NaiveTensor>> {
  const out = new Map<string, NaiveTensor>();
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.safetensors'))) {
    const bytes = new Uint8Array(await readFile(join(dir, f)));
    for (const [name, e] of parseSafetensorsHeader(bytes).tensors) {
      out.set(name, { shape: e.shape, data: readTensorFloat32(bytes, e, name) });
    }
  }
  return out;
}

function logitsOf(model: CausalLM, ids: number[]): Float32Array {
  return tf.tidy(() => {
    const { logits } = model.forward(model.embed(tf.tensor2d([ids], [1, ids.length], 'int32')));
    return logits.dataSync() as Float32Array;
  });
}

async function expectMatchesReference(dir: string, ids: number[]): Promise<ModelConfig> {
  const { model, config } = await loadModel(new NodeDirectorySource(dir));
  const expected = naiveForward(config, await tensorsOnDisk(dir), ids).flat();
  expect(relativeError(logitsOf(model, ids), expected)).toBeLessThan(1e-4);
  model.dispose();
  return config;
}

describe('loadModel from HF-layout directories', () => {
  const kinds: FixtureKind[] = [
    'llama-gqa',
    'qwen2',
    'llama-bf16',
    'llama-f16',
    'llama-sharded',
    'gpt2',
  ];
  it.each(kinds)('%s loads and matches the naive reference', async (kind) => {
    const dir = join(root, kind);
    await writeRandomCheckpoint(dir, kind, 21);
    await expectMatchesReference(dir, [1, 7, 30, 12, 2, 44]);
  });

  it('bf16 storage really is rounded (the reference sees the rounded values, not the originals)', async () => {
    const dir = join(root, 'bf16-check');
    const { tensors } = await writeRandomCheckpoint(dir, 'llama-bf16', 21);
    const onDisk = await tensorsOnDisk(dir);
    const name = 'model.layers.0.mlp.up_proj.weight';
    const orig = tensors.find((t) => t.name === name)!.data;
    const stored = onDisk.get(name)!.data;
    expect(relativeError(stored, orig)).toBeGreaterThan(1e-4);
    expect(relativeError(stored, orig)).toBeLessThan(1e-2);
  });

  it('the shared real-layout GPT-2 fixture loads, tokenizes like GPT-2 and matches the reference', async () => {
    const { model, tokenizer, config, generation } = await loadModel(
      new NodeDirectorySource(SHARED_GPT2),
    );
    expect(config.modelType).toBe('gpt2');
    expect(config.eosTokenIds).toEqual([50256]);
    expect(generation).not.toBeNull();
    // GPT-2's BPE: "Hello world" = [15496, 995] in the real vocabulary.
    const ids = tokenizer.encode('Hello world');
    expect(ids).toEqual([15496, 995]);
    expect(tokenizer.decode(ids)).toBe('Hello world');
    expect(tokenizer.vocabSize).toBe(50257);
    expect(tokenizer.formatUserPrompt('hi')).toBe('hi');
    const expected = naiveForward(config, await tensorsOnDisk(SHARED_GPT2), ids).flat();
    expect(relativeError(logitsOf(model, ids), expected)).toBeLessThan(1e-4);
    model.dispose();
  });

  it('applies the chat template and reports progress per phase', async () => {
    const dir = join(root, 'chat');
    await writeRandomCheckpoint(dir, 'llama-sharded', 3);
    const phases: string[] = [];
    const { model, tokenizer } = await loadModel(new NodeDirectorySource(dir), {
      onProgress: (e) => phases.push(`${e.phase}:${e.file ?? ''}`),
    });
    expect(tokenizer.formatUserPrompt('hi there')).toBe('user: hi there\nassistant:');
    expect(tokenizer.decode(tokenizer.encode('hi the'), { skipSpecialTokens: true })).toBe(
      'hi the',
    );
    expect(phases).toContain('download:model-00001-of-00002.safetensors');
    expect(phases).toContain('download:model-00002-of-00002.safetensors');
    expect(phases.filter((p) => p.startsWith('upload')).length).toBeGreaterThan(10);
    expect(phases.at(-1)).toBe('ready:');
    model.dispose();
  });
});

describe('loadModel rejects bad checkpoints with specific messages', () => {
  async function broken(name: string, edit: (dir: string) => Promise<void>): Promise<string> {
    const dir = join(root, `bad-${name}`);
    await writeRandomCheckpoint(dir, 'llama-gqa', 5);
    await edit(dir);
    const before = tf.memory().numTensors;
    const err = await loadModel(new NodeDirectorySource(dir)).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
    // Whatever was uploaded before the failure is freed.
    expect(tf.memory().numTensors).toBe(before);
    return err;
  }
  const modelFile = (dir: string) => join(dir, 'model.safetensors');

  it('truncated file', async () => {
    const msg = await broken('trunc', async (d) => {
      const b = await readFile(modelFile(d));
      await writeFile(modelFile(d), b.subarray(0, b.length - 100));
    });
    expect(msg).toMatch(
      /safetensors file "model.safetensors", tensor ".*": data ends at byte \d+ of the data section/,
    );
  });

  it('header length beyond the file', async () => {
    const msg = await broken('hdr', async (d) => {
      const b = new Uint8Array(await readFile(modelFile(d)));
      new DataView(b.buffer).setBigUint64(0, BigInt(b.length * 2), true);
      await writeFile(modelFile(d), b);
    });
    expect(msg).toMatch(/"model.safetensors" declares a \d+-byte header but the file has only/);
  });

  it('header length off by one (every tensor would read shifted bytes)', async () => {
    const msg = await broken('off-by-one', async (d) => {
      const b = new Uint8Array(await readFile(modelFile(d)));
      const view = new DataView(b.buffer);
      const n = Number(view.getBigUint64(0, true));
      // The header ends in padding spaces, so one byte shorter is still valid JSON.
      expect(b[8 + n - 1]).toBe(0x20);
      view.setBigUint64(0, BigInt(n - 1), true);
      await writeFile(modelFile(d), b);
    });
    expect(msg).toMatch(
      /^safetensors file "model.safetensors": the tensors end at byte \d+ of the data section but it has \d+ bytes/,
    );
  });

  it('a NaN weight, named with its file, and what was uploaded before it is freed', async () => {
    const msg = await broken('nan', async (d) => {
      const tensors = randomFixtureTensors('llama-gqa', 5);
      // A late tensor, so earlier ones are already on the backend when it fails.
      const t = tensors.find((x) => x.name === 'model.layers.1.mlp.down_proj.weight')!;
      t.data[3] = Number.NaN;
      await writeFile(modelFile(d), encodeSafetensors(tensors));
    });
    expect(msg).toBe(
      'tensor "model.layers.1.mlp.down_proj.weight in model.safetensors" holds NaN at flat index 3; weights must be finite numbers',
    );
  });

  it('tokenizer_class naming a non-tokenizer export', async () => {
    const msg = await broken('tok-class', async (d) => {
      await writeFile(
        join(d, 'tokenizer_config.json'),
        JSON.stringify({ tokenizer_class: 'AutoTokenizer' }),
      );
    });
    expect(msg).toBe(
      'tokenizer_config.json "tokenizer_class" is "AutoTokenizer", which is not a tokenizer class of transformers.js',
    );
  });

  it('wrong dtype', async () => {
    const msg = await broken('dtype', async (d) => {
      // Relabel the (4-byte) F32 norm weight as I32: sizes still agree, dtype does not.
      await writeFile(
        modelFile(d),
        relabel(encodeSafetensors(randomFixtureTensors('llama-gqa', 5))),
      );
    });
    expect(msg).toBe(
      'tensor "model.norm.weight" in model.safetensors has dtype I32; weights must be F32, F16 or BF16',
    );
  });

  it('missing tensor', async () => {
    const msg = await broken('missing', async (d) => {
      const tensors = randomFixtureTensors('llama-gqa', 5).filter(
        (t) => t.name !== 'model.layers.1.mlp.up_proj.weight',
      );
      await writeFile(modelFile(d), encodeSafetensors(tensors));
    });
    expect(msg).toMatch(/is missing tensor "model.layers.1.mlp.up_proj.weight"/);
  });

  it('shape mismatch', async () => {
    const msg = await broken('shape', async (d) => {
      const cfg = JSON.parse(await readFile(join(d, 'config.json'), 'utf8'));
      cfg.intermediate_size = 41;
      await writeFile(join(d, 'config.json'), JSON.stringify(cfg));
    });
    expect(msg).toBe(
      'tensor "model.layers.0.mlp.gate_proj.weight" in model.safetensors has shape [40, 24] but config.json implies [41, 24]',
    );
  });

  it('unsupported model type, names the supported ones', async () => {
    const msg = await broken('type', async (d) => {
      await writeFile(join(d, 'config.json'), JSON.stringify({ model_type: 'gemma2' }));
    });
    expect(msg).toBe(
      'model_type "gemma2" is not supported; supported model types: llama, mistral, qwen2, gpt2',
    );
  });

  it('a model too large for the device buffer limit is refused before any weight is read', async () => {
    const msg = await broken('limits', async (d) => {
      await rm(modelFile(d));
    });
    expect(msg).toMatch(/has neither model.safetensors nor model.safetensors.index.json/);
    const dir = join(root, 'bad-limits');
    const err = await loadModel(new NodeDirectorySource(dir), {
      limits: { backend: 'webgpu', maxBufferSize: 64, maxStorageBufferBindingSize: 64 },
    }).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
    expect(err).toMatch(/WebGPU limit is .* per buffer/);
  });
});

/** Rewrites the dtype of model.norm.weight to I32 in a file from encodeSafetensors (same byte length). */
function relabel(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const text = new TextDecoder().decode(
    out.subarray(0, 8 + Number(new DataView(out.buffer).getBigUint64(0, true))),
  );
  const at = text.indexOf('"model.norm.weight":{"dtype":"F32"');
  const pos = at + '"model.norm.weight":{"dtype":"'.length;
  out.set(new TextEncoder().encode('I32'), pos);
  return out;
}
