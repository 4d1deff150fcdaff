import { describe, expect, it } from 'vitest';
import { applyKeys, keysOf, lineOf, type InkKey, type LineState } from '../../src/ui/line-editor.js';

/** What Ink's useInput hands over for one chunk of the terminal's input: the raw burst, no key flag. */
function type(state: LineState, input: string, key: InkKey = {}) {
  return applyKeys(state, keysOf(input, key));
}

describe('line editor: every key of a burst counts, in order', () => {
  it('several printable characters at once are inserted whole', () => {
    expect(type(lineOf(), 'abcdef').state).toEqual({ value: 'abcdef', cursor: 6 });
  });

  it('several backspaces in one chunk erase that many characters', () => {
    expect(type(lineOf('abcdef'), '\x7f\x7f\x7f').state).toEqual({ value: 'abc', cursor: 3 });
    expect(type(lineOf('abcdef'), '\b\b').state.value).toBe('abcd');
    expect(type(lineOf('ab'), '\x7f\x7f\x7f\x7f').state).toEqual({ value: '', cursor: 0 });
  });

  it('text and backspaces mixed apply in order (paste, then correct)', () => {
    expect(type(lineOf(), 'abcd\x7f\x7fxy').state.value).toBe('abxy');
    expect(type(lineOf('12'), '\x7f3\x7f\x7f4').state.value).toBe('4');
  });

  it('a single Backspace or Delete as Ink names it erases the character before the cursor', () => {
    expect(type(lineOf('abc'), '', { delete: true }).state.value).toBe('ab');
    expect(type(lineOf('abc'), '', { backspace: true }).state.value).toBe('ab');
  });

  it('Enter in a paste submits what is there at that point; what follows in the chunk is dropped', () => {
    expect(type(lineOf(), 'abc\rdef')).toEqual({ state: { value: 'abc', cursor: 3 }, submitted: 'abc' });
    expect(type(lineOf('x'), 'yz\n').submitted).toBe('xyz');
    expect(type(lineOf('abc'), '', { return: true }).submitted).toBe('abc');
  });

  it('Ctrl-U clears what is before the cursor, alone or inside a burst', () => {
    expect(type(lineOf('abcdef'), 'u', { ctrl: true }).state).toEqual({ value: '', cursor: 0 });
    expect(type(lineOf('abcdef'), '\x15new').state.value).toBe('new');
  });

  it('Ctrl-W erases the word before the cursor', () => {
    expect(type(lineOf('root admin'), 'w', { ctrl: true }).state.value).toBe('root ');
    expect(type(lineOf('root admin  '), '\x17').state.value).toBe('root ');
  });

  it('left and right arrows move the cursor; typing and erasing happen there', () => {
    let state = lineOf('abcd');
    state = type(state, '', { leftArrow: true }).state;
    state = type(state, '', { leftArrow: true }).state;
    expect(state.cursor).toBe(2);
    state = type(state, 'X').state;
    expect(state).toEqual({ value: 'abXcd', cursor: 3 });
    state = type(state, '\x7f\x7f').state;
    expect(state).toEqual({ value: 'acd', cursor: 1 });
    state = type(state, '', { rightArrow: true }).state;
    state = type(state, '', { rightArrow: true }).state;
    state = type(state, '', { rightArrow: true }).state;
    expect(state.cursor).toBe(3);
    expect(type(state, 'a', { ctrl: true }).state.cursor).toBe(0);
  });

  it('tab, up, down, escape, other control characters and Alt-keys are not text', () => {
    expect(keysOf('', { tab: true })).toEqual([]);
    expect(keysOf('', { upArrow: true })).toEqual([]);
    expect(keysOf('x', { meta: true })).toEqual([]);
    expect(keysOf('c', { ctrl: true })).toEqual([]);
    expect(type(lineOf(), 'a\tb\x07c').state.value).toBe('abc');
  });

  it('characters outside the BMP count as one', () => {
    const state = type(lineOf(), 'a😀b').state;
    expect(state.cursor).toBe(3);
    expect(type(state, '\x7f\x7f').state.value).toBe('a');
  });
});
