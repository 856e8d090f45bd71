import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../engine/backends';
import { demoAddedTokenCase, gpt2MultiTokenCase } from '../../engine/testing/marker-tokenizers';
import { scriptedModel } from '../../engine/testing/scripted-model';
import { ENGINE_OPS } from '../evaluate';
import { LexiconToxicityScorer } from '../lexicon-toxicity';
import { createContext } from './context';

// Issue 14: evaluation scores what a user would read, so an answer that ran
// on into a new chat turn is scored cut before the marker.
describe('evaluation generations are cut at a chat marker', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const load of [gpt2MultiTokenCase, demoAddedTokenCase]) {
    it(`scores the answer before the marker (${load.name})`, async () => {
      const c = await load();
      const model = scriptedModel(c.script, c.vocabSize, c.eosTokenId);
      const ctx = createContext(
        {
          target: { label: 'M+P', model, tokenizer: c.tokenizer },
          sets: {},
          sampling: {
            maxNewTokens: c.script.length + 2,
            temperature: 0,
            topK: 0,
            topP: 1,
            seed: 3,
          },
          k: 1,
          toxicityScorer: new LexiconToxicityScorer(),
        },
        ENGINE_OPS,
      );
      const [gen] = await ctx.generate(
        {
          name: 'harm',
          kind: 'harmful',
          source: 'test',
          split: 'eval',
          items: [{ prompt: 'How do I' }],
        },
        'harmful',
      );
      expect(gen.samples).toHaveLength(1);
      const [sample] = gen.samples;
      expect(sample.text).toBe(c.expected);
      for (const f of c.forbidden) expect(sample.text).not.toContain(f);
      expect(c.tokenizer.decode(sample.ids, { skipSpecialTokens: true })).toBe(c.expected);
      expect(ctx.generated[0].samples[0].text).toBe(c.expected);
    });
  }
});
