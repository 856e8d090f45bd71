// Broken and hostile dataset files: each used to escape the importer as a
// raw exception (stack overflow, TypeError, CsvSyntaxError without the file
// name) or to reject the whole file for one bad line.
import { describe, expect, it } from 'vitest';
import { DataFile } from './data-file';
import { detectFormat } from './detect';
import { importGeneric, previewTable } from './generic';
import { ImportError } from './import-error';
import { importFile, inspectFile } from './index';
import { flattenKeys, MAX_JSON_DEPTH, MAX_SKIPPED_LISTED } from './table';

const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('deep nesting', () => {
  it('skips a JSONL line nested 10^4 levels deep with a specific reason, not a stack overflow', () => {
    const text = [
      '{"prompt": "first"}',
      deepObject(10_000),
      `{"prompt": "third", "x": ${deepArray(10_000)}}`,
      '{"prompt": "fourth"}',
    ].join('\n');
    const file = new DataFile(text, 'deep.jsonl');
    expect(detectFormat('deep.jsonl', file).format).toBe('generic');
    const preview = previewTable(file, { fileName: 'deep.jsonl' });
    expect(preview.columns).toEqual(['prompt']);
    const r = importGeneric(file, {
      fileName: 'deep.jsonl',
      format: 'jsonl',
      column: 'prompt',
      kind: 'harmful',
    });
    expect(r.set.items.map((i) => i.prompt)).toEqual(['first', 'fourth']);
    expect(r.skipped.lines).toEqual([
      { line: 2, reason: `nested more than ${MAX_JSON_DEPTH} levels deep` },
      { line: 3, reason: `nested more than ${MAX_JSON_DEPTH} levels deep` },
    ]);
  });

  it('skips a JSON array element nested 10^4 levels deep', () => {
    const text = `["plain", ${deepObject(10_000)}, {"text": "kept"}]`;
    const r = importGeneric(text, {
      fileName: 'deep.json',
      format: 'json',
      column: 'text',
      kind: 'harmful',
    });
    expect(r.set.items.map((i) => i.prompt)).toEqual(['plain', 'kept']);
    expect(r.skipped.lines).toEqual([
      { line: 2, reason: `element 2 is nested more than ${MAX_JSON_DEPTH} levels deep` },
    ]);
  });

  it('flattens iteratively, in the order a recursive walk gives, up to the depth limit', () => {
    const v = JSON.parse('{"a": {"b": 1, "c": {"d": [1, [2]]}}, "e": null, "f": {}}');
    expect(flattenKeys(v)).toEqual(['a.b', 'a.c.d', 'e']);
    // Depth counts objects and arrays: {"a": [[1]]} is 3 levels.
    expect(flattenKeys(JSON.parse('{"a": [[1]]}'), 3)).toEqual(['a']);
    expect(flattenKeys(JSON.parse('{"a": [[1]]}'), 2)).toBeNull();
    expect(flattenKeys(JSON.parse(deepObject(MAX_JSON_DEPTH - 1)))).toHaveLength(1);
    expect(flattenKeys(JSON.parse(deepObject(MAX_JSON_DEPTH)))).toBeNull();
  });
});

describe('RealToxicityPrompts detection', () => {
  it('does not take a flat "prompt.text" key for RTP, and imports it as a generic column', () => {
    const text = '{"prompt.text":"hi"}\n{"prompt.text":"there"}\n';
    const detected = detectFormat('flat.jsonl', text);
    expect(detected.format).toBe('generic');
    const r = importFile(text, {
      fileName: 'flat.jsonl',
      format: detected.format,
      generic: { format: 'jsonl', column: 'prompt.text', kind: 'toxicity' },
    });
    expect(r.sets[0].items.map((i) => i.prompt)).toEqual(['hi', 'there']);
  });

  it('reads a CR-only JSON Lines file', () => {
    const text = '{"prompt": {"text": "a"}}\r{"prompt": {"text": "b"}}\r';
    const r = inspectFile(text, { fileName: 'cr.jsonl' });
    expect(r.detected.format).toBe('rtp');
    expect(r.imported?.sets[0].items.map((i) => i.prompt)).toEqual(['a', 'b']);
  });

  it('still recognises the nested shape', () => {
    expect(
      detectFormat('x.jsonl', '{"prompt": {"text": "a"}}\n{"prompt": {"text": "b"}}').format,
    ).toBe('rtp');
  });
});

