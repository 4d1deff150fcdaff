// Wall time and peak memory of whole commands, and what made them fail, in the command's own words.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { surrealErrorText } from '../src/surreal/cli.js';

export interface Measure {
  seconds: number;
  peakKb: number;
  /** Why the command (or the check after it) failed. */
  failure?: string;
  /** What else is worth knowing: each part's time, what arrived. */
  detail?: string;
}

export interface TimedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** The failure text from the command's output; default: the last ERROR line surreal printed. */
  failureOf?: (stdout: string, stderr: string) => string | undefined;
}

function surrealFailure(_stdout: string, stderr: string): string | undefined {
  return surrealErrorText(stderr.split('\n')) ?? undefined;
}

/** Runs a command under GNU time: its wall time and the peak resident memory of its largest process. */
export async function timed(command: string, args: string[], options: TimedOptions): Promise<Measure> {
  const report = path.join(os.tmpdir(), `bench-time-${process.pid}-${Date.now()}`);
  const run = await execa('/usr/bin/time', ['-o', report, '-f', '%e %M', command, ...args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 30 * 60_000,
  });
  const timing = await fs.readFile(report, 'utf8').catch(() => '');
  await fs.rm(report, { force: true });
  const [seconds, peakKb] = (timing.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  const measure = { seconds: seconds ?? NaN, peakKb: peakKb ?? NaN };
  if (run.timedOut) return { ...measure, failure: `timed out after ${(options.timeoutMs ?? 30 * 60_000) / 1000} s` };
  if (run.exitCode === 0) return measure;
  const said = (options.failureOf ?? surrealFailure)(String(run.stdout), String(run.stderr));
  return { ...measure, failure: `exit ${run.exitCode}${said ? `: ${said}` : ''}` };
}

/** Steps run one after the other: times add up, the peak is the highest, the first failure counts. */
export function inSequence(...measures: Measure[]): Measure {
  const failure = measures.find((m) => m.failure)?.failure;
  return {
    seconds: measures.reduce((sum, m) => sum + m.seconds, 0),
    peakKb: Math.max(...measures.map((m) => m.peakKb)),
    ...(failure ? { failure } : {}),
  };
}

/** The middle value; with an even count, the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
