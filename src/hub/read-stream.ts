// Reads a byte stream to the end, reporting progress per chunk, so every
// source (hub, embedded, local folder, cache) shows the same per-file
// progress bars and honours the same AbortSignal.
import type { FileProgress } from '../engine/types';

export interface ReadProgressOptions {
  onProgress?: (p: FileProgress) => void;
  signal?: AbortSignal;
}

/**
 * `total` is the size the server announced, or null. It is only a hint: a
 * compressed response announces its compressed length while the stream yields
 * decompressed bytes, so once more bytes arrive than announced we report the
 * total as unknown. The last event always has loaded === total === the size.
 */
export async function readStreamWithProgress(
  stream: ReadableStream<Uint8Array>,
  file: string,
  total: number | null,
  { onProgress, signal }: ReadProgressOptions = {},
): Promise<Uint8Array> {
  signal?.throwIfAborted();
  const reader = stream.getReader();
  const onAbort = () => {
    reader.cancel(signal?.reason).catch(() => {});
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  // With a trustworthy size we write into one buffer instead of copying chunks twice:
  // model files reach gigabytes.
  let buffer: Uint8Array | null = total !== null && total > 0 ? new Uint8Array(total) : null;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let announced = total;
  onProgress?.({ file, loaded: 0, total: announced });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) break;
      if (buffer && loaded + value.byteLength <= buffer.byteLength) {
        buffer.set(value, loaded);
      } else {
        if (buffer) {
          // More bytes than announced: the size was not the real one.
          chunks.push(buffer.subarray(0, loaded));
          buffer = null;
          announced = null;
        }
        chunks.push(value);
      }
      loaded += value.byteLength;
      onProgress?.({ file, loaded, total: announced });
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
  const bytes = buffer ? buffer.subarray(0, loaded) : concat(chunks, loaded);
  onProgress?.({ file, loaded, total: loaded });
  return bytes;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0].byteLength === length) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** The Content-Length of a response as a number, or null when absent or unusable. */
export function contentLength(headers: Headers): number | null {
  const raw = headers.get('content-length');
  if (raw === null) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}
