// One cell of the kill matrix: a fresh copy of a route's store, `migrate --start-server` SIGKILLed at a point, the same
// command with --resume, and what must hold afterwards, checked from outside the program.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { escapeIdent } from 'surrealdb';
import { parse } from 'smol-toml';
import { expect } from 'vitest';
import { majorOf } from '../../src/core/route.js';
import { isProcessAlive } from '../../src/surreal/process-identity.js';
import { readServerState, stopManagedServer } from '../../src/surreal/server.js';
import { patternFolder, PATTERN_TOML, type PatternFolder } from './fixture-store.js';
import { signal } from './kill-import.js';
import { recordRow, runUntilKilled, type KillPoint } from './kill-points.js';
import { errorsOf, runPatternDb, type RunResult } from './pattern-db.js';
import { client, countsOf } from './pattern-server.js';
import { processesLeftMentioning, processesMentioning } from './processes.js';
import { freePort } from './surreal.js';

export interface Route {
  /** Names the matrix file: test-output/kill-resume/<name>.tsv. */
  name: string;
  /** Which SurrealDB wrote the store. */
  engine: 2 | 3;
  messages: number;
  /** Flags that choose the route, e.g. --target-version 3. */
  flags: string[];
  /** `cli` unless said: its `surreal import` child marks the moment a chunk is in flight (kill-points.ts). */
  driver?: 'cli' | 'auto';
}

export const credentials = { SURREAL_USER: 'root', SURREAL_PASS: 'kill-resume-pass-15' };

/** Stops whatever a cell left running: its managed server, then anything still naming its folder (all started by it). */
export async function cleanUp(folder: PatternFolder): Promise<void> {
  await stopManagedServer(path.join(folder.dir, '.pattern-db')).catch(() => undefined);
  for (const pid of await processesMentioning(folder.dir)) signal(pid, 'SIGKILL');
  await fs.rm(folder.dir, { recursive: true, force: true });
}

/** A fresh copy of the route's store, and the `migrate --start-server` command line of one cell. */
export async function newCell(route: Route, folders: PatternFolder[]): Promise<{ folder: PatternFolder; stateDir: string; port: number; args: string[] }> {
  const folder = await patternFolder(route.messages, 1, PATTERN_TOML, route.engine);
  folders.push(folder);
  const stateDir = path.join(folder.dir, '.pattern-db');
  const port = await freePort();
  const args = ['migrate', '--yes', '--json', '--driver', route.driver ?? 'cli', '--start-server', `surrealkv://${serverStorageOf(folder)}`, '--bind', `127.0.0.1:${port}`, ...route.flags];
  return { folder, stateDir, port, args };
}

/** The managed server's surrealkv folder in a cell. */
export function serverStorageOf(folder: PatternFolder): string {
  return path.join(folder.dir, 'server.db');
}

