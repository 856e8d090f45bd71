import { beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureKind,
  fixtureConfigJson,
  randomFixtureTensors,
} from '../../scripts/fixtures/write-random-checkpoints';
import { createModel } from './architectures';
import { useBackend } from './backends';
import { parseModelConfig } from './config';
import { continuationTokenNll } from './score';
import { relativeError, toWeightMaps } from './testing/helpers';
import { naiveForward } from './testing/naive-reference';
import { tf } from './tf';
import { NO_PART_LIMITS, rowsPerPart, VocabTable } from './vocab-table';

describe('rowsPerPart', () => {
  it('takes the rows that fit the byte limit, capped by the row (dispatch) limit and the vocab', () => {
    // 16 floats = 64 bytes a row: 1000 bytes hold 15 rows.
    expect(rowsPerPart(48, 16, { maxBytes: 1000, maxRows: Infinity })).toBe(15);
    expect(rowsPerPart(48, 16, { maxBytes: 1000, maxRows: 10 })).toBe(10);
    expect(rowsPerPart(48, 16, NO_PART_LIMITS)).toBe(48);
    // 128256 × 2048 (Llama 3.2 1B) under 65,535 workgroups a dimension: two parts.
    expect(rowsPerPart(128_256, 2048, { maxBytes: 2 ** 31, maxRows: 65_535 })).toBe(65_535);
    expect(() => rowsPerPart(48, 16, { maxBytes: 63, maxRows: Infinity })).toThrow(
      /one table row of 16 float32 values \(64 bytes\) exceeds the device's 63-byte buffer limit/,
    );
  });
});

describe.each(['wasm', 'cpu'] as const)('VocabTable on %s', (backend) => {
  beforeAll(async () => {
    expect(await useBackend(backend)).toEqual({ ok: true });
  });

  // Row r of the table is r*10 + column, so every looked-up value names its row.
  const table = () =>
    tf.tensor2d(
      Array.from({ length: 7 * 3 }, (_, i) => Math.floor(i / 3) * 10 + (i % 3)),
      [7, 3],
    );
  const threeRows = { maxBytes: 1e6, maxRows: 3 };
  const threeRowsOfBytes = { maxBytes: 3 * 3 * 4, maxRows: Infinity };

  it('cuts a frozen table into parts of the limit and looks up the same rows', async () => {
    const t = VocabTable.create(table(), threeRows);
    expect([t.rowsPerPart, t.partCount]).toEqual([3, 3]);
    const ids = tf.tensor2d(
      [
        [6, 0, 3],
        [2, 5, 4],
      ],
      [2, 3],
      'int32',
    );
    const rows = t.lookup(ids);
    expect(rows.shape).toEqual([2, 3, 3]);
    expect(Array.from(await rows.data())).toEqual(
      [6, 0, 3, 2, 5, 4].flatMap((r) => [r * 10, r * 10 + 1, r * 10 + 2]),
    );
    // The head: x · tableᵀ, each column the dot product with one row.
    const x = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 2],
    ]);
    const logits = t.asHead().apply(x);
    expect(logits.shape).toEqual([2, 7]);
    expect(Array.from(await logits.data())).toEqual([
      ...[0, 1, 2, 3, 4, 5, 6].map((r) => r * 10),
      ...[0, 1, 2, 3, 4, 5, 6].map((r) => r * 10 + 1 + 2 * (r * 10 + 2)),
    ]);
    expect(Array.from(await t.matrix().data())).toEqual(Array.from(await table().data()));
    tf.dispose([ids, rows, x, logits]);
    t.dispose();
  });

  it('refuses joined logits beyond the limit with the sizes in the message', () => {
    const t = VocabTable.create(table(), threeRowsOfBytes);
    expect(t.partCount).toBe(3);
    const x = tf.zeros([2, 3]);
    // 2 positions × 7 tokens × 4 bytes = 56 > 36.
    expect(() => t.asHead().apply(x)).toThrow(
      /logits for 2 positions × 7 tokens \(56 bytes\) exceed the device's 36-byte buffer limit/,
    );
    tf.dispose(x);
    t.dispose();
  });

  it('a trainable split table gives the unsplit gradients to the Variable', () => {
    const v = tf.variable(tf.randomNormal([7, 3], 0, 1, 'float32', 5) as tf.Tensor2D, true);
    const ids = tf.tensor2d([[6, 0, 3, 3]], [1, 4], 'int32');
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 6) as tf.Tensor2D;
    const loss = (t: VocabTable) => () =>
      tf.sum(
        tf.mul(t.asHead().apply(x), t.asHead().apply(t.lookup(ids).reshape([4, 3]))),
      ) as tf.Scalar;
    const split = VocabTable.create(v, threeRows);
    const whole = VocabTable.create(v, NO_PART_LIMITS);
    expect([split.partCount, whole.partCount]).toEqual([3, 1]);
    const a = tf.variableGrads(loss(split), [v]);
    const b = tf.variableGrads(loss(whole), [v]);
    expect(relativeError(a.grads[v.name].dataSync(), b.grads[v.name].dataSync())).toBeLessThan(
      1e-6,
    );
    expect(a.value.dataSync()[0]).toBeCloseTo(b.value.dataSync()[0], 4);
    tf.dispose([v, ids, x, a.value, b.value, a.grads[v.name], b.grads[v.name]]);
  });

  it.each(['llama-gqa', 'llama-untied', 'gpt2'] as FixtureKind[])(
    '%s split into 5-row parts: same logits as unsplit and the float64 reference, same prefix gradient',
    async (kind) => {
      const cfg = parseModelConfig(fixtureConfigJson(kind));
      const raw = randomFixtureTensors(kind, 3);
      const before = tf.memory().numTensors;
      const whole = createModel(cfg, toWeightMaps(raw).tfWeights, NO_PART_LIMITS);
      const afterWhole = tf.memory().numTensors;
      const split = createModel(cfg, toWeightMaps(raw).tfWeights, { maxBytes: 1e9, maxRows: 5 });
      // 48 rows in parts of 5: each table becomes 10 parts and its original is freed (+9 tensors).
      const tables = cfg.tieWordEmbeddings ? 1 : 2;
      expect(tf.memory().numTensors - afterWhole - (afterWhole - before)).toBe(9 * tables);
      const ids = [1, 7, 30, 47, 0, 12];
      const logits = (m: typeof split) =>
        tf.tidy(() => m.forward(m.embed(tf.tensor2d([ids], [1, ids.length], 'int32'))).logits);
      const a = logits(split);
      const b = logits(whole);
      expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
      const naive = new Map(raw.map((t) => [t.name, { shape: t.shape, data: t.data }]));
      const ref = naiveForward(cfg, naive, ids).flat();
      expect(relativeError(await a.data(), ref)).toBeLessThan(1e-5);

      // tidy frees the initial tensor; the Variable survives it.
      const prefix = tf.tidy(() =>
        tf.variable(tf.randomNormal([2, cfg.hiddenSize], 0, 0.5, 'float32', 8) as tf.Tensor2D),
      );
      const batch = { prompts: [[1, 7, 30]], continuations: [[47, 0, 12]] };
      const g = (m: typeof split) =>
        tf.variableGrads(() => continuationTokenNll(m, batch, prefix), [prefix]);
      const ga = g(split);
      const gb = g(whole);
      expect(
        relativeError(await ga.grads[prefix.name].data(), await gb.grads[prefix.name].data()),
      ).toBeLessThan(1e-6);
      tf.dispose([a, b, prefix, ga.value, gb.value, ga.grads[prefix.name], gb.grads[prefix.name]]);
      split.dispose();
      whole.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
