// Reads a secret without showing it: on a terminal in raw mode, writing nothing at all while keys arrive (no echo,
// no mask, no line refresh, which is how readline leaked the typed text after a backspace).
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { PatternDbError } from '../core/errors.js';

export interface SecretInput {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'end', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface SecretOutput {
  write(text: string): unknown;
}

const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';
const ESC = '\x1b';

/** What a run of keys does to the secret being typed. */
type KeyOutcome = { done: false } | { done: true; cancelled: boolean };

/** Key handling without I/O: Enter ends, backspace and Ctrl-U edit, Ctrl-C cancels, escape sequences are dropped. */
export class SecretKeys {
  private chars: string[] = [];
  /** Inside an escape sequence (arrow keys, bracketed-paste markers): 'esc' after ESC, 'csi' after ESC [ or ESC O. */
  private escape: 'esc' | 'csi' | undefined;

  get value(): string {
    return this.chars.join('');
  }

  feed(text: string): KeyOutcome {
    for (const c of text) {
      if (this.escape === 'esc') {
        this.escape = c === '[' || c === 'O' ? 'csi' : undefined;
        continue;
      }
      if (this.escape === 'csi') {
        if (c >= '@' && c <= '~') this.escape = undefined;
        continue;
      }
      if (c === ESC) this.escape = 'esc';
      else if (c === '\r' || c === '\n' || c === CTRL_D) return { done: true, cancelled: false };
      else if (c === CTRL_C) return { done: true, cancelled: true };
      else if (c === '\x7f' || c === '\b') this.chars.pop();
      else if (c === CTRL_U) this.chars = [];
      else if (c >= ' ') this.chars.push(c);
    }
    return { done: false };
  }
}

function cancelled(): PatternDbError {
  return new PatternDbError('E_CANCELLED', 'Cancelled at the password prompt; nothing was done.', {
    fix: 'Run the command again, or set SURREAL_PASS (or put it in .env) so nothing is asked.',
  });
}

/** Without a terminal the input does not echo: the first line is the secret. */
function readLine(input: SecretInput): Promise<string> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: input as NodeJS.ReadableStream, terminal: false });
    let answer = '';
    lines.once('line', (line) => {
      answer = line;
      lines.close();
    });
    lines.once('close', () => resolve(answer));
  });
}

export async function readSecret(question: string, input: SecretInput = process.stdin, output: SecretOutput = process.stderr): Promise<string> {
  output.write(question);
  if (!input.isTTY || !input.setRawMode) {
    const line = await readLine(input);
    output.write('\n');
    return line;
  }
  const wasRaw = Boolean(input.isRaw);
  const keys = new SecretKeys();
  const decoder = new StringDecoder('utf8');
  return new Promise<string>((resolve, reject) => {
    const finish = (outcome: { cancelled: boolean }) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.setRawMode!(wasRaw);
      input.pause();
      output.write('\n');
      if (outcome.cancelled) reject(cancelled());
      else resolve(keys.value);
    };
    const onData = (chunk: Buffer | string) => {
      const outcome = keys.feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      if (outcome.done) finish(outcome);
    };
    const onEnd = () => finish({ cancelled: false });
    input.setRawMode!(true);
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}
