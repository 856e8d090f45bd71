// The most tensor memory held at any moment while some work runs, forward and
// backward passes included, counted per data buffer. Neither tf.memory() nor
// tf.profile's peakBytes says that: both add up tensors, so a reshape or a
// clone that shares its input's buffer counts twice (on a training step that
// overstated the peak by a third), and tf.profile keeps a record of every
// kernel and takes Math.max over them with a spread, which overflows the
// stack on a 30-layer step. This watches the engine's table of data buffers
// instead: exact at every allocation, one addition per buffer.
import { tf } from './tf';

interface BufferInfo {
  bytes: number;
}

/** The engine's map from data id to buffer (tfjs-core 4.22 engine.ts: set once per new buffer, delete when freed). */
type BufferTable = Pick<WeakMap<object, BufferInfo>, 'get' | 'has' | 'set' | 'delete'>;

let tracking = false;

/**
 * Runs `work` and returns its result with the peak tensor memory during it:
 * the bytes held when it started (tf.memory().numBytes; at rest, with no
 * views alive, every tensor is its own buffer) plus the largest growth in
 * distinct data buffers it reached. Not reentrant.
 */
export async function trackPeakBytes<T>(
  work: () => Promise<T> | T,
): Promise<{ result: T; peakBytes: number; startBytes: number }> {
  if (tracking) throw new Error('trackPeakBytes: already tracking');
  const state = tf.engine().state as unknown as { tensorInfo: BufferTable };
  const table = state.tensorInfo;
  const startBytes = tf.memory().numBytes;
  let growth = 0;
  let peakGrowth = 0;
  state.tensorInfo = {
    get: (k) => table.get(k),
    has: (k) => table.has(k),
    set(k, info) {
      if (!table.has(k)) {
        growth += info.bytes;
        if (growth > peakGrowth) peakGrowth = growth;
      }
      table.set(k, info);
      return this as unknown as WeakMap<object, BufferInfo>;
    },
    delete(k) {
      const info = table.get(k);
      if (info) growth -= info.bytes;
      return table.delete(k);
    },
  };
  tracking = true;
  try {
    const result = await work();
    return { result, peakBytes: startBytes + peakGrowth, startBytes };
  } finally {
    state.tensorInfo = table;
    tracking = false;
  }
}
