import { describe, expect, it } from 'vitest';
import { cutInsert } from '../../src/core/insert-cuts.js';
import { INSERT_RECORDS, INSERT_TEXT } from '../../src/core/insert-groups.js';
import { SurqlScanner, type Statement } from '../../src/core/surql-scan.js';

function scanAll(...chunks: string[]): Statement[] {
  const scanner = new SurqlScanner();
  return [...chunks.flatMap((c) => scanner.push(c)), ...scanner.end()];
}

// Records whose values hold what a careless cut would split on: commas, brackets and ';' in strings and comments.
function edge(i: number): string {
  const note = i % 3 === 0 ? `'a, ], [b; ${i}'` : i % 3 === 1 ? `"x}, {\\"y\\", ${i}"` : `⟨q, ${i}⟩`;
  return `{ id: agent_messages:e${i}, in: agent:a1, note: ${note}, out: msg:m${i}, tags: [1, [2, 3]] /* , ] */ }`;
}

function insertOf(records: number, joiner = ', '): string {
  return `-- TABLE DATA: agent_messages\nINSERT RELATION [ ${Array.from({ length: records }, (_, i) => edge(i)).join(joiner)} ];`;
}

/** The records' texts of a statement the scanner read whole: what lies between its array's brackets, cut at its commas. */
function inner(text: string): string {
  return text.slice(text.indexOf('[') + 1, text.lastIndexOf(']'));
}

describe('cutting long INSERTs', () => {
  it('cuts 250 records into statements of 100, 100 and 50 that hold every record, in order, and its bytes', () => {
    const text = insertOf(250);
    const [statement] = scanAll(text);
    const pieces = cutInsert(statement!);
    expect(pieces.map((p) => p.records)).toEqual([100, 100, 50]);
    expect(pieces.map((p) => p.bytes).reduce((a, b) => a + b)).toBe(statement!.bytes);
    for (const piece of pieces) {
      expect(piece.text.startsWith('INSERT RELATION [ { id: agent_messages:e') && piece.text.endsWith('];')).toBe(true);
      expect(piece.cuts).toBeUndefined();
      // Each piece is a statement of its own: read again, it holds the records it says, of the same table.
      const again = scanAll(piece.text);
      expect(again.map((s) => [s.kind, s.table, s.records])).toEqual([['insert-relation', 'agent_messages', piece.records]]);
    }
    expect(pieces.map((p) => inner(p.text)).join(',')).toBe(inner(text));
  });

  it('finds the same cuts when the statement arrives a character at a time', () => {
    const text = insertOf(230);
    expect(scanAll(...text.split(''))).toEqual(scanAll(text));
    expect(cutInsert(scanAll(...text.split(''))[0]!).map((p) => p.records)).toEqual([100, 100, 30]);
  });

  it(`leaves a statement of ${INSERT_RECORDS} records whole, and cuts one more off a statement of ${INSERT_RECORDS + 1}`, () => {
    const [whole] = scanAll(insertOf(INSERT_RECORDS));
    expect(whole!.cuts).toBeUndefined();
    expect(cutInsert(whole!)).toEqual([whole]);
    expect(cutInsert(scanAll(insertOf(INSERT_RECORDS + 1))[0]!).map((p) => p.records)).toEqual([INSERT_RECORDS, 1]);
  });

  it('makes no empty statement of a trailing comma after a whole group', () => {
    const text = insertOf(200).replace(/ \];$/, ', ];');
    const pieces = cutInsert(scanAll(text)[0]!);
    expect(pieces.map((p) => p.records)).toEqual([100, 100]);
    expect(pieces.every((p) => /\{ id: /.test(inner(p.text)))).toBe(true);
  });

  it(`ends a group early once its text reaches ${INSERT_TEXT / 1024} KiB`, () => {
    const big = (i: number) => `{ id: msg:m${i}, content: '${'x'.repeat(150 * 1024)}' }`;
    const text = `INSERT [ ${[0, 1, 2, 3].map(big).join(', ')} ];`;
    expect(cutInsert(scanAll(text)[0]!).map((p) => p.records)).toEqual([2, 2]);
  });

  it('cuts nothing but an INSERT, and only at the top level of its array', () => {
    const list = Array.from({ length: 150 }, (_, i) => i).join(', ');
    const statements = scanAll(`RETURN [${list}];`, `DEFINE FIELD f ON t VALUE [${list}];`, `INSERT [ { id: t:1, v: [${list}] } ];`);
    expect(statements.map((s) => s.cuts)).toEqual([undefined, undefined, undefined]);
  });
});
