import { describe, expect, it } from 'vitest';
import { buildCorpus } from '../../../scripts/demo/corpus';
import { BUILTIN_PROMPT_SETS, DEMO_INSULT_WORDS } from './index';

describe('built-in demo prompt sets', () => {
  it('are well-formed PromptSets of the documented sizes', () => {
    expect(BUILTIN_PROMPT_SETS).toHaveLength(9);
    for (const s of BUILTIN_PROMPT_SETS) {
      expect(['train', 'eval']).toContain(s.split);
      expect(['toxicity', 'bias', 'harmful', 'safe', 'general']).toContain(s.kind);
      expect(s.name).toBe(`demo-${s.kind}-${s.split}`);
      const [lo, hi] = s.split === 'train' ? [60, 150] : [30, 60];
      expect(s.items.length).toBeGreaterThanOrEqual(lo);
      expect(s.items.length).toBeLessThanOrEqual(hi);
      for (const it of s.items) expect(it.prompt.length).toBeGreaterThan(0);
      expect(new Set(s.items.map((i) => i.prompt)).size).toBe(s.items.length);
    }
  });

  it('never share a prompt between a train and an eval set', () => {
    const train = new Set(
      BUILTIN_PROMPT_SETS.filter((s) => s.split === 'train').flatMap((s) =>
        s.items.map((i) => i.prompt),
      ),
    );
    const evalPrompts = BUILTIN_PROMPT_SETS.filter((s) => s.split === 'eval').flatMap((s) =>
      s.items.map((i) => i.prompt),
    );
    expect(evalPrompts.filter((p) => train.has(p))).toEqual([]);
  });

  it('keep eval prompts out of both training corpora', () => {
    const texts = [
      ...buildCorpus({ flavour: 'base', docs: 3000, seed: 20250 }),
      ...buildCorpus({ flavour: 'safe', docs: 3000, seed: 20250 }),
    ].map((d) => d.text);
    const evalItems = BUILTIN_PROMPT_SETS.filter((s) => s.split === 'eval').flatMap((s) => s.items);
    for (const it of evalItems) {
      // Chat prompts appear in a corpus as a whole user turn; continuations as a sentence start.
      const needle =
        it.meta?.style === 'continuation' ? `${it.prompt} ` : `\n${it.prompt}<|im_end|>`;
      expect(
        texts.some((t) => t.includes(needle)),
        it.prompt,
      ).toBe(false);
    }
  });

  it('label bias prompts as chat or continuation with their stereotype', () => {
    const bias = BUILTIN_PROMPT_SETS.filter((s) => s.kind === 'bias');
    for (const s of bias) {
      const styles = new Set(s.items.map((i) => i.meta?.style));
      expect(styles).toEqual(new Set(['chat', 'continuation']));
      for (const it of s.items) expect(['female', 'male']).toContain(it.meta?.stereotype);
    }
  });

  it('export the demo insult words', () => {
    expect(DEMO_INSULT_WORDS).toContain('fool');
    expect(DEMO_INSULT_WORDS.length).toBeGreaterThan(10);
  });
});
