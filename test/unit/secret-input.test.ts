import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecret, SecretKeys } from '../../src/commands/secret-input.js';
import { PatternDbError } from '../../src/core/errors.js';

/** A terminal's input as Node gives it: raw mode switchable, keys arriving as data events. */
class FakeTty extends EventEmitter {
  isTTY = true;
  isRaw = false;
  rawModes: boolean[] = [];
  paused = true;
  setRawMode(mode: boolean) {
    this.isRaw = mode;
    this.rawModes.push(mode);
    return this;
  }
  resume() {
    this.paused = false;
    return this;
  }
  pause() {
    this.paused = true;
    return this;
  }
  key(text: string) {
    this.emit('data', Buffer.from(text, 'utf8'));
  }
}

function recorder() {
  const writes: string[] = [];
  return { writes, write: (text: string) => writes.push(text) };
}

const SECRET = 'Hq3-Vz8_kLm9';

function piecesOf(secret: string): string[] {
  const pieces: string[] = [];
  for (let length = 1; length <= secret.length; length++) {
    for (let start = 0; start + length <= secret.length; start++) pieces.push(secret.slice(start, start + length));
  }
  return pieces;
}

describe('readSecret on a terminal', () => {
  it('writes the question, then nothing for any key (letters, backspace, Ctrl-U, arrows, a paste) until Enter', async () => {
    const input = new FakeTty();
    const output = recorder();
    const answer = readSecret('Password for root: ', input, output);
    const keys = [...'wrong', '\x7f', '\x7f', '\x15', ...'Hq3-Vz8', 'x', 'y', '\x7f', '\b', '\x1b[D', '\x1b[C', '\x1b[200~_kLm9\x1b[201~'];
    for (const key of keys) {
      input.key(key);
      // Not one byte per key: the only write so far is the question.
      expect(output.writes).toEqual(['Password for root: ']);
    }
    input.key('\r');
    expect(await answer).toBe(SECRET);
    expect(output.writes).toEqual(['Password for root: ', '\n']);
    expect(input.rawModes).toEqual([true, false]);
    expect(input.paused).toBe(true);
    expect(input.listenerCount('data')).toBe(0);
  });

  it('counts every key of a burst: several backspaces, Ctrl-U and text in one chunk', async () => {
    const input = new FakeTty();
    const answer = readSecret('Password: ', input, recorder());
    input.key('abcdef');
    input.key('\x7f\x7f\x7f');
    input.key('\x15xyz\b1\r');
    expect(await answer).toBe('xy1');
  });

  it('takes a pasted secret that arrives with its Enter in one chunk, and shows none of it', async () => {
    const input = new FakeTty();
    const output = recorder();
    const answer = readSecret('Password: ', input, output);
    input.key(`${SECRET}\rtrailing`);
    expect(await answer).toBe(SECRET);
    const shown = output.writes.join('');
    for (const piece of piecesOf(SECRET).filter((p) => /[A-Za-z0-9]/.test(p))) expect(shown).not.toContain(piece);
  });

  it('keeps a multi-byte character split across two chunks whole, and backspace removes it whole', async () => {
    const input = new FakeTty();
    const answer = readSecret('Password: ', input, recorder());
    const bytes = Buffer.from('pä😀', 'utf8');
    input.emit('data', bytes.subarray(0, 2));
    input.emit('data', bytes.subarray(2));
    input.key('\x7f');
    input.key('\r');
    expect(await answer).toBe('pä');
  });

  it('Ctrl-C cancels: E_CANCELLED, the terminal back in the mode it was in, nothing of the secret shown', async () => {
    const input = new FakeTty();
    input.isRaw = false;
    const output = recorder();
    const answer = readSecret('Password: ', input, output);
    input.key('abc');
    input.key('\x03');
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PatternDbError);
    expect((error as PatternDbError).code).toBe('E_CANCELLED');
    expect(input.isRaw).toBe(false);
    expect(output.writes.join('')).toBe('Password: \n');
    expect(input.listenerCount('data')).toBe(0);
  });

  it('an input that ends before Enter gives what was typed and restores the terminal', async () => {
    const input = new FakeTty();
    const answer = readSecret('Password: ', input, recorder());
    input.key('abc');
    input.emit('end');
    expect(await answer).toBe('abc');
    expect(input.isRaw).toBe(false);
  });
});

describe('readSecret without a terminal', () => {
  it('reads the first line of a pipe and writes nothing of it', async () => {
    const input = new PassThrough();
    const output = recorder();
    const answer = readSecret('Password: ', input, output);
    input.end(`${SECRET}\nnext line\n`);
    expect(await answer).toBe(SECRET);
    expect(output.writes.join('')).toBe('Password: \n');
  });
});

describe('SecretKeys', () => {
  it('drops control characters other than the editing keys, and escape sequences with their parameters', () => {
    const keys = new SecretKeys();
    expect(keys.feed('a\tb\x1b[1;5Cc\x1bOAd\x1bxe')).toEqual({ done: false });
    expect(keys.value).toBe('abcde');
    expect(keys.feed('\x04')).toEqual({ done: true, cancelled: false });
  });
});
