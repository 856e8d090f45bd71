import { describe, expect, it } from 'vitest';
import { Adam } from './optimizer';

const HYPER = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

describe('Adam', () => {
  it('matches two hand-computed steps', () => {
    const p = new Float32Array([1, -2]);
    const adam = Adam.create(2, HYPER);
    // Step 1, g = [0.5, −0.1]: m̂ = g, v̂ = g², so each update is lr·g/(|g|+ε) ≈ 0.1·sign(g).
    adam.step(p, new Float32Array([0.5, -0.1]), 0.1);
    expect(p[0]).toBeCloseTo(0.9, 6);
    expect(p[1]).toBeCloseTo(-1.9, 6);
    // Step 2, g = [0.5, 0.3], c1 = 1−0.9² = 0.19, c2 = 1−0.999² = 0.001999
    //  θ0: m = 0.9·0.05 + 0.1·0.5 = 0.095, v = 0.999·0.00025 + 0.001·0.25 = 0.00049975
    //      m̂ = 0.5, v̂ = 0.25 → update 0.1·0.5/0.5 = 0.1 → 0.8
    //  θ1: m = 0.9·(−0.01) + 0.1·0.3 = 0.021, v = 0.999·1e−5 + 0.001·0.09 = 9.999e−5
    //      m̂ = 0.1105263, v̂ = 0.0500250, √v̂ = 0.2236627 → update 0.0494190 → −1.9494190
    adam.step(p, new Float32Array([0.5, 0.3]), 0.1);
    expect(p[0]).toBeCloseTo(0.8, 6);
    expect(p[1]).toBeCloseTo(-1.949419, 5);
    expect(adam.t).toBe(2);
  });

  it('uses the epsilon it is given: 1e-8 vs 1e-4 on a 1e-6 gradient', () => {
    // Update = lr·g/(|g|+ε): 0.1·1e−6/1.01e−6 = 0.0990099 vs 0.1·1e−6/1.01e−4 = 0.000990099
    const a = new Float32Array([0]);
    Adam.create(1, { ...HYPER, epsilon: 1e-8 }).step(a, new Float32Array([1e-6]), 0.1);
    const b = new Float32Array([0]);
    Adam.create(1, { ...HYPER, epsilon: 1e-4 }).step(b, new Float32Array([1e-6]), 0.1);
    expect(a[0]).toBeCloseTo(-0.0990099, 6);
    expect(b[0]).toBeCloseTo(-0.000990099, 8);
  });

  it('resumes from a structured-cloned state exactly as if never interrupted', () => {
    const grads = [
      [0.3, -0.2, 0.1],
      [-0.5, 0.4, 0.0],
      [0.2, 0.2, -0.7],
      [0.1, -0.3, 0.6],
    ].map((g) => new Float32Array(g));
    const straight = new Float32Array([1, 2, 3]);
    const a = Adam.create(3, HYPER);
    for (const g of grads) a.step(straight, g, 0.05);

    const resumed = new Float32Array([1, 2, 3]);
    const b = Adam.create(3, HYPER);
    b.step(resumed, grads[0], 0.05);
    b.step(resumed, grads[1], 0.05);
    const c = Adam.fromState(structuredClone(b.getState()), HYPER);
    // getState is a copy: stepping b afterwards must not change what was saved.
    b.step(new Float32Array(3), grads[2], 0.05);
    c.step(resumed, grads[2], 0.05);
    c.step(resumed, grads[3], 0.05);
    expect(Array.from(resumed)).toEqual(Array.from(straight));
  });

  it('rejects mismatched sizes', () => {
    expect(() => Adam.create(2).step(new Float32Array(3), new Float32Array(3), 0.1)).toThrow();
  });
});
