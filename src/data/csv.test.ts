import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from './csv';

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

  it('rejects an unterminated quote, naming the line it opened on', () => {
    expect(() => parseCsv('a,b\n1,"open\nstill open')).toThrow(
      new CsvSyntaxError('unterminated quoted field opened on line 2', 2),
    );
  });

  it('rejects text after a closing quote, naming the line', () => {
    try {
      parseCsv('a\n"x"y\n');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CsvSyntaxError);
      expect((e as CsvSyntaxError).line).toBe(2);
      expect((e as Error).message).toBe('unexpected "y" after a closing quote on line 2');
    }
  });
});
