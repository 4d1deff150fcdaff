// A signal that comes once a command has ended (its result written, Node still closing what is left) ends the process
// with the command's exit code, never by the signal: a second Ctrl-C just after a first that stopped a run at once
// must still leave exit 130, as its result line says.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../../src/files/compiled-path.js';

/** Runs a command whose body reports `exitCode`, then sends itself `signal` while a timer still holds the process. */
function endedThenSignalled(exitCode: number, signal: 'SIGINT' | 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; ms: number }> {
  const runner = path.join(repoRoot, 'dist/src/commands/command-runner.js');
  const script = `
    const { runCommand } = await import(${JSON.stringify(runner)});
    const io = { stdout: process.stdout, stderr: process.stderr, env: {} };
    await runCommand(io, 'doctor', { json: true }, async () => ({ exitCode: ${exitCode} }));
    setTimeout(() => undefined, 10_000);
    process.kill(process.pid, '${signal}');`;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, ms: Date.now() - started }));
  });
}

it.each([
  [130, 'SIGINT'],
  [0, 'SIGINT'],
  [3, 'SIGTERM'],
] as const)('a command that ended with exit %s, then sent %s, exits with that code and its result line', async (exitCode, signal) => {
  const ended = await endedThenSignalled(exitCode, signal);
  expect(ended.signal).toBeNull();
  expect(ended.code).toBe(exitCode);
  expect(ended.ms).toBeLessThan(8_000);
  expect(JSON.parse(ended.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'result', command: 'doctor', exitCode });
}, 20_000);
