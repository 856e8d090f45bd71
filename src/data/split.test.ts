import { describe, expect, it } from 'vitest';
import { importAdvBench } from './importers/advbench';
import { sharedBytes } from './importers/test-data';
import {
  checkDisjoint,
  detectStatementSeparator,
  normalizePrompt,
  splitTrainEval,
  statementOverlaps,
} from './split';
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

describe('few-shot lines joining statements', () => {
  // Hand-made: 8 lines of 2–3 statements joined by "|||". Statements shared
  // between lines link them: {0,1,2} share "cats are mammals" / "water is wet",
  // {3,4} share "fire is hot", {5} and {6} stand alone, {7} shares "the sky is blue" with 0.
  const lines = [
    'The sky is blue. ||| Cats are mammals.',
    'Cats are mammals. ||| Water is wet.',
    'Water is wet. ||| Ice is cold. ||| Grass is green.',
    'Fire is hot. ||| Snow is white.',
    'Sugar is sweet. ||| Fire is hot.',
    'Lemons are sour. ||| Salt is salty.',
    'Owls hunt at night. ||| Bees make honey.',
    'the sky is  BLUE. ||| Rocks are hard.',
  ];
  const fewShot = set(lines);

  it('detects the separator (and none in single-statement sets)', () => {
    expect(detectStatementSeparator(lines)).toBe('|||');
    expect(detectStatementSeparator(['a', 'b', 'c'])).toBeNull();
  });

  it('never puts one statement on both sides, whatever the seed', () => {
    for (let seed = 0; seed < 30; seed++) {
      const r = splitTrainEval(fewShot, { evalFraction: 0.25, seed });
      expect(statementOverlaps(r.train, r.eval, '|||')).toEqual([]);
      expect(r.statements).toMatchObject({ separator: '|||', groups: 4, overlaps: [] });
      expect(r.eval.items.length).toBeGreaterThan(0);
      expect(r.eval.items.length).toBeLessThanOrEqual(2);
      expect(r.train.items.length + r.eval.items.length).toBe(8);
    }
  });

  it('a row split (the old behaviour) leaks statements for some seed', () => {
    const leaks = Array.from({ length: 30 }, (_, seed) =>
      splitTrainEval(fewShot, { evalFraction: 0.25, seed, statementSeparator: null }),
    ).filter((r) => statementOverlaps(r.train, r.eval, '|||').length > 0);
    expect(leaks.length).toBeGreaterThan(0);
  });

  it('ignores a statement shared by most rows (a fixed instruction) when grouping', () => {
    const withInstruction = set(lines.map((l) => `Answer true or false. ||| ${l}`));
    const r = splitTrainEval(withInstruction, { evalFraction: 0.25, seed: 3 });
    expect(r.statements).toMatchObject({
      groups: 4,
      templateStatements: ['answer true or false.'],
      overlaps: [],
    });
  });

  it('warns and shows the overlap when every row is linked to every other', () => {
    const chain = set(['a ||| b', 'b ||| c', 'c ||| d', 'd ||| e', 'e ||| f']);
    const r = splitTrainEval(chain, { evalFraction: 0.4, seed: 1 });
    expect(r.statements?.groups).toBe(1);
    expect(r.statements?.warning).toMatch(/statements overlap/);
    expect(r.statements?.overlaps.length).toBeGreaterThan(0);
    expect(r.statements?.overlaps).toEqual(statementOverlaps(r.train, r.eval, '|||'));
  });
});
