// A real terminal for end-to-end tests: tmux runs the program, send-keys types, capture-pane reads the screen.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export class TmuxSession {
  private constructor(readonly name: string) {}

  static async start(command: string, options: { cwd: string; columns?: number; rows?: number; env?: Record<string, string> }): Promise<TmuxSession> {
    const name = `pdb-e2e-${process.pid}-${Date.now()}`;
    const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    // CI is unset inside the terminal: the program must see a person at a terminal.
    const script = `cd ${shellQuote(options.cwd)} && env -u CI ${env} ${command}; echo "[exit $?]"; sleep 600`;
    await execa('tmux', ['new-session', '-d', '-s', name, '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30), script]);
    return new TmuxSession(name);
  }

  async screen(): Promise<string> {
    const { stdout } = await execa('tmux', ['capture-pane', '-p', '-t', this.name]);
    return stdout;
  }

  /** Waits until the screen matches; fails with the last screen so a reader sees what the user saw. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = await this.screen();
      if (pattern.test(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`The screen never showed ${pattern}. Last screen:\n${last}`);
  }

  /** Keys as tmux names them (Enter, Down, BSpace, C-c) or literal text with { literal: true }. */
  async send(keys: string[], options: { literal?: boolean } = {}): Promise<void> {
    await execa('tmux', ['send-keys', '-t', this.name, ...(options.literal ? ['-l'] : []), ...keys]);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  async type(text: string): Promise<void> {
    await this.send([text], { literal: true });
  }

  async save(dir: string, name: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, name), (await this.screen()) + '\n');
  }

  /** Sends `signal` to the program the terminal runs (the child of its shell), as `kill` from another terminal would. */
  async signal(signal: NodeJS.Signals): Promise<void> {
    const { stdout: shell } = await execa('tmux', ['display-message', '-p', '-t', this.name, '#{pane_pid}']);
    const children = await fs.readFile(`/proc/${shell.trim()}/task/${shell.trim()}/children`, 'utf8');
    for (const pid of children.trim().split(/\s+/).filter(Boolean)) process.kill(Number(pid), signal);
  }

  async kill(): Promise<void> {
    await execa('tmux', ['kill-session', '-t', this.name], { reject: false });
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A terminal wraps a long line wherever the width ends, a space there kept or not: compare the words only. */
export function withoutSpaces(text: string): string {
  return text.replace(/\s+/g, '');
}
