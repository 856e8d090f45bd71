import { beforeAll, describe, expect, it } from 'vitest';
import type { PromptSet } from '../data/types';
import { useBackend } from '../engine/backends';
import { scoreContinuations } from '../engine/score';
import { tf } from '../engine/tf';
import type { CausalLM, TextTokenizer } from '../engine/types';
import { collectPairs } from './collect';
import { createTinyLlama } from './testing/tiny-llama';

// Characters → ids 2..31 (0 = BOS, 1 = EOS in the tiny Llama's config).
const tokenizer: TextTokenizer = {
  encode: (text) => Array.from(text, (c) => 2 + (c.charCodeAt(0) % 30)),
  decode: (ids, o) => ids.filter((i) => !(o?.skipSpecialTokens && i < 2)).join(' '),
  formatUserPrompt: (t) => `U:${t}>`,
  eosTokenIds: [1],
  vocabSize: 32,
};

const sets: PromptSet[] = [
  {
    name: 'tox',
    kind: 'toxicity',
    source: 'test',
    split: 'train',
    items: [{ prompt: 'you are', id: 't0' }, { prompt: 'hey' }, { prompt: 'so what' }],
  },
  { name: 'harm', kind: 'harmful', source: 'test', split: 'train', items: [{ prompt: 'how to' }] },
];

const settings = {
  temperature: 0.8,
  topK: 0,
  topP: 1,
  maxAnswerTokens: 5,
  maxPromptTokens: 6,
  batchSize: 3,
  seed: 42,
};

/** A model that always puts all its probability on EOS (id 1). */
function alwaysStops(inner: CausalLM): CausalLM {
  return {
    ...inner,
    config: inner.config,
    embed: (ids) => inner.embed(ids),
    embeddingMatrix: () => inner.embeddingMatrix(),
    forward: (x, o) => {
      const r = inner.forward(x, o);
      const bias = tf.oneHot([1], inner.config.vocabSize).mul(1e4).reshape([1, 1, -1]);
      const logits = r.logits.add(bias) as tf.Tensor3D;
      tf.dispose([r.logits, bias]);
      return { ...r, logits };
    },
  };
}

describe('collectPairs', () => {
  let base: CausalLM;
  let safe: CausalLM;
  beforeAll(async () => {
    await useBackend('cpu');
    base = createTinyLlama(1);
    safe = createTinyLlama(2);
  });

  it('collects chosen (M′) and rejected (M) answers with M′ log-probs matching the engine’s scorer', async () => {
    const progress: number[] = [];
    const set = await collectPairs({
      base: { model: base, id: 'base@1' },
      reference: { model: safe, id: 'safe@1' },
      tokenizer,
      promptSets: sets,
      settings,
      onProgress: (p) => progress.push(p.done),
    });
    expect(progress).toEqual([0, 3, 4]);
    expect(set.items.map((i) => i.domain)).toEqual(['toxicity', 'toxicity', 'toxicity', 'harmful']);
    expect(set.items[0].sourceId).toBe('t0');
    // 'U:you are>' is 10 characters: truncated to its last 6 tokens.
    expect(set.items[0].promptIds).toEqual(tokenizer.encode('u are>'));
    expect(set.items[1].promptIds).toEqual(tokenizer.encode('U:hey>'));
    for (const it of set.items) {
      expect(it.chosenIds.length).toBeGreaterThan(0);
      expect(it.chosenIds.length).toBeLessThanOrEqual(5);
      expect(it.chosenText).toBe(tokenizer.decode(it.chosenIds, { skipSpecialTokens: true }));
    }
    // Different models and seeds: the answers are not all the same.
    expect(set.items.some((it) => it.chosenIds.join() !== it.rejectedIds.join())).toBe(true);
    // The reference scores, against the engine's independent scorer on M′.
    const prompts = set.items.map((i) => i.promptIds);
    const c = await scoreContinuations(
      safe,
      prompts,
      set.items.map((i) => i.chosenIds),
    );
    const r = await scoreContinuations(
      safe,
      prompts,
      set.items.map((i) => i.rejectedIds),
    );
    set.items.forEach((it, i) => {
      expect(it.refChosen).toBeCloseTo(c.sum[i], 3);
      expect(it.refRejected).toBeCloseTo(r.sum[i], 3);
    });
    expect(structuredClone(set)).toEqual(set);
    expect(set.promptSets.map((p) => p.count)).toEqual([3, 1]);
  });

  it('is reproducible, and its id changes with the settings', async () => {
    const run = (s = settings) =>
      collectPairs({
        base: { model: base, id: 'base@1' },
        reference: { model: safe, id: 'safe@1' },
        tokenizer,
        promptSets: sets,
        settings: s,
      });
    const a = await run();
    const b = await run();
    expect(b.items).toEqual(a.items);
    expect(b.id).toBe(a.id);
    expect((await run({ ...settings, temperature: 0.5 })).id).not.toBe(a.id);
  });

  it('keeps the stop token a model ended its answer with', async () => {
    const set = await collectPairs({
      base: { model: base, id: 'b' },
      reference: { model: alwaysStops(safe), id: 's' },
      tokenizer,
      promptSets: sets,
      settings,
    });
    for (const it of set.items) {
      expect(it.chosenIds).toEqual([1]);
      expect(it.chosenText).toBe('');
    }
  });

  it('stops at the abort signal between batches', async () => {
    const ctl = new AbortController();
    const seen: number[] = [];
    const p = collectPairs({
      base: { model: base, id: 'b' },
      reference: { model: safe, id: 's' },
      tokenizer,
      promptSets: sets,
      settings,
      signal: ctl.signal,
      onProgress: (x) => {
        seen.push(x.done);
        if (x.done === 3) ctl.abort();
      },
    });
    await expect(p).rejects.toThrow();
    expect(seen).toEqual([0, 3]);
  });

  it('refuses a reference with another vocabulary', async () => {
    await expect(
      collectPairs({
        base: { model: base, id: 'b' },
        reference: { model: createTinyLlama(3, { vocab: 40 }), id: 's' },
        tokenizer,
        promptSets: sets,
        settings,
      }),
    ).rejects.toThrow(/vocabular/);
  });
});
