import { beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureKind,
  fixtureConfigJson,
  randomFixtureTensors,
} from '../../scripts/fixtures/write-random-checkpoints';
import { useBackend } from './backends';
import { parseModelConfig } from './config';
import { createLlamaModel, initRandomLlamaWeights, llamaWeightShapes } from './llama';
import { parseSafetensorsHeader, readTensorFloat32 } from './safetensors';
import { relativeError, toWeightMaps } from './testing/helpers';
import { naiveForward } from './testing/naive-reference';
import { tf } from './tf';
import { weightsToSafetensors } from './weights-io';

const IDS = [1, 5, 9, 33, 2, 17, 40, 8];

describe.each(['cpu', 'wasm'] as const)('llama family forward on %s', (backend) => {
  beforeAll(async () => {
    const r = await useBackend(backend);
    expect(r).toEqual({ ok: true });
  });

  const kinds: FixtureKind[] = [
    'llama-gqa',
    'llama-untied',
    'llama3-rope',
    'llama-linear-rope',
    'mistral',
    'qwen2',
  ];
  it.each(kinds)('%s logits equal the float64 naive reference', (kind) => {
    const cfg = parseModelConfig(fixtureConfigJson(kind));
    const tensors = randomFixtureTensors(kind, 7);
    const { tfWeights, naive } = toWeightMaps(tensors);
    const model = createLlamaModel(cfg, tfWeights);
    const ids = tf.tensor2d([IDS], [1, IDS.length], 'int32');
    const { logits } = model.forward(model.embed(ids));
    expect(logits.shape).toEqual([1, IDS.length, cfg.vocabSize]);
    const expected = naiveForward(cfg, naive, IDS).flat();
    expect(relativeError(logits.dataSync(), expected)).toBeLessThan(1e-4);
    tf.dispose([ids, logits]);
    model.dispose();
  });

  it('a sequence batched with another gives the same logits as alone', () => {
    const cfg = parseModelConfig(fixtureConfigJson('llama-gqa'));
    const { tfWeights } = toWeightMaps(randomFixtureTensors('llama-gqa', 3));
    const model = createLlamaModel(cfg, tfWeights);
    const a = [4, 8, 15, 16];
    const b = [23, 42, 7, 1];
    const both = model.forward(model.embed(tf.tensor2d([a, b], [2, 4], 'int32'))).logits;
    const alone = model.forward(model.embed(tf.tensor2d([b], [1, 4], 'int32'))).logits;
    const second = both.slice([1, 0, 0], [1, 4, cfg.vocabSize]);
    expect(relativeError(second.dataSync(), alone.dataSync())).toBeLessThan(1e-5);
    model.dispose();
  });
});

describe('trainable weights', () => {
  beforeAll(async () => {
    expect(await useBackend('wasm')).toEqual({ ok: true });
  });

  it('gradients reach tf.Variable weights (incl. the tied embedding) and match finite differences', () => {
    const cfg = parseModelConfig(fixtureConfigJson('llama-gqa'));
    const raw = randomFixtureTensors('llama-gqa', 11);
    const vars = new Map<string, tf.Tensor>(
      raw.map((t) => [t.name, tf.variable(tf.tensor(t.data, t.shape), true, `v_${t.name}`)]),
    );
    const model = createLlamaModel(cfg, vars);
    const ids = tf.tensor2d([[3, 9, 27, 5]], [1, 4], 'int32');
    const loss = () =>
      tf.tidy(() => {
        const { logits } = model.forward(model.embed(ids));
        return tf.sum(tf.mul(logits, tf.linspace(-1, 1, cfg.vocabSize))) as tf.Scalar;
      });
    const { grads } = tf.variableGrads(loss);
    // Every parameter gets a gradient, including the one-hot embedding path.
    expect(Object.keys(grads).length).toBe(raw.length);
    const name = 'model.layers.1.self_attn.k_proj.weight';
    const v = vars.get(name) as tf.Variable;
    const g = grads[v.name].dataSync();
    const embedGrad = grads[(vars.get('model.embed_tokens.weight') as tf.Variable).name];
    expect(tf.max(tf.abs(embedGrad)).dataSync()[0]).toBeGreaterThan(0);
    // Central differences in float32 on a few coordinates.
    const base = v.dataSync().slice();
    const eps = 1e-2;
    for (const idx of [0, 17, 101]) {
      const plus = base.slice();
      plus[idx] += eps;
      v.assign(tf.tensor(plus, v.shape));
      const lp = loss().dataSync()[0];
      const minus = base.slice();
      minus[idx] -= eps;
      v.assign(tf.tensor(minus, v.shape));
      const lm = loss().dataSync()[0];
      v.assign(tf.tensor(base, v.shape));
      const fd = (lp - lm) / (2 * eps);
      expect(Math.abs(fd - g[idx])).toBeLessThan(2e-2 * Math.max(1, Math.abs(g[idx])));
    }
    tf.dispose(Object.values(grads));
    model.dispose();
    for (const t of vars.values()) t.dispose();
  });
});

describe('initRandomLlamaWeights and weightsToSafetensors', () => {
  it('produces every expected tensor, std ≈ 0.02 matrices, unit norms, and round-trips through safetensors', async () => {
    await useBackend('cpu');
    const cfg = parseModelConfig(fixtureConfigJson('qwen2'));
    const w = initRandomLlamaWeights(cfg, 5);
    expect([...w.keys()].sort()).toEqual([...llamaWeightShapes(cfg).keys()].sort());
    const q = w.get('model.layers.0.mlp.up_proj.weight')!.dataSync() as Float32Array;
    const std = Math.sqrt(q.reduce((a, x) => a + x * x, 0) / q.length);
    expect(std).toBeGreaterThan(0.017);
    expect(std).toBeLessThan(0.023);
    expect(Array.from(w.get('model.norm.weight')!.dataSync()).every((x) => x === 1)).toBe(true);
    expect(
      Array.from(w.get('model.layers.0.self_attn.q_proj.bias')!.dataSync()).every((x) => x === 0),
    ).toBe(true);
    const bytes = weightsToSafetensors(w);
    const h = parseSafetensorsHeader(bytes);
    const e = h.tensors.get('model.layers.0.mlp.up_proj.weight')!;
    expect(e.shape).toEqual([40, 24]);
    expect(Array.from(readTensorFloat32(bytes, e))).toEqual(Array.from(q));
    for (const t of w.values()) t.dispose();
  });
});
