import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import { runGradientSelftest } from './gradient-selftest';

// Independent float64 reference of loss = mean(-log softmax(tanh(xW))[:,0])
// and its gradients by central finite differences.
function lossOf(x: number[], w: number[]): number {
  let total = 0;
  for (let r = 0; r < 2; r++) {
    const z = [0, 1].map((c) =>
      Math.tanh([0, 1, 2].reduce((s, k) => s + x[r * 3 + k] * w[k * 2 + c], 0)),
    );
    const lse = Math.log(Math.exp(z[0]) + Math.exp(z[1]));
    total += -(z[0] - lse);
  }
  return total / 2;
}

describe('gradient self-test', () => {
  beforeAll(async () => {
    expect((await useBackend('cpu')).ok).toBe(true);
  });

  it('matches a float64 reference and finite differences', async () => {
    const x = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6];
    const w = [0.7, -0.8, 0.9, 1.0, -1.1, 1.2];
    const got = await runGradientSelftest();
    expect(got.loss).toBeCloseTo(lossOf(x, w), 6);
    const h = 1e-6;
    x.forEach((_, i) => {
      const up = x.slice();
      const dn = x.slice();
      up[i] += h;
      dn[i] -= h;
      expect(got.gradX[i]).toBeCloseTo((lossOf(up, w) - lossOf(dn, w)) / (2 * h), 5);
    });
    w.forEach((_, i) => {
      const up = w.slice();
      const dn = w.slice();
      up[i] += h;
      dn[i] -= h;
      expect(got.gradW[i]).toBeCloseTo((lossOf(x, up) - lossOf(x, dn)) / (2 * h), 5);
    });
  });
});
