// The bench's servers are managed ones, which outlive the process that started them, and its commands (a `pattern-db
// migrate`) are its children: a bench stopped by Ctrl-C or SIGTERM, sent to it alone, ends both instead of leaving
// them running, and removes its round's folder.
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { expect, it, onTestFinished } from 'vitest';
import { isProcessAlive } from '../../src/surreal/process-identity.js';
import { repoRoot } from '../../src/files/compiled-path.js';
import { processesMentioning } from '../helpers/processes.js';
import { surrealBin } from '../helpers/surreal.js';
import { waitFor } from '../helpers/wait-for.js';

async function gone(pid: number, withinMs: number): Promise<boolean> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (!isProcessAlive(pid)) return true;
  }
  return !isProcessAlive(pid);
}

const moduleUrl = (name: string) => JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/bench', name)).href);

it.each([
  ['SIGINT', 130, 'once'],
  ['SIGTERM', 143, 'once'],
  // Ctrl-C pressed twice, or `timeout` passing on a SIGTERM the bench was sent already.
  ['SIGINT', 130, 'twice'],
  ['SIGTERM', 143, 'twice'],
] as const)('a bench stopped by %s stops the server it started and the command it runs, removes its round folder and exits %i (the signal sent %s)', async (signal, code, times) => {
  const marker = `bench-command-${randomUUID()}`;
  const store = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-interrupt-store-'));
  onTestFinished(() => fs.rm(store, { recursive: true, force: true }));
  const script = `
    const { withServer, withStoreInPlace } = await import(${moduleUrl('bench-server.js')});
    const { runCommand } = await import(${moduleUrl('measure.js')});
    await withStoreInPlace(${JSON.stringify(store)}, (dir) => withServer(${JSON.stringify(await surrealBin(3))}, async (server) => {
      console.log(server.pid + ' ' + dir);
      await runCommand(process.execPath, ['-e', 'setInterval(() => undefined, 1000)', ${JSON.stringify(marker)}], { cwd: dir, env: process.env, timeoutMs: 60_000 });
    }));`;
  const bench = execa(process.execPath, ['--input-type=module', '-e', script], { reject: false });
  const [line] = await createInterface({ input: bench.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  const [pid, ...folder] = line!.split(' ');
  const [server, roundFolder] = [Number(pid), folder.join(' ')];
  expect(existsSync(roundFolder)).toBe(true);
  // The bench's own script holds the marker too.
  const command = await waitFor(async () => (await processesMentioning(marker)).find((pid) => pid !== bench.pid), 10_000, 50);
  expect(command, 'the command never started').toBeDefined();
  expect(isProcessAlive(server)).toBe(true);

  bench.kill(signal);
  // The second once the first is being handled (two sent at once arrive as one).
  if (times === 'twice') setTimeout(() => bench.kill(signal), 20);
  const ended = await bench;

  expect(ended.exitCode, ended.stderr).toBe(code);
  expect(await gone(command!, 5_000), `command ${command} still running`).toBe(true);
  expect(await gone(server, 5_000), `surreal server ${server} still running`).toBe(true);
  expect(existsSync(roundFolder), `round folder ${roundFolder} left behind`).toBe(false);
}, 60_000);
