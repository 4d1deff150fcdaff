import { describe, expect, it } from 'vitest';
import { StatementResultScanner } from '../../src/core/statement-results.js';

function scan(text: string, pieces = 1): StatementResultScanner {
  const scanner = new StatementResultScanner();
  const size = Math.ceil(text.length / pieces);
  for (let at = 0; at < text.length; at += size) scanner.feed(text.slice(at, at + size));
  return scanner;
}

const answer = JSON.stringify([
  { result: [{ id: 'msg:a', content: { Text: 'he said "status": "ERR", } ] {' } }], status: 'OK', time: '1ms' },
  { time: '2ms', status: 'ERR', result: 'Found record: `msg:b` which already exists' },
  { result: null, status: 'OK', time: '0ns' },
  { status: 'ERR', result: { nested: ['a', { b: 1 }] } },
]);

describe('StatementResultScanner', () => {
  it('counts statements and keeps only the failures, with the server text, however the answer is cut', () => {
    for (const pieces of [1, 3, 17, answer.length]) {
      const scanner = scan(answer, pieces);
      expect(scanner.statements).toBe(4);
      expect(scanner.complete).toBe(true);
      expect(scanner.failures).toEqual([
        { index: 1, message: 'Found record: `msg:b` which already exists' },
        { index: 3, message: '{"nested":["a",{"b":1}]}' },
      ]);
    }
  });

  it('reads SurrealDB 3 answers (errors only, with kind and details) and an empty answer', () => {
    const three = scan('[{"result":"Parse error: Unexpected token","status":"ERR","time":"1ms","kind":"Parse","details":{}}]');
    expect(three.failures).toEqual([{ index: 0, message: 'Parse error: Unexpected token' }]);
    expect(scan('[]').statements).toBe(0);
    expect(scan('[]').complete).toBe(true);
  });

  it('says a cut answer is not complete', () => {
    const cut = scan(answer.slice(0, answer.length - 5));
    expect(cut.complete).toBe(false);
  });

  it('keeps escaped quotes inside strings out of the structure', () => {
    const scanner = scan('[{"result":"a \\" } ] { \\\\","status":"ERR"}]');
    expect(scanner.failures).toEqual([{ index: 0, message: 'a " } ] { \\' }]);
  });
});
