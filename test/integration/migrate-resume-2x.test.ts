// A SurrealDB 2 store moved to a 2.x server, interrupted in the middle of the import (issue 10 §7): the server is
// killed, or pattern-db itself is; `migrate --resume` then finishes the job without duplicates.
// With 1,000 messages the export is one data chunk and the index chunk; the first progress event comes after the data
// chunk, so the kill lands while 2.x builds the full-text indexes (most of a 2.x import's time) and resume replays them.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { escapeIdent } from 'surrealdb';
import { afterAll, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { startManagedServer, stopManagedServer, type ManagedServerState } from '../../src/surreal/server.js';
import { patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb, type RunResult } from '../helpers/pattern-db.js';
import { killWhileImporting, signal } from '../helpers/kill-import.js';
import { freePort, killOnExit, surrealBin, tempDir } from '../helpers/surreal.js';

const MESSAGES = 1_000;
const credentials = { SURREAL_USER: 'root', SURREAL_PASS: 'resume-2x-pass-7' };
const stateDirs: string[] = [];
const strays = new Set<number>();
afterAll(async () => {
  for (const dir of stateDirs) await stopManagedServer(dir).catch(() => undefined);
  for (const pid of strays) signal(pid, 'SIGKILL');
});

async function server2x(storage: string, port: number): Promise<ManagedServerState> {
  const stateDir = await tempDir('pattern-db-server-');
  stateDirs.push(stateDir);
  const state = await startManagedServer({ bin: await surrealBin(2), storage, bind: `127.0.0.1:${port}`, username: credentials.SURREAL_USER, password: credentials.SURREAL_PASS, stateDir });
  killOnExit(state.pid);
  expect(state.version).toMatch(/^2\./);
  return state;
}

function migrate(folder: PatternFolder, url: string, extra: string[], hooks: Pick<Parameters<typeof runPatternDb>[1], 'onEvent' | 'onSpawn'> = {}): Promise<RunResult> {
  return runPatternDb(['migrate', '--yes', '--json', ...extra, '--target', url], { cwd: folder.dir, env: credentials, ...hooks });
}

const importProgressed = (event: Record<string, any>) => event.type === 'progress' && event.step === 'import' && event.done > 0;

/** What the resumed run must leave: verified, every table's count equal to the store's read independently, indexes usable, config rewritten. */
async function expectFinished(resumed: RunResult, folder: PatternFolder, url: string): Promise<void> {
  expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
  expect(resumed.events.some((e) => e.type === 'status' && e.step === 'export' && e.state === 'skipped')).toBe(true);
  expect(resumed.result?.verify?.ok).toBe(true);

  const http = new SurrealHttp({ url, username: credentials.SURREAL_USER, password: credentials.SURREAL_PASS, namespace: 'pattern', database: 'pattern' });
  const counts: Record<string, number> = {};
  for (const table of Object.keys(folder.counts)) {
    const [n] = (await http.sql(`RETURN count(SELECT VALUE id FROM ${escapeIdent(table)});`)) as number[];
    counts[table] = Number(n);
  }
  expect(counts).toEqual(folder.counts);
  expect(counts.msg).toBe(MESSAGES);
  // The replayed index chunk defined the full-text index: 2.x refuses `@1@` without one.
  const [hits] = (await http.sql("SELECT VALUE id FROM msg WHERE content @1@ 'medication';")) as unknown[][];
  expect(hits!.length).toBeGreaterThan(0);
  expect(await fs.readFile(folder.configPath, 'utf8')).toContain('type = "remote"');
  const stateFiles = await fs.readdir(path.join(folder.dir, '.pattern-db'));
  expect(stateFiles.filter((f) => f.startsWith('import-chunk-'))).toEqual([]);
}

it('resumes a 2.x import after the 2.x server was killed, and verifies the result', async () => {
  const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
  const storage = `surrealkv://${await tempDir('pattern-db-target-')}/data`;
  const port = await freePort();
  const first = await server2x(storage, port);

  let killed = false;
  const interrupted = await migrate(folder, first.url, [], {
    onEvent: (event) => {
      if (!killed && importProgressed(event)) {
        killed = true;
        signal(first.pid, 'SIGKILL');
      }
    },
  });
  expect(killed).toBe(true);
  expect(interrupted.result?.preflight?.route).toEqual({ source: 2, target: 2 });
  expect(interrupted.exitCode).toBe(1);
  expect(['E_CONN_LOST', 'E_CONN_REFUSED']).toContain(errorsOf(interrupted)[0]);
  expect(interrupted.result?.error?.fix).toContain('--resume');
  expect(await fs.readFile(folder.configPath, 'utf8')).toBe(PATTERN_TOML);

  await server2x(storage, port);
  await expectFinished(await migrate(folder, first.url, ['--resume']), folder, first.url);
}, 900_000);

// Chunk 0 holds every definition and record, then each index has a chunk of its own, in the export's order: mem's four
// (1-4), msg's full-text (5: the one 2.x takes its time over), msg's and task's vector indexes. Killed in chunk 0, the
// run has journaled no checkpoint at all; killed in chunk 5, the resumed run's replay of it meets the index build the
// dead run's /import still runs.
it.each([
  ['its first chunk, before any checkpoint', 0, 'import'],
  ['the full-text index chunk of msg', 5, 'progress'],
] as const)('resumes a 2.x import after pattern-db itself was killed in %s, the server still running', async (_when, index, after) => {
  const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
  const target = await server2x(`surrealkv://${await tempDir('pattern-db-target-')}/data`, await freePort());

  let pid = 0;
  let killing: Promise<void> | undefined;
  // --driver cli: its `surreal import` child marks the moment a chunk is in flight.
  const interrupted = await migrate(folder, target.url, ['--driver', 'cli'], {
    onSpawn: (spawned) => (pid = spawned),
    onEvent: (event) => {
      const due = after === 'import' ? event.type === 'status' && event.step === 'import' && event.state === 'running' : importProgressed(event);
      if (!killing && due) killing = killWhileImporting(pid, index).then((child) => void strays.add(child));
    },
  });
  await killing;
  expect(killing).toBeDefined();
  expect(interrupted.exitCode).not.toBe(0);
  expect(interrupted.result).toBeUndefined();
  expect(await fs.readFile(folder.configPath, 'utf8')).toBe(PATTERN_TOML);

  await expectFinished(await migrate(folder, target.url, ['--resume', '--driver', 'cli']), folder, target.url);
}, 900_000);
