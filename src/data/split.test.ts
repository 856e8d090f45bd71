import { describe, expect, it } from 'vitest';
import { importAdvBench } from './importers/advbench';
import { sharedBytes } from './importers/test-data';
import { checkDisjoint, normalizePrompt, splitTrainEval } from './split';
import type { PromptSet } from './types';

const set = (prompts: string[]): PromptSet => ({
  name: 's',
  kind: 'harmful',
  source: 'test',
  split: 'eval',
  items: prompts.map((prompt, i) => ({ prompt, id: String(i) })),
});

describe('normalizePrompt', () => {
  it('folds case, curly quotes and whitespace', () => {
    expect(normalizePrompt('  What\u2019s   “THIS”?\n')).toBe('what\'s "this"?');
  });
});

describe('splitTrainEval', () => {
  it('splits the 520 AdvBench prompts 20% eval, disjoint, deterministic per seed', () => {
    const { set: adv } = importAdvBench(sharedBytes('safety/advbench/harmful_behaviors.csv'), {
      fileName: 'harmful_behaviors.csv',
    });
    const a = splitTrainEval(adv, { evalFraction: 0.2, seed: 7 });
    const distinct = new Set(adv.items.map((i) => normalizePrompt(i.prompt))).size;
    expect(a.eval.items).toHaveLength(Math.round(0.2 * distinct));
    expect(a.train.items.length + a.eval.items.length).toBe(distinct);
    expect(a.duplicatesDropped).toBe(adv.items.length - distinct);
    expect(checkDisjoint(a.train, a.eval)).toEqual({ disjoint: true, overlaps: [] });
    expect(a.train.split).toBe('train');
    expect(a.eval.split).toBe('eval');
    const b = splitTrainEval(adv, { evalFraction: 0.2, seed: 7 });
    expect(b.eval.items).toEqual(a.eval.items);
    const c = splitTrainEval(adv, { evalFraction: 0.2, seed: 8 });
    expect(c.eval.items).not.toEqual(a.eval.items);
  });

  it('never puts a prompt and its near-duplicate on different sides', () => {
    const s = set(['Hello there', 'hello   THERE', 'b', 'c', 'd', 'e']);
    for (let seed = 0; seed < 20; seed++) {
      const r = splitTrainEval(s, { evalFraction: 0.5, seed });
      expect(checkDisjoint(r.train, r.eval).disjoint).toBe(true);
      expect(r.duplicatesDropped).toBe(1);
      expect(r.train.items.length + r.eval.items.length).toBe(5);
    }
  });

  it('keeps at least one prompt on each side for a fraction strictly between 0 and 1', () => {
    const r = splitTrainEval(set(['a', 'b', 'c']), { evalFraction: 0.01, seed: 1 });
    expect(r.eval.items).toHaveLength(1);
    expect(r.train.items).toHaveLength(2);
    expect(splitTrainEval(set(['a', 'b']), { evalFraction: 0, seed: 1 }).eval.items).toEqual([]);
    expect(() => splitTrainEval(set(['a']), { evalFraction: 1.5, seed: 1 })).toThrow(RangeError);
  });
});

describe('checkDisjoint', () => {
  it('reports overlapping prompts after normalisation', () => {
    expect(checkDisjoint(set(['Why?', 'x']), set(['why?', 'y', 'X ']))).toEqual({
      disjoint: false,
      overlaps: ['why?', 'x'],
    });
  });
});
