// One command run and timed: its wall time, its output lines stamped as they arrive, and why it failed.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { surrealErrorText } from '../src/surreal/cli.js';
import { onInterrupt } from './interrupt.js';
import type { TimedLine } from './step-times.js';

export interface Run {
  seconds: number;
  exitCode: number | null;
  /** stdout, each line with the time it arrived (bench clock, ms). */
  stdout: TimedLine[];
  stderrTail: string[];
  /** Why it failed, in the command's own words where it gave them. */
  failure?: string;
  /** It ran past its time limit and was killed (`failure` says so). */
  timedOut?: true;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The limit (--timeout-minutes), after which it is killed and fails with `timed out after …`. */
  timeoutMs: number;
  /**
   * A line that says the work is done. The clock stops there; a process still alive 3 s later is killed and counted
   * as a success (`surreal export` of a surrealkv folder sometimes hangs while closing the store).
   */
  doneWhen?: RegExp;
  /** Told the command's pid once it runs (ProcessSampler.watch). */
  onSpawn?: (pid: number) => void;
}

const TAIL = 40;
const DONE_GRACE_MS = 3_000;
/** How long an interrupted bench lets a command end on SIGTERM (pattern-db stops its own children) before SIGKILL. */
const INTERRUPT_GRACE_MS = 10_000;

export function surrealFailure(stderrTail: string[]): string | undefined {
  return surrealErrorText(stderrTail) ?? undefined;
}

export function runCommand(command: string, args: string[], options: RunOptions): Promise<Run> {
  return new Promise((resolve) => {
    const startedMs = Date.now();
    let doneMs: number | undefined;
    let killedWhenDone = false;
    let timedOut = false;
    const stdout: TimedLine[] = [];
    const stderrTail: string[] = [];
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const closed = new Promise<void>((done) => child.on('close', () => done()));
    child.once('spawn', () => child.pid !== undefined && options.onSpawn?.(child.pid));
    const withdraw = onInterrupt('command', async () => {
      child.kill('SIGTERM');
      const killLater = setTimeout(() => child.kill('SIGKILL'), INTERRUPT_GRACE_MS);
      await closed;
      clearTimeout(killLater);
    });
    const { timeoutMs } = options;
    const timeout = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    let doneTimer: NodeJS.Timeout | undefined;
    const seen = (line: string) => {
      if (!options.doneWhen?.test(line) || doneMs !== undefined) return;
      doneMs = Date.now();
      doneTimer = setTimeout(() => {
        killedWhenDone = true;
        child.kill('SIGKILL');
      }, DONE_GRACE_MS);
    };
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      stdout.push({ atMs: Date.now(), line });
      seen(line);
    });
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      stderrTail.push(line);
      if (stderrTail.length > TAIL) stderrTail.shift();
      seen(line);
    });
    const finish = (exitCode: number | null, failure?: string) => {
      withdraw();
      clearTimeout(timeout);
      clearTimeout(doneTimer);
      const seconds = ((doneMs ?? Date.now()) - startedMs) / 1000;
      resolve({ seconds, exitCode, stdout, stderrTail, ...(failure ? { failure } : {}), ...(timedOut ? { timedOut } : {}) });
    };
    child.on('error', (error) => finish(null, `${command} did not start: ${error.message}`));
    child.on('close', (code, signal) => {
      if (killedWhenDone) return finish(0);
      if (timedOut) return finish(code, `timed out after ${timeoutMs / 1000} s`);
      if (code === 0) return finish(0);
      const said = surrealFailure(stderrTail) ?? stderrTail.filter((l) => l.trim()).at(-1);
      finish(code, `exit ${code ?? signal}${said ? `: ${said}` : ''}`);
    });
  });
}
