// A ModelFileSource over a directory on disk, for Node (tests, CLI, bench).
// node:fs is imported lazily so a browser bundle that merely sees this module
// never needs it.
import type { FileProgress, ModelFileSource } from './types';

export class NodeDirectorySource implements ModelFileSource {
  readonly id: string;
  readonly label: string;
  readonly modelId: string;
  readonly revision = 'local';

  constructor(
    readonly dir: string,
    opts: { modelId?: string } = {},
  ) {
    const name =
      dir
        .replace(/[\\/]+$/, '')
        .split(/[\\/]/)
        .pop() || dir;
    this.id = `local:${dir}`;
    this.label = name;
    this.modelId = opts.modelId ?? name;
  }

  async read(
    file: string,
    options: { onProgress?: (p: FileProgress) => void; signal?: AbortSignal } = {},
  ): Promise<Uint8Array | null> {
    if (file.split(/[\\/]/).includes('..')) {
      throw new Error(`refusing to read "${file}" outside the model directory ${this.dir}`);
    }
    options.signal?.throwIfAborted();
    const { readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    try {
      const buf = await readFile(join(this.dir, file), { signal: options.signal });
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      options.onProgress?.({ file, loaded: bytes.byteLength, total: bytes.byteLength });
      return bytes;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`could not read ${file} from ${this.dir}: ${why}`);
    }
  }
}
