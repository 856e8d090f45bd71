import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../engine/backends';
import { NodeDirectorySource } from '../../engine/node-directory-source';
import { parseSafetensorsHeader, readTensorFloat32 } from '../../engine/safetensors';
import { tf } from '../../engine/tf';
import type { DeviceLimits, FileProgress, ModelFileSource } from '../../engine/types';
import { fingerprintEmbeddings } from '../../patch/fingerprint';
import type { LabEvent } from '../../protocol/messages';
import { cancelRun, isCancelled } from '../cancellation';
import { session } from '../session';
import { loadIntoSession } from './models';

const GPT2 = join(__dirname, '../../../../shared/fixtures/hf-gpt2-random');
const CPU: DeviceLimits = {
  backend: 'cpu',
  maxBufferSize: null,
  maxStorageBufferBindingSize: null,
};

beforeAll(async () => {
  expect(await useBackend('cpu')).toEqual({ ok: true });
});

afterEach(() => {
  for (const m of Object.values(session.models)) m?.model.dispose();
  session.models = {};
});

/** A source over the fixture that records which files were asked for and can misbehave. */
function spySource(
  hooks: { onRead?: (file: string) => Promise<void> | void; fail?: string } = {},
): ModelFileSource & { reads: string[] } {
  const inner = new NodeDirectorySource(GPT2, { modelId: 'fake-gpt2' });
  const reads: string[] = [];
  return {
    id: inner.id,
    label: 'fake-gpt2',
    modelId: inner.modelId,
    revision: inner.revision,
    reads,
    async read(
      file: string,
      options?: { onProgress?: (p: FileProgress) => void; signal?: AbortSignal },
    ) {
      reads.push(file);
      await hooks.onRead?.(file);
      if (file === hooks.fail) throw new Error(`disk error reading ${file}`);
      return inner.read(file, options);
    },
  };
}

async function run(source: ModelFileSource, runId: string, limits = CPU) {
  const events: LabEvent[] = [];
  let error: Error | null = null;
  try {
    await loadIntoSession({ runId, role: 'base', source, sourceKind: 'local', limits }, (e) =>
      events.push(e),
    );
  } catch (e) {
    error = e as Error;
  }
  return { events, error };
}

/** Parameters straight from the checkpoint: every stored tensor but GPT-2's attention-mask buffers. */
async function checkpointFacts() {
  const bytes = new Uint8Array(await readFile(join(GPT2, 'model.safetensors')));
  const header = parseSafetensorsHeader(bytes);
  let params = 0;
  for (const [name, e] of header.tensors) {
    if (/\.attn\.(bias|masked_bias)$/.test(name)) continue;
    params += e.shape.reduce((a, b) => a * b, 1);
  }
  const wteName = [...header.tensors.keys()].find((n) => n.endsWith('wte.weight'));
  if (!wteName) throw new Error('fixture has no wte.weight');
  const wte = header.tensors.get(wteName)!;
  const matrix = readTensorFloat32(bytes, wte, wteName);
  return {
    params,
    fileSize: bytes.byteLength,
    fingerprint: await fingerprintEmbeddings(matrix, wte.shape[0], wte.shape[1]),
  };
}

describe('loadIntoSession (GPT-2 fixture, cpu)', () => {
  it('streams download, upload, warm-up and ready, then stores M with a true summary', async () => {
    const facts = await checkpointFacts();
    const { events, error } = await run(spySource(), 'run-a');
    expect(error).toBeNull();

    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-started');
    expect(types[1]).toBe('model-load-started');
    expect(types.at(-2)).toBe('model-loaded');
    expect(types.at(-1)).toBe('run-done');
    expect(events.every((e) => !('runId' in e) || e.runId === 'run-a')).toBe(true);

    const progress = events.flatMap((e) => (e.type === 'model-progress' ? [e] : []));
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['download', 'upload', 'warmup', 'ready']);
    const weightsDone = progress
      .filter((p) => p.phase === 'download' && p.file === 'model.safetensors')
      .at(-1);
    expect(weightsDone).toMatchObject({ loaded: facts.fileSize, total: facts.fileSize });
    const lastUpload = progress.filter((p) => p.phase === 'upload').at(-1)!;
    expect(lastUpload.loaded).toBe(lastUpload.total);

    const loaded = events.find((e) => e.type === 'model-loaded');
    if (loaded?.type !== 'model-loaded') throw new Error('no model-loaded');
    expect(loaded.summary).toMatchObject({
      role: 'base',
      modelType: 'gpt2',
      params: facts.params,
      hiddenSize: 2,
      numLayers: 1,
      vocabSize: 50257,
      backend: 'cpu',
      embeddingFingerprint: facts.fingerprint,
      sourceKind: 'local',
    });
    expect(session.models.base?.summary).toEqual(loaded.summary);
  });

  it('replaces the previous model of the role and frees its tensors', async () => {
    await run(spySource(), 'run-1');
    const first = session.models.base!;
    const tensorsWithOne = tf.memory().numTensors;
    await run(spySource(), 'run-2');
    expect(session.models.base).not.toBe(first);
    expect(first.model.embeddingMatrix().isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(tensorsWithOne);
  });

  it('a failed load names the model and keeps the model that was loaded', async () => {
    await run(spySource(), 'run-ok');
    const kept = session.models.base!;
    const before = tf.memory().numTensors;
    const { error, events } = await run(spySource({ fail: 'model.safetensors' }), 'run-bad');
    expect(error?.message).toMatch(
      /^Could not load fake-gpt2 as M\. .*disk error reading model\.safetensors/,
    );
    expect(events.some((e) => e.type === 'model-loaded')).toBe(false);
    expect(session.models.base).toBe(kept);
    expect(kept.model.embeddingMatrix().isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancelling mid-load ends with run-cancelled and leaves nothing behind', async () => {
    const before = tf.memory().numTensors;
    const source = spySource({
      onRead: async (file) => {
        if (file !== 'model.safetensors') return;
        cancelRun('run-c');
        await new Promise((r) => setTimeout(r, 300)); // the read in flight ends before the abort is seen
      },
    });
    const { events, error } = await run(source, 'run-c');
    expect(error).toBeNull();
    expect(events.at(-1)).toEqual({ type: 'run-cancelled', runId: 'run-c' });
    expect(session.models.base).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    // The run's controller is dropped with the run: nothing stays marked.
    expect(isCancelled('run-c')).toBe(false);
  });

  it('refuses a model too large for the WebGPU buffer limit before reading any weights', async () => {
    const source = spySource();
    const tiny: DeviceLimits = {
      backend: 'webgpu',
      maxBufferSize: 4096,
      maxStorageBufferBindingSize: 4096,
    };
    const { error } = await run(source, 'run-big', tiny);
    expect(error?.message).toMatch(/WebGPU limit is .* per buffer/);
    expect(error?.message).toMatch(/Choose a smaller model/);
    expect(source.reads).not.toContain('model.safetensors');
    expect(session.models.base).toBeUndefined();
  });
});