/** `afterKill`: what must hold once the run is killed, before the resume. */
export async function killAndResume(route: Route, point: KillPoint, folders: PatternFolder[], afterKill?: (stateDir: string) => Promise<void>): Promise<void> {
  const { folder, stateDir, port, args } = await newCell(route, folders);

  const interrupted = await runUntilKilled(point, args, { cwd: folder.dir, stateDir, env: credentials });
  if (interrupted.killed && !point.mayFinish) expect(await fs.readFile(folder.configPath, 'utf8'), 'killed before the config was replaced').toBe(PATTERN_TOML);
  if (afterKill) {
    expect(interrupted.killed, 'killed at the point').toBe(true);
    await afterKill(stateDir);
  }

  const left = await readServerState(stateDir);
  const leftRunning = left !== null && isProcessAlive(left.pid);

  const started = Date.now();
  const resumed = await runPatternDb([...args, '--resume'], { cwd: folder.dir, env: credentials });
  await recordRow(route.name, { point: point.name, interrupted, resumed, resumeMs: Date.now() - started });
  await expectFinished(resumed, folder, port);
  expect(errorsOf(resumed)).toEqual([]);
  const target = route.flags.includes('--target-version') ? 3 : route.engine;
  expect(resumed.result?.preflight?.route).toEqual({ source: route.engine, target });
  expect(majorOf(resumed.result?.server?.version ?? '')).toBe(target);
  const said = (step: string, state: string) => (run: RunResult) => run.events.some((e) => e.type === 'status' && e.step === step && e.state === state);
  if (said('export', 'done')(interrupted.run)) expect(said('export', 'skipped')(resumed) || Boolean(resumed.result?.nothingToResume), 'the export, done before the kill').toBe(true);
  if (leftRunning && !resumed.result?.nothingToResume) {
    // The server the killed run started, still running, is used again: the same process, the only one on its storage.
    expect(resumed.events.some((e) => e.type === 'diagnostic' && e.code === 'I_SERVER_REUSED'), resumed.stdout).toBe(true);
    expect((await readServerState(stateDir))?.pid).toBe(left.pid);
    expect(await processesMentioning(serverStorageOf(folder))).toEqual([left.pid]);
  }
  await expectNothingLeft(folder, stateDir);
}

/** Verified by the program, every table counted again here, no record twice, the config rewritten with its backup. */
export async function expectFinished(resumed: RunResult, folder: PatternFolder, port: number): Promise<void> {
  expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
  expect(resumed.result?.verify?.ok).toBe(true);

  const server = { url: `http://127.0.0.1:${port}`, username: credentials.SURREAL_USER, password: credentials.SURREAL_PASS };
  const tables = Object.keys(folder.counts);
  expect(await countsOf(server, 'pattern', 'pattern', tables)).toEqual(folder.counts);
  const http = client(server, 'pattern', 'pattern');
  for (const table of tables) {
    const [distinct] = (await http.sql(`RETURN array::len(array::distinct(SELECT VALUE id FROM ${escapeIdent(table)}));`)) as number[];
    expect(Number(distinct), `distinct ids in ${table}`).toBe(folder.counts[table]);
  }

  const config = parse(await fs.readFile(folder.configPath, 'utf8')) as { database?: Record<string, unknown> };
  expect(config.database).toMatchObject({ type: 'remote', url: `ws://127.0.0.1:${port}`, namespace: 'pattern', database: 'pattern' });
  const backups = (await fs.readdir(folder.dir)).filter((name) => name.startsWith('pattern.toml.bak-'));
  expect(backups.length).toBeGreaterThan(0);
  for (const backup of backups) expect(await fs.readFile(path.join(folder.dir, backup), 'utf8'), backup).toBe(PATTERN_TOML);
}

/** Once the managed server is stopped: no surreal or pattern-db naming the folder, no snapshot, no chunk file. */
export async function expectNothingLeft(folder: PatternFolder, stateDir: string): Promise<void> {
  const stopped = await runPatternDb(['server', 'stop', '--json', '--state-dir', stateDir], { cwd: folder.dir });
  expect(stopped.exitCode, stopped.stdout + stopped.stderr).toBe(0);
  // A child the killed run left (its `surreal import` of a small chunk) gets a moment to finish what it was sent.
  const pids = await processesLeftMentioning(folder.dir, 5_000);
  const left = await Promise.all(pids.map((pid) => fs.readFile(`/proc/${pid}/cmdline`, 'utf8').then((c) => `${pid}: ${c.split('\0').join(' ')}`, () => `${pid}`)));
  expect(left, 'processes left behind').toEqual([]);
  const snapshots = await fs.readdir(path.join(stateDir, 'snapshots')).catch(() => [] as string[]);
  expect(snapshots, 'snapshot folders left behind').toEqual([]);
  const chunks = (await fs.readdir(stateDir)).filter((name) => /^import-(chunk|beside-index)-\d+\.surql$/.test(name));
  expect(chunks, 'import chunk files left behind').toEqual([]);
}
