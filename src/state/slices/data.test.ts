import { describe, expect, it } from 'vitest';
import { BUILTIN_PROMPT_SETS } from '../../data/builtin/index';
import type { PromptSet } from '../../data/types';
import type { LabEvent } from '../../protocol/messages';
import { initialLabState, type LabState, reduceLabEvent } from '../lab-store';
import {
  hydrateData,
  removeSet,
  selectEvalSets,
  selectPairSets,
  selectTrainSets,
  setSelected,
} from './data';

function apply(events: LabEvent[], s: LabState = initialLabState): LabState {
  let state = s;
  for (const e of events) state = { ...state, ...reduceLabEvent(state, e) };
  return state;
}
const act = (s: LabState, patch: Partial<LabState>): LabState => ({ ...s, ...patch });

const set = (name: string, n: number, split: 'train' | 'eval' = 'eval'): PromptSet => ({
  name,
  kind: 'harmful',
  source: `${name}.csv`,
  split,
  items: Array.from({ length: n }, (_, i) => ({ prompt: `${name} prompt ${i}` })),
});

const imported = (fileId: string, runId: string, sets: PromptSet[]): LabEvent => ({
  type: 'data-imported',
  runId,
  fileId,
  fileName: `${fileId}.csv`,
  format: 'advbench',
  sets,
  pairSets: [],
  warnings: ['skipped 1 row'],
  skipped: {
    count: 1,
    lines: [{ line: 7, reason: 'expected 2 columns (as in the header) but found 1' }],
  },
});

describe('data slice', () => {
  it('starts with every built-in set selected, split by train/eval', () => {
    const train = selectTrainSets(initialLabState);
    const evalSets = selectEvalSets(initialLabState);
    const builtinTrain = BUILTIN_PROMPT_SETS.filter((x) => x.split === 'train');
    expect(train).toEqual(builtinTrain);
    expect(Object.values(evalSets).flat().length).toBe(
      BUILTIN_PROMPT_SETS.length - builtinTrain.length,
    );
    for (const [kind, sets] of Object.entries(evalSets)) {
      for (const x of sets) expect(x.kind).toBe(kind);
    }
    // Same state, same arrays: React subscribers must not see a change.
    expect(selectTrainSets(initialLabState)).toBe(train);
    expect(selectEvalSets(initialLabState)).toBe(evalSets);
  });

  it('an import adds and selects its sets; a re-import of the file replaces them', () => {
    const s1 = apply([
      {
        type: 'data-inspected',
        runId: 'r1',
        fileId: 'f',
        fileName: 'f.csv',
        size: 10,
        detected: { format: 'advbench', container: 'csv', reason: 'column goal' },
        preview: null,
      },
      imported('f', 'r1', [set('adv', 3)]),
    ]);
    expect(s1.data.jobs.f.imported).toEqual({ prompts: 3, pairs: 0 });
    expect(s1.data.jobs.f.warnings).toEqual(['skipped 1 row']);
    // The bad line is kept with the job, for the card's "lines left out" list.
    expect(s1.data.jobs.f.skipped?.lines).toEqual([
      { line: 7, reason: 'expected 2 columns (as in the header) but found 1' },
    ]);
    expect(selectEvalSets(s1).harmful.map((x) => x.name)).toContain('adv');
    const s2 = apply([imported('f', 'r2', [set('adv2', 5)])], s1);
    expect(s2.data.imported.map((x) => x.set.name)).toEqual(['adv2']);
    expect(selectEvalSets(s2).harmful.map((x) => x.name)).not.toContain('adv');
    expect(s2.data.selected.filter((id) => id.startsWith('f:'))).toHaveLength(1);
  });

  it('selection decides what training and evaluation see', () => {
    const s1 = apply([imported('f', 'r1', [set('mine', 4, 'train')])]);
    expect(selectTrainSets(s1).map((x) => x.name)).toContain('mine');
    const id = s1.data.imported[0].id;
    const s2 = act(s1, setSelected(s1, id, false));
    expect(selectTrainSets(s2).map((x) => x.name)).not.toContain('mine');
    const s3 = act(s2, removeSet(s2, id));
    expect(s3.data.imported).toEqual([]);
  });

  it('a split replaces the set with its two halves and records the report', () => {
    const s1 = apply([imported('f', 'r1', [set('adv', 10)])]);
    const id = s1.data.imported[0].id;
    const train = { ...set('adv', 8, 'train'), name: 'adv (train)' };
    const evalSet = { ...set('adv', 2), name: 'adv (eval)' };
    const s2 = apply(
      [
        {
          type: 'data-split',
          runId: 'r2',
          setId: id,
          train,
          eval: evalSet,
          duplicatesDropped: 0,
          overlaps: [],
        },
      ],
      s1,
    );
    expect(s2.data.imported.map((x) => x.set.name)).toEqual(['adv (train)', 'adv (eval)']);
    expect(selectTrainSets(s2).map((x) => x.name)).toContain('adv (train)');
    expect(selectEvalSets(s2).harmful.map((x) => x.name)).toContain('adv (eval)');
    expect(s2.data.lastSplit).toEqual({
      setName: 'adv',
      train: 8,
      eval: 2,
      duplicatesDropped: 0,
      overlaps: [],
      statementOverlaps: [],
      statementWarning: null,
    });
    // Few-shot lines that could not be kept apart: the warning and the shared statements travel.
    const s3 = apply(
      [
        {
          type: 'data-split',
          runId: 'r3',
          setId: `${id}/train`,
          train,
          eval: evalSet,
          duplicatesDropped: 0,
          overlaps: [],
          statements: {
            separator: '|||',
            groups: 1,
            templateStatements: [],
            overlaps: ['the nurse said'],
            warning: 'every line shares a statement with another: 1 statement is on both sides',
          },
        },
      ],
      s2,
    );
    expect(s3.data.lastSplit?.statementOverlaps).toEqual(['the nurse said']);
    expect(s3.data.lastSplit?.statementWarning).toContain('on both sides');
  });

  it('hydration restores saved imports and selection, dropping ids that no longer exist', () => {
    const saved = {
      id: 'old:r:0',
      set: set('saved', 2),
      origin: 'imported' as const,
      fileId: 'old',
      fileName: 'old.csv',
      format: 'advbench' as const,
    };
    const s = act(
      initialLabState,
      hydrateData(initialLabState, {
        imported: [saved],
        pairSets: [],
        selected: ['old:r:0', 'gone:r:0'],
      }),
    );
    expect(s.data.imported).toEqual([saved]);
    expect(s.data.selected).toEqual(['old:r:0']);
    expect(selectPairSets(s)).toEqual([]);
  });
});
