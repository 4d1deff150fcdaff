import { describe, expect, it } from 'vitest';
import { idRange, keyOfIdText, pageFrom } from '../../src/core/record-range.js';
import { compareTable } from '../../src/core/verify-report.js';
import { TableTally } from '../../src/core/verify-tally.js';

describe('ranges of record ids', () => {
  it('takes the key out of an id as a server or recordIdText prints it, bracketing bare string keys', () => {
    expect(keyOfIdText('msg:msg_0a1b')).toBe('⟨msg_0a1b⟩');
    expect(keyOfIdText('t:1e5')).toBe('⟨1e5⟩');
    expect(keyOfIdText('t:12')).toBe('12');
    expect(keyOfIdText('t:⟨did:plc:x⟩')).toBe('⟨did:plc:x⟩');
    expect(keyOfIdText('t:`a b`')).toBe('`a b`');
    expect(keyOfIdText("t:[1, 'a']")).toBe("[1, 'a']");
    expect(keyOfIdText("t:u'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'")).toBe("u'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'");
    expect(keyOfIdText('⟨my:table⟩:abc')).toBe('⟨abc⟩');
    expect(() => keyOfIdText('no id')).toThrow();
  });

  it('writes the range after one key up to another, open where a bound is missing', () => {
    expect(idRange('msg', undefined, undefined)).toBe('`msg`');
    expect(idRange('msg', undefined, '⟨b⟩')).toBe('`msg`:..=⟨b⟩');
    expect(idRange('msg', '⟨a⟩', '⟨b⟩')).toBe('`msg`:⟨a⟩>..=⟨b⟩');
    expect(idRange('msg', '⟨a⟩', undefined)).toBe('`msg`:⟨a⟩>..');
  });

  it('quotes the table name itself, whatever it holds: callers give it as it is', () => {
    expect(idRange('group', '⟨a⟩', undefined)).toBe('`group`:⟨a⟩>..');
    expect(idRange('a\\b⟩`c', undefined, '⟨b⟩')).toBe('`a\\\\b⟩\\`c`:..=⟨b⟩');
    expect(pageFrom('a\\b', { skip: 20 }, 10)).toBe('`a\\\\b` START 20 LIMIT 10');
    expect(pageFrom('msg', { after: '⟨k⟩' }, 10)).toBe('`msg`:⟨k⟩>.. LIMIT 10');
    expect(pageFrom('msg', { after: undefined }, 10)).toBe('`msg` LIMIT 10');
  });

  it('finds the page after a key by the records counted before it for a reader that counts, by the key otherwise', () => {
    expect(pageFrom('msg', { after: '⟨k⟩', at: 20 }, 10, 'count')).toBe('`msg` START 20 LIMIT 10');
    expect(pageFrom('msg', { after: '⟨k⟩', at: 20 }, 10)).toBe('`msg`:⟨k⟩>.. LIMIT 10');
    expect(pageFrom('msg', { after: undefined, at: 0 }, 10, 'count')).toBe('`msg` LIMIT 10');
    expect(pageFrom('msg', { after: '⟨k⟩' }, 10, 'count'), 'not counted: by the key').toBe('`msg`:⟨k⟩>.. LIMIT 10');
  });

  it('tallies range by range what a whole-table comparison finds, examples in the same order', () => {
    const source = new Map([['t:a', '1'], ['t:b', '2'], ['t:c', '3'], ['t:e', '5'], ['t:f', '6']]);
    const target = new Map([['t:a', '1'], ['t:b', 'X'], ['t:d', '4'], ['t:f', '6'], ['t:g', '7']]);
    const tally = new TableTally('t');
    tally.compare([['t:a', '1'], ['t:b', '2']], [['t:a', '1'], ['t:b', 'X']]);
    tally.compare([['t:c', '3']], [['t:d', '4']]);
    tally.same(1);
    tally.compare([['t:e', '5']], []);
    tally.compare([], [['t:g', '7']]);
    expect(tally.result()).toEqual(compareTable('t', source, target));
  });
});
