import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backends';
import { trackPeakBytes } from './peak-bytes';
import { tf } from './tf';

describe.each(['cpu', 'wasm'] as const)('trackPeakBytes on %s', (backend) => {
  beforeAll(async () => {
    expect(await useBackend(backend)).toEqual({ ok: true });
  });

  it('counts each data buffer once (views and clones share) and sees a freed transient', async () => {
    const before = tf.memory().numBytes;
    const { peakBytes, startBytes } = await trackPeakBytes(() => {
      const a = tf.zeros([1000]); // 4000 bytes
      const views = [a.reshape([10, 100]), tf.clone(a)]; // share a's buffer
      // A second buffer (and the 4-byte scalar 1 beside it): peak 8004 above the start.
      const b = tf.add(a, 1);
      tf.dispose([a, b, ...views]);
      const c = tf.zeros([500]); // after the peak: 2000
      c.dispose();
    });
    expect(startBytes).toBe(before);
    expect(peakBytes - startBytes).toBe(8004);
    expect(tf.memory().numBytes).toBe(before);
  });
});
