import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('splits plain fields and records', () => {
    expect(parseCsv('a,b\n1,2\n').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps delimiters, escaped quotes and line breaks inside quoted fields', () => {
    const text = 'id,text\n1,"Hello, ""world""\nsecond line"\n2,x\n';
    const { rows, lines } = parseCsv(text);
    expect(rows).toEqual([
      ['id', 'text'],
      ['1', 'Hello, "world"\nsecond line'],
      ['2', 'x'],
    ]);
    // Record 2 starts on line 2; the quoted newline pushes record 3 to line 4.
    expect(lines).toEqual([1, 2, 4]);
  });

  it('treats CRLF as one line break, also inside quotes', () => {
    const { rows, lines } = parseCsv('a,b\r\n"x\r\ny",z\r\nq,r');
    expect(rows).toEqual([
      ['a', 'b'],
      ['x\r\ny', 'z'],
      ['q', 'r'],
    ]);
    expect(lines).toEqual([1, 2, 4]);
  });

  it('keeps empty fields, skips blank lines, and handles a missing final newline', () => {
    expect(parseCsv('a,,c\n\n,,\nlast').rows).toEqual([['a', '', 'c'], ['', '', ''], ['last']]);
  });

  it('keeps a quoted empty field as a record', () => {
    expect(parseCsv('""\n').rows).toEqual([['']]);
  });

  it('keeps a quote inside an unquoted field as a literal', () => {
    expect(parseCsv('5" tall,x').rows).toEqual([['5" tall', 'x']]);
  });

  it('reads tab-separated text', () => {
    expect(parseCsv('a\tb\n"1\t2"\t3', '\t').rows).toEqual([
      ['a', 'b'],
      ['1\t2', '3'],
    ]);
  });

  it('reads CR-only line endings (old Mac, some Excel exports), also inside quotes', () => {
    const { rows, lines } = parseCsv('a,b\r"x\ry",z\rq,r\r');
    expect(rows).toEqual([
      ['a', 'b'],
      ['x\ry', 'z'],
      ['q', 'r'],
    ]);
    expect(lines).toEqual([1, 2, 4]);
  });

  it('reports an unterminated quote at the line it opened on, and keeps the rows before', () => {
    const { rows, problems } = parseCsv('a,b\n1,"open\nstill open');
    expect(problems).toEqual([
      { line: 2, message: 'unterminated quoted field: the quote opened on line 2 is never closed' },
    ]);
    // Parsing resumes on line 3, which is an ordinary unquoted record.
    expect(rows).toEqual([['a', 'b'], ['still open']]);
  });

  it('skips a record with text after a closing quote, naming the line, and keeps the rest', () => {
    const { rows, lines, problems } = parseCsv('a\n"x"y\nz\n');
    expect(problems).toEqual([
      { line: 2, message: 'unexpected "y" after the closing quote of the field opened on line 2' },
    ]);
    expect(rows).toEqual([['a'], ['z']]);
    expect(lines).toEqual([1, 3]);
  });

  it('blames a stray quote on the line where it opened, not where parsing noticed', () => {
    // Line 3's stray quote swallows lines 4-5 up to line 6's quote; the
    // problem is line 3, and lines 4, 5 and 6 are still read.
    const text = 'id,text\n1,ok\n2,"oops\n3,fine\n4,also fine\n5,"quoted"\n';
    const { rows, lines, problems } = parseCsv(text);
    expect(problems).toEqual([
      {
        line: 3,
        message:
          'unexpected "q" after the closing quote of the field opened on line 3 (closed on line 6)',
      },
    ]);
    expect(rows).toEqual([
      ['id', 'text'],
      ['1', 'ok'],
      ['3', 'fine'],
      ['4', 'also fine'],
      ['5', 'quoted'],
    ]);
    expect(lines).toEqual([1, 2, 4, 5, 6]);
  });

  it('slices a large quoted field with escapes and line breaks exactly', () => {
    const body = 'a "b", c\r\nd\n'.repeat(50_000);
    const { rows, lines } = parseCsv(`x,y\n"${body.replaceAll('"', '""')}",2\nlast,3`);
    expect(rows[1][0]).toBe(body);
    expect(rows[1][1]).toBe('2');
    // 100,000 line breaks inside the field (CRLF once and LF once per repeat): it closes on line 100,002.
    expect(lines).toEqual([1, 2, 100_003]);
  });
});
