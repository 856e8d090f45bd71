import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect';
import { importFile } from './index';
import { sharedBytes } from './test-data';

const cases: [string, string][] = [
  ['toxicity/rtp-decodingtrust/nontoxic.jsonl', 'rtp'],
  ['safety/advbench/harmful_behaviors.csv', 'advbench'],
  ['safety/harmbench/harmbench_behaviors_text_val.csv', 'harmbench'],
  ['safety/xstest/xstest_prompts.csv', 'xstest'],
  ['bias/crows-pairs/crows_pairs_anonymized.csv', 'crows-pairs'],
  ['bias/bold/gender_prompt.json', 'bold'],
  ['bias/bbq/Sexual_orientation.jsonl', 'bbq'],
  ['bias/bbq/supplemental_all_examples_uid.csv', 'bbq'],
  ['bias/winogender/all_sentences.tsv', 'generic'],
  ['safety/advbench/harmful_strings.csv', 'generic'],
];

describe('detectFormat', () => {
  it.each(cases)('recognises %s as %s', (path, format) => {
    const name = path.split('/').pop()!;
    expect(detectFormat(name, sharedBytes(path)).format).toBe(format);
  });

  it('recognises BOLD from a string too', () => {
    expect(detectFormat('pasted', '{"g": {"n": ["A prompt"]}}').format).toBe('bold');
  });
});

describe('importFile', () => {
  it('dispatches on the detected format', () => {
    const r = importFile(sharedBytes('safety/xstest/xstest_prompts.csv'), {
      fileName: 'xstest_prompts.csv',
    });
    expect(r.format).toBe('xstest');
    expect(r.sets.map((s) => [s.kind, s.items.length])).toEqual([
      ['safe', 250],
      ['harmful', 200],
    ]);
    const c = importFile(sharedBytes('bias/crows-pairs/crows_pairs_anonymized.csv'), {
      fileName: 'crows.csv',
      crowsPairs: { biasType: 'gender' },
    });
    expect(c.pairSets[0].pairs).toHaveLength(262);
  });

  it('asks for a column when the format is generic', () => {
    expect(() =>
      importFile(sharedBytes('bias/winogender/all_sentences.tsv'), {
        fileName: 'all_sentences.tsv',
      }),
    ).toThrow(
      'all_sentences.tsv: not a known benchmark format: choose the column that holds the prompts',
    );
  });
});

describe('detectFormat reasons', () => {
  it('lists at most 20 columns of an unknown header', () => {
    const header = Array.from({ length: 500 }, (_, i) => `c${i}`).join(',');
    const d = detectFormat('wide.csv', `${header}\n${'x,'.repeat(499)}x\n`);
    expect(d.format).toBe('generic');
    expect(d.reason).toBe(
      `no known benchmark header (columns: ${Array.from({ length: 20 }, (_, i) => `c${i}`).join(', ')}, … (500 in all))`,
    );
  });
});
