// The bench's servers are managed ones, which outlive the process that started them: a bench stopped by Ctrl-C or
// SIGTERM stops the servers it started instead of leaving them running.
import { execa } from 'execa';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { isProcessAlive } from '../../src/surreal/process-identity.js';
import { repoRoot } from '../../src/files/compiled-path.js';
import { surrealBin } from '../helpers/surreal.js';

async function gone(pid: number, withinMs: number): Promise<boolean> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (!isProcessAlive(pid)) return true;
  }
  return !isProcessAlive(pid);
}

it.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('a bench stopped by %s stops the server it started, and exits %i', async (signal, code) => {
  const serverModule = pathToFileURL(path.join(repoRoot, 'dist/bench/bench-server.js')).href;
  const script = `
    const { withServer } = await import(${JSON.stringify(serverModule)});
    await withServer(${JSON.stringify(await surrealBin(3))}, async (server) => {
      console.log(server.pid);
      await new Promise(() => setInterval(() => undefined, 1000));
    });`;
  const bench = execa(process.execPath, ['--input-type=module', '-e', script], { reject: false });
  const [line] = await createInterface({ input: bench.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  const server = Number(line);
  expect(isProcessAlive(server)).toBe(true);

  bench.kill(signal);
  const ended = await bench;

  expect(ended.exitCode, ended.stderr).toBe(code);
  expect(await gone(server, 5_000), `surreal server ${server} still running`).toBe(true);
}, 60_000);