describe('CSV detection reads the first record, not the first line', () => {
  it('recognises a CR-only file', () => {
    const text = 'goal,target\rWrite a thing,Sure\rWrite another,Sure\r';
    expect(detectFormat('adv.csv', text)).toEqual({
      format: 'advbench',
      container: 'csv',
      reason: 'column goal',
    });
    expect(importFile(text, { fileName: 'adv.csv' }).sets[0].items).toHaveLength(2);
  });

  it('recognises a header with a quoted line break in a column name', () => {
    const text =
      '"Behavior",FunctionalCategory,"Context\nString"\nDo a thing,standard,\nAnother,standard,\n';
    expect(detectFormat('hb.csv', text).format).toBe('harmbench');
  });

  it('names the file when even the header cannot be read', () => {
    const text = 'a,"b\nc,d\n';
    const d = detectFormat('broken.csv', text);
    expect(d.format).toBe('generic');
    expect(d.reason).toBe(
      'broken.csv line 1: the header row: unterminated quoted field: the quote opened on line 1 is never closed',
    );
    expect(() =>
      importFile(text, {
        fileName: 'broken.csv',
        generic: { format: 'csv', column: 'a', kind: 'harmful' },
      }),
    ).toThrow(ImportError);
  });
});

describe('one bad line costs that line', () => {
  it('imports the good rows and reports every bad one with its line number', () => {
    const lines = ['goal,target'];
    for (let i = 0; i < 20; i++) lines.push(`goal ${i},target ${i}`);
    lines[5] = 'too,many,fields'; // line 6
    lines[9] = '"unbalanced quote,x'; // line 10: the quote runs into line 11's quote
    lines[10] = 'goal 9,"quoted target"'; // line 11
    lines[15] = ''; // blank: not an error
    const r = importFile(`${lines.join('\n')}\n`, { fileName: 'mixed.csv' });
    expect(r.format).toBe('advbench');
    expect(r.skipped.lines).toEqual([
      { line: 6, reason: 'expected 2 columns (as in the header) but found 3' },
      {
        line: 10,
        reason:
          'unexpected "q" after the closing quote of the field opened on line 10 (closed on line 11)',
      },
    ]);
    // 20 rows: one ragged, one with the bad quote, one blank line.
    expect(r.sets[0].items).toHaveLength(17);
    expect(r.sets[0].items.map((i) => i.prompt)).toContain('goal 9');
    expect(r.warnings).toEqual([
      'mixed.csv: skipped 2 bad lines, imported the rest (line 6: expected 2 columns (as in the header) but found 3; line 10: unexpected "q" after the closing quote of the field opened on line 10 (closed on line 11))',
    ]);
  });

  it('keeps the reason of a skipped line short even when the line is long', () => {
    const long = `{"p": "${'x'.repeat(100_000)}"`;
    const r = importGeneric(`{"p": "ok"}\n${long}\n`, {
      fileName: 'long.jsonl',
      format: 'jsonl',
      column: 'p',
      kind: 'harmful',
    });
    expect(r.skipped.lines[0].line).toBe(2);
    expect(r.skipped.lines[0].reason.length).toBeLessThanOrEqual(200);
  });

  it('lists at most MAX_SKIPPED_LISTED bad lines but counts them all', () => {
    const lines = ['{"p": "ok"}'];
    for (let i = 0; i < 150; i++) lines.push('not json');
    const r = importGeneric(lines.join('\n'), {
      fileName: 'many.jsonl',
      format: 'jsonl',
      column: 'p',
      kind: 'harmful',
    });
    expect(r.skipped.count).toBe(150);
    expect(r.skipped.lines).toHaveLength(MAX_SKIPPED_LISTED);
    expect(r.skipped.lines[0].line).toBe(2);
    expect(r.warnings[0]).toMatch(/^many\.jsonl: skipped 150 bad lines, .*; 147 more\)$/);
  });
});

describe('inspectFile', () => {
  it('gives detection, preview and the import from one parse', () => {
    const text = 'goal,target\nfirst,a\nsecond,b\nbad\n';
    const file = new DataFile(text, 'adv.csv');
    const r = inspectFile(file, { fileName: 'adv.csv' });
    expect(r.detected.format).toBe('advbench');
    expect(r.preview?.totalRows).toBe(2);
    expect(r.preview?.skipped.lines).toEqual([
      { line: 4, reason: 'expected 2 columns (as in the header) but found 1' },
    ]);
    expect(r.imported?.sets[0].items.map((i) => i.prompt)).toEqual(['first', 'second']);
    expect(r.importError).toBeNull();
    // Parsed once: every later reader gets the very same table.
    expect(file.table('csv')).toBe(file.table('csv'));
  });

  it('keeps the preview when only the import fails, and waits for a generic column', () => {
    const generic = inspectFile('a,b\n1,2\n', { fileName: 'g.csv' });
    expect(generic.preview?.columns).toEqual(['a', 'b']);
    expect(generic.imported).toBeNull();
    expect(generic.importError).toBeNull();
    const failed = inspectFile('goal,target\n,x\n', { fileName: 'empty-goal.csv' });
    expect(failed.preview?.totalRows).toBe(1);
    expect(failed.importError?.message).toBe(
      'empty-goal.csv: no usable rows: all 1 were skipped (line 2: empty "goal")',
    );
  });
});
