// A model the user picked from disk: a folder (<input webkitdirectory>, whose
// files carry webkitRelativePath "folder/sub/file") or loose dropped files.
// Users often pick the folder *above* the model (e.g. a download that
// unpacked into "SmolLM2-135M/"), so files are found by their path relative
// to the folder that holds config.json, falling back to the base name.
import { baseName, dirName } from '../engine/file-path';
import type { FileProgress, ModelFileSource } from '../engine/types';
import { ModelFileError } from './model-file-error';
import { readStreamWithProgress } from './read-stream';

const SHARD = /^model-\d{5}-of-\d{5}\.safetensors$/;

interface Entry {
  file: File;
  /** Path with forward slashes, relative to the picked folder (or just the name). */
  path: string;
}

function relativePath(file: File): string {
  const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
  return rel && rel.length > 0 ? rel.replace(/\\/g, '/') : file.name;
}

const depth = (path: string) => path.split('/').length;

/**
 * The files of an HF model folder, read from File objects. Throws at once,
 * listing what is missing, when the pick cannot be a model: config.json,
 * safetensors weights and tokenizer.json are all needed.
 */
export function localFilesSource(files: File[] | FileList, label?: string): ModelFileSource {
  const entries: Entry[] = Array.from(files, (file) => ({ file, path: relativePath(file) }));
  if (entries.length === 0) {
    throw new ModelFileError(
      'invalid',
      'No files were picked. Choose the folder of a Hugging Face model.',
    );
  }

  // The model root is the shallowest folder that holds a config.json.
  const configs = entries
    .filter((e) => baseName(e.path) === 'config.json')
    .sort((a, b) => depth(a.path) - depth(b.path));
  const root = configs.length > 0 ? dirName(configs[0].path) : '';
  const byPath = new Map<string, File>();
  const byName = new Map<string, Entry>();
  for (const e of entries) {
    const rel = root && e.path.startsWith(`${root}/`) ? e.path.slice(root.length + 1) : e.path;
    byPath.set(rel, e.file);
    const name = baseName(e.path);
    const seen = byName.get(name);
    // Two files with one name (e.g. a nested copy): the one nearest the root wins.
    if (!seen || depth(e.path) < depth(seen.path)) byName.set(name, e);
  }

  const missing: string[] = [];
  if (!byName.has('config.json')) missing.push('config.json');
  const names = [...byName.keys()];
  const hasWeights =
    byName.has('model.safetensors') ||
    byName.has('model.safetensors.index.json') ||
    names.some((n) => SHARD.test(n));
  if (!hasWeights) {
    const pytorchOnly = names.some(
      (n) => n.endsWith('.bin') || n.endsWith('.pt') || n.endsWith('.pth'),
    );
    missing.push(
      pytorchOnly
        ? 'the weights as safetensors (only PyTorch .bin/.pt weights are here; convert them to model.safetensors)'
        : 'the weights (model.safetensors, or model.safetensors.index.json with its shards)',
    );
  }
  if (!byName.has('tokenizer.json')) missing.push('tokenizer.json');

  const folder =
    label ??
    (root
      ? root.split('/').pop()!
      : entries[0].path.includes('/')
        ? entries[0].path.split('/')[0]
        : 'picked files');
  if (missing.length > 0) {
    const shown = entries.slice(0, 12).map((e) => e.path);
    const more = entries.length > shown.length ? `, and ${entries.length - shown.length} more` : '';
    throw new ModelFileError(
      'invalid',
      `"${folder}" is not a complete Hugging Face model: missing ${missing.join('; ')}. ` +
        `It has: ${shown.join(', ')}${more}.`,
    );
  }

  async function read(
    file: string,
    { onProgress, signal }: { onProgress?: (p: FileProgress) => void; signal?: AbortSignal } = {},
  ): Promise<Uint8Array | null> {
    signal?.throwIfAborted();
    const found = byPath.get(file) ?? byName.get(baseName(file))?.file;
    if (!found) return null;
    try {
      return await readStreamWithProgress(found.stream(), file, found.size, { onProgress, signal });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      // Typically NotReadableError: the file changed or vanished on disk after it was picked.
      throw new ModelFileError(
        'interrupted',
        `Could not read ${file} from "${folder}": ${String(err)}. Pick the folder again.`,
        { file, cause: err },
      );
    }
  }

  return {
    id: `local:${folder}`,
    label: `${folder} (local folder)`,
    modelId: folder,
    revision: 'local',
    read,
  };
}
