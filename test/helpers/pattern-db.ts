// Runs the built pattern-db as a user would (a child process), collecting its JSON events.
import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binPath = path.join(repoRoot, 'bin/pattern-db.js');

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  events: Array<Record<string, any>>;
  result: Record<string, any> | undefined;
}

export async function runPatternDb(
  args: string[],
  options: {
    cwd: string;
    env?: Record<string, string | undefined>;
    onEvent?: (event: Record<string, any>) => void;
    /** Called with the pattern-db process's pid once it is started (to signal it from a test). */
    onSpawn?: (pid: number) => void;
    timeoutMs?: number;
  },
): Promise<RunResult> {
  const child = execa('node', [binPath, ...args], {
    cwd: options.cwd,
    env: { ...options.env, CI: 'true' },
    extendEnv: true,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 600_000,
    lines: false,
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const events: Array<Record<string, any>> = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!line.startsWith('{')) continue;
      try {
        const event = JSON.parse(line) as Record<string, any>;
        events.push(event);
        options.onEvent?.(event);
      } catch {
        // not a JSON line
      }
    }
  });
  const done = await child;
  return {
    exitCode: done.exitCode ?? -1,
    stdout: String(done.stdout ?? ''),
    stderr: String(done.stderr ?? ''),
    events,
    result: events.find((e) => e.type === 'result'),
  };
}

export function errorsOf(run: RunResult): string[] {
  return run.events.filter((e) => e.type === 'diagnostic' && e.level === 'error').map((e) => e.code as string);
}
