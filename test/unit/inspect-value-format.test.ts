import { describe, expect, it } from 'vitest';
import type { InspectValue } from '../../src/core/inspect-types.js';
import { flatRows, toPlain } from '../../src/core/inspect-value.js';
import { lineText, wrapText } from '../../src/ui/inspect/styled.js';
import { inlineValue, recordPreview, scalarText, tableLines, valueLines } from '../../src/ui/inspect/value-format.js';

const s = (text: string): InspectValue => ({ type: 'string', text });
const num = (n: number): InspectValue => ({ type: 'number', text: String(n) });
const obj = (...fields: Array<[string, InspectValue]>): InspectValue => ({ type: 'object', fields });
const arr = (...items: InspectValue[]): InspectValue => ({ type: 'array', items });

const record = obj(
  ['created_at', { type: 'datetime', text: '2025-08-01T10:00:00Z' }],
  ['id', { type: 'record', text: 'msg:abc' }],
  ['content', obj(['Text', s('hello\nworld')])],
  ['embedding', arr(...Array.from({ length: 1536 }, (_, i) => num(i / 1000)))],
  ['tags', arr(s('a'), s('b'))],
  ['parts', arr(obj(['kind', s('text')]), num(3))],
  ['empty', obj()],
  ['gone', { type: 'none', text: 'NONE' }],
);

describe('value formatting', () => {
  it('writes scalars as SurrealDB does, strings quoted', () => {
    expect(scalarText({ type: 'string', text: 'say "hi"' })).toBe('"say \\"hi\\""');
    expect(scalarText({ type: 'record', text: 'agent:⟨did:plc:x⟩' })).toBe('agent:⟨did:plc:x⟩');
    expect(scalarText({ type: 'null', text: 'NULL' })).toBe('NULL');
  });

  it('keeps each part typed, so the view can colour by type', () => {
    const line = inlineValue(obj(['id', { type: 'record', text: 'a:1' }], ['ok', { type: 'bool', text: 'true' }], ['at', { type: 'datetime', text: 'x' }]), 80);
    expect(line.filter((seg) => seg.tone !== 'punct' && seg.tone !== 'key').map((seg) => seg.tone)).toEqual(['record', 'bool', 'datetime']);
  });

  it('cuts one-line values at the width with an ellipsis, without building all of a long array', () => {
    const line = inlineValue(record, 60);
    expect(lineText(line).length).toBeLessThanOrEqual(60);
    expect(lineText(line).endsWith('…')).toBe(true);
    expect(lineText(inlineValue(s('short'), 60))).toBe('"short"');
  });

  it('previews a record without its id', () => {
    const text = lineText(recordPreview(obj(['id', { type: 'record', text: 'a:1' }], ['name', s('x')], ['n', num(2)]), 60));
    expect(text).toBe('name: "x", n: 2');
  });

  it('shows a record as an indented tree: nested objects under their key, scalar arrays on one line with their length', () => {
    const lines = valueLines(record, 60).map(lineText);
    expect(lines[0]).toBe('created_at: 2025-08-01T10:00:00Z');
    expect(lines[1]).toBe('id: msg:abc');
    expect(lines[2]).toBe('content:');
    expect(lines[3]).toBe('  Text: "hello\\nworld"');
    expect(lines[4]).toMatch(/^embedding: \[0, 0\.001, .*…  \(1536 items\)$/);
    expect(lines[4]!.length).toBeLessThanOrEqual(60);
    expect(lines[5]).toBe('tags: ["a", "b"]');
    expect(lines.slice(6, 10)).toEqual(['parts: [2 items]', '  [0]', '    kind: "text"', '  [1] 3']);
    expect(lines.slice(10)).toEqual(['empty: {}', 'gone: NONE']);
  });

  it('continues a long string on the next lines instead of cutting it', () => {
    const long = 'x'.repeat(130);
    const lines = valueLines(obj(['value', s(long)]), 50).map(lineText);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((l) => l.length <= 50)).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l.slice('value: '.length) : l.trim())).join('')).toBe(JSON.stringify(long));
  });

  it('shows flat rows as a table with a header, cutting wide cells', () => {
    const rows = flatRows(arr(obj(['n', num(1)], ['name', s('one')]), obj(['n', num(22)], ['name', s('a'.repeat(60))])))!;
    const lines = tableLines(rows, 80).map(lineText);
    expect(lines[0]).toBe('n   name');
    expect(lines[1]).toMatch(/^─+  ─+$/);
    expect(lines[2]).toBe('1   "one"');
    expect(lines[3]).toMatch(/^22  "a+…$/);
    expect(lines[3]!.length).toBeLessThanOrEqual(80);
  });

  it('calls rows flat only when every row is an object of scalars', () => {
    expect(flatRows(arr(obj(['a', num(1)])))).toBeDefined();
    expect(flatRows(arr(obj(['a', arr()])))).toBeUndefined();
    expect(flatRows(arr(num(1)))).toBeUndefined();
    expect(flatRows(arr())).toBeUndefined();
  });

  it('turns typed values back into plain data', () => {
    expect(toPlain(obj(['id', { type: 'record', text: 'a:1' }], ['n', num(2)], ['ok', { type: 'bool', text: 'false' }], ['x', { type: 'none', text: 'NONE' }]))).toEqual({
      id: 'a:1',
      n: 2,
      ok: false,
      x: null,
    });
    expect(toPlain(num(12345678901234567890))).toBe('12345678901234567000');
  });

  it('wraps text at spaces', () => {
    expect(wrapText('one two three four', 10).map(lineText)).toEqual(['one two', 'three four']);
  });
});
