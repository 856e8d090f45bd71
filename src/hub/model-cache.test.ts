import { describe, expect, it } from 'vitest';
import {
  clearAllCachedModels,
  clearCachedModel,
  listCachedModels,
  MODEL_CACHE_NAME,
} from './model-cache';
import { MemoryCacheStorage } from './testing/memory-cache-storage';

const HOST = 'https://huggingface.co';

async function seeded(): Promise<MemoryCacheStorage> {
  const storage = new MemoryCacheStorage();
  const cache = await storage.open(MODEL_CACHE_NAME);
  const put = (url: string, size: number, withLength = true) =>
    cache.put(
      url,
      new Response(new Uint8Array(size), {
        headers: withLength ? { 'content-length': String(size) } : {},
      }),
    );
  await put(`${HOST}/HuggingFaceTB/SmolLM2-135M/resolve/main/model.safetensors`, 5000);
  await put(`${HOST}/HuggingFaceTB/SmolLM2-135M/resolve/main/config.json`, 70);
  // Written without a Content-Length: the size comes from the body.
  await put(`${HOST}/HuggingFaceTB/SmolLM2-135M/resolve/main/tokenizer.json`, 300, false);
  await put(`${HOST}/HuggingFaceTB/SmolLM2-135M/resolve/refs%2Fpr%2F3/config.json`, 71);
  await put(`${HOST}/gpt2/resolve/main/onnx/model.onnx`, 9000);
  // Not a hub file URL: listed nowhere, never deleted by clearCachedModel.
  await put('https://example.com/other.bin', 10);
  return storage;
}

describe('model cache', () => {
  it('lists cached files grouped by repo@revision with sizes, largest model first', async () => {
    const models = await listCachedModels(await seeded());
    expect(models).toEqual([
      {
        key: 'gpt2@main',
        host: HOST,
        repoId: 'gpt2',
        revision: 'main',
        files: [
          {
            file: 'onnx/model.onnx',
            url: `${HOST}/gpt2/resolve/main/onnx/model.onnx`,
            bytes: 9000,
          },
        ],
        totalBytes: 9000,
      },
      {
        key: 'HuggingFaceTB/SmolLM2-135M@main',
        host: HOST,
        repoId: 'HuggingFaceTB/SmolLM2-135M',
        revision: 'main',
        files: [
          {
            file: 'config.json',
            url: `${HOST}/HuggingFaceTB/SmolLM2-135M/resolve/main/config.json`,
            bytes: 70,
          },
          {
            file: 'model.safetensors',
            url: `${HOST}/HuggingFaceTB/SmolLM2-135M/resolve/main/model.safetensors`,
            bytes: 5000,
          },
          {
            file: 'tokenizer.json',
            url: `${HOST}/HuggingFaceTB/SmolLM2-135M/resolve/main/tokenizer.json`,
            bytes: 300,
          },
        ],
        totalBytes: 5370,
      },
      {
        key: 'HuggingFaceTB/SmolLM2-135M@refs/pr/3',
        host: HOST,
        repoId: 'HuggingFaceTB/SmolLM2-135M',
        revision: 'refs/pr/3',
        files: [
          {
            file: 'config.json',
            url: `${HOST}/HuggingFaceTB/SmolLM2-135M/resolve/refs%2Fpr%2F3/config.json`,
            bytes: 71,
          },
        ],
        totalBytes: 71,
      },
    ]);
  });

  it('clears one model revision and leaves the rest', async () => {
    const storage = await seeded();
    expect(await clearCachedModel('HuggingFaceTB/SmolLM2-135M', 'main', storage)).toBe(3);
    const keys = (await listCachedModels(storage)).map((m) => m.key);
    expect(keys).toEqual(['gpt2@main', 'HuggingFaceTB/SmolLM2-135M@refs/pr/3']);
    const cache = await storage.open(MODEL_CACHE_NAME);
    expect(cache.entries.has('https://example.com/other.bin')).toBe(true);
    expect(await clearCachedModel('HuggingFaceTB/SmolLM2-135M', 'main', storage)).toBe(0);
  });

  it('clears everything', async () => {
    const storage = await seeded();
    expect(await clearAllCachedModels(storage)).toBe(true);
    expect(await listCachedModels(storage)).toEqual([]);
    expect(await clearAllCachedModels(storage)).toBe(false);
  });

  it('reports an empty cache where there is no CacheStorage or no cache yet', async () => {
    expect(await listCachedModels(null)).toEqual([]);
    expect(await listCachedModels(new MemoryCacheStorage())).toEqual([]);
    expect(await clearCachedModel('gpt2', 'main', null)).toBe(0);
    expect(await clearAllCachedModels(null)).toBe(false);
  });
});
