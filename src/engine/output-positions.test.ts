// forward()'s outputPositions window: the logits of a window equal the same
// window of the full logits (the lm_head runs on fewer rows, nothing else
// changes), for both architectures, and a window outside the sequence is
// refused before any work.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureKind,
  fixtureConfigJson,
  randomFixtureTensors,
} from '../../scripts/fixtures/write-random-checkpoints';
import { createModel } from './architectures';
import { useBackend } from './backends';
import { parseModelConfig } from './config';
import { relativeError, toWeightMaps } from './testing/helpers';
import { tf } from './tf';

const IDS = [
  [1, 5, 9, 33, 2, 17, 40, 8],
  [3, 3, 7, 21, 44, 0, 12, 30],
];

describe.each(['cpu', 'wasm'] as const)('forward outputPositions on %s', (backend) => {
  beforeAll(async () => {
    expect(await useBackend(backend)).toEqual({ ok: true });
  });

  it.each(['llama-gqa', 'llama-untied', 'gpt2'] as FixtureKind[])(
    '%s: a window of positions gives that window of the full logits',
    (kind) => {
      const cfg = parseModelConfig(fixtureConfigJson(kind));
      const model = createModel(cfg, toWeightMaps(randomFixtureTensors(kind, 11)).tfWeights);
      const embeds = model.embed(tf.tensor2d(IDS, [2, 8], 'int32'));
      const full = model.forward(embeds).logits;
      const win = model.forward(embeds, { outputPositions: { start: 3, length: 4 } }).logits;
      expect(win.shape).toEqual([2, 4, cfg.vocabSize]);
      const expected = tf.slice(full, [0, 3, 0], [2, 4, cfg.vocabSize]);
      expect(relativeError(win.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
      tf.dispose([embeds, full, win, expected]);
      model.dispose();
    },
  );

  it('refuses a window outside the sequence or not made of whole positions', () => {
    const cfg = parseModelConfig(fixtureConfigJson('llama-gqa'));
    const model = createModel(cfg, toWeightMaps(randomFixtureTensors('llama-gqa', 2)).tfWeights);
    const embeds = model.embed(tf.tensor2d([IDS[0]], [1, 8], 'int32'));
    const before = tf.memory().numTensors;
    expect(() => model.forward(embeds, { outputPositions: { start: 5, length: 4 } })).toThrow(
      'outputPositions 5..8 exceed the 8 input positions',
    );
    expect(() => model.forward(embeds, { outputPositions: { start: 0, length: 0 } })).toThrow(
      'outputPositions needs integers start >= 0 and length >= 1, got 0, 0',
    );
    expect(() => model.forward(embeds, { outputPositions: { start: 1.5, length: 2 } })).toThrow(
      'outputPositions needs integers',
    );
    expect(tf.memory().numTensors).toBe(before);
    embeds.dispose();
    model.dispose();
  });
});
