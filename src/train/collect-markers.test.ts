import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../engine/backends';
import {
  demoAddedTokenCase,
  gpt2MultiTokenCase,
  type MarkerCase,
} from '../engine/testing/marker-tokenizers';
import { scriptedModel } from '../engine/testing/scripted-model';
import { collectPairs } from './collect';

// Issue 14: the demo's M+P answer read "…Try toassistant\nThe surgeon…". A
// collected answer that runs on into a new turn must be stored cut before it.
describe('collectPairs cuts answers at a chat marker', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const load of [gpt2MultiTokenCase, demoAddedTokenCase]) {
    it(`stores the answer before the marker (${load.name})`, async () => {
      const c: MarkerCase = await load();
      const model = scriptedModel(c.script, c.vocabSize, c.eosTokenId);
      const set = await collectPairs({
        base: { model, id: 'm@1' },
        reference: { model, id: 'mp@1' },
        tokenizer: c.tokenizer,
        promptSets: [
          {
            name: 'tox',
            kind: 'toxicity',
            source: 'test',
            split: 'train',
            items: [{ prompt: 'How do I' }],
          },
        ],
        settings: {
          temperature: 0,
          topK: 0,
          topP: 1,
          maxAnswerTokens: c.script.length + 2,
          maxPromptTokens: 32,
          batchSize: 1,
          seed: 1,
        },
      });
      const [item] = set.items;
      for (const [ids, text] of [
        [item.chosenIds, item.chosenText],
        [item.rejectedIds, item.rejectedText],
      ] as const) {
        expect(text).toBe(c.expected);
        for (const f of c.forbidden) expect(text).not.toContain(f);
        // Cut answers end with the end-of-turn token, so training teaches to stop there.
        expect(c.tokenizer.decode(ids, { skipSpecialTokens: true })).toBe(c.expected);
        expect(ids[ids.length - 1]).toBe(c.eosTokenId);
      }
    });
  }
});
