import { describe, expect, it } from 'vitest';
import type { FileProgress } from '../engine/types';
import { localFilesSource } from './local-source';
import { ModelFileError } from './model-file-error';
import { expectMonotoneProgress, expectSameBytes } from './testing/expect-bytes';
import { fixtureBytes } from './testing/fixture-server';

/** A File as <input webkitdirectory> gives it: webkitRelativePath set, read-only. */
function pickedFile(relativePath: string, bytes: Uint8Array | string): File {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const file = new File([bytes as BlobPart], name);
  Object.defineProperty(file, 'webkitRelativePath', { value: relativePath });
  return file;
}

const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];

function pickedFolder(prefix: string, files = MODEL_FILES): File[] {
  return files.map((f) => pickedFile(`${prefix}${f}`, fixtureBytes(f)));
}

describe('localFilesSource', () => {
  it('reads a picked model folder byte for byte, with progress', async () => {
    const src = localFilesSource(pickedFolder('gpt2-random/'));
    expect(src).toMatchObject({
      id: 'local:gpt2-random',
      label: 'gpt2-random (local folder)',
      modelId: 'gpt2-random',
      revision: 'local',
    });
    const events: FileProgress[] = [];
    const bytes = await src.read('model.safetensors', { onProgress: (p) => events.push(p) });
    expectSameBytes(bytes, fixtureBytes('model.safetensors'));
    expectMonotoneProgress(
      events,
      'model.safetensors',
      fixtureBytes('model.safetensors').byteLength,
    );
    expect(await src.read('generation_config.json')).toBeNull();
  });

  it('finds the model one folder down when the parent folder was picked', async () => {
    const files = [
      pickedFile('downloads/README.md', '# hi'),
      ...pickedFolder('downloads/gpt2-random/'),
    ];
    const src = localFilesSource(files);
    expect(src.modelId).toBe('gpt2-random');
    expectSameBytes(await src.read('config.json'), fixtureBytes('config.json'));
  });

  it('accepts loose dropped files (no relative path) and a custom label', async () => {
    const files = MODEL_FILES.map((f) => new File([fixtureBytes(f) as BlobPart], f));
    const src = localFilesSource(files, 'my model');
    expect(src.id).toBe('local:my model');
    expectSameBytes(await src.read('tokenizer.json'), fixtureBytes('tokenizer.json'));
  });

  it('prefers the exact relative path, then the file nearest the model root', async () => {
    const files = [
      ...pickedFolder('m/'),
      pickedFile('m/onnx/config.json', 'nested'),
      pickedFile('m/checkpoint-1/extra.json', 'only nested'),
    ];
    const src = localFilesSource(files);
    expectSameBytes(await src.read('config.json'), fixtureBytes('config.json'));
    expect(new TextDecoder().decode((await src.read('onnx/config.json'))!)).toBe('nested');
    expect(new TextDecoder().decode((await src.read('extra.json'))!)).toBe('only nested');
  });

  it('accepts sharded weights', () => {
    const files = [
      pickedFile('m/config.json', '{}'),
      pickedFile('m/tokenizer.json', '{}'),
      pickedFile('m/model-00001-of-00002.safetensors', ''),
      pickedFile('m/model-00002-of-00002.safetensors', ''),
    ];
    expect(localFilesSource(files).modelId).toBe('m');
  });

  it('lists everything that is missing, and what the folder has', () => {
    const files = [pickedFile('notes/readme.txt', 'x'), pickedFile('notes/tokenizer.json', '{}')];
    expect(() => localFilesSource(files)).toThrow(
      '"notes" is not a complete Hugging Face model: missing config.json; the weights ' +
        '(model.safetensors, or model.safetensors.index.json with its shards). ' +
        'It has: notes/readme.txt, notes/tokenizer.json.',
    );
  });

  it('says when only PyTorch weights are there', () => {
    const files = [
      pickedFile('m/config.json', '{}'),
      pickedFile('m/pytorch_model.bin', ''),
      pickedFile('m/tokenizer.json', '{}'),
    ];
    expect(() => localFilesSource(files)).toThrow(/only PyTorch \.bin\/\.pt weights are here/);
  });

  it('refuses an empty pick', () => {
    expect(() => localFilesSource([])).toThrow(ModelFileError);
    expect(() => localFilesSource([])).toThrow('No files were picked');
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const src = localFilesSource(pickedFolder('m/'));
    await expect(src.read('config.json', { signal: controller.signal })).rejects.toThrow(
      'cancelled',
    );
  });
});
