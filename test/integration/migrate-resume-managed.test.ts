// pattern-db killed (SIGKILL) during a migration into a server it started itself: `--resume` with the same flags
// recognises what the killed run left (its server, alive or gone; a finished journal) and finishes the job (issue 15).
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { readServerState, startManagedServer, stopManagedServer } from '../../src/surreal/server.js';
import { patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { killWhileImporting, signal, exited } from '../helpers/kill-import.js';
import { runPatternDb, type RunResult } from '../helpers/pattern-db.js';
import { countsOf } from '../helpers/pattern-server.js';
import { processesMentioning } from '../helpers/processes.js';
import { freePort, killOnExit, surrealBin, tempDir } from '../helpers/surreal.js';

const credentials = { SURREAL_USER: 'root', SURREAL_PASS: 'resume-managed-pass-4' };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface Run {
  folder: PatternFolder;
  stateDir: string;
  /** The server's storage folder (surrealkv), else undefined (memory). */
  dataDir?: string;
  args: string[];
  url: string;
}

async function managedRun(opts: { storage: 'surrealkv' | 'memory' }): Promise<Run> {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
  const stateDir = path.join(folder.dir, '.pattern-db');
  const port = await freePort();
  const dataDir = opts.storage === 'surrealkv' ? path.join(await tempDir('pattern-db-managed-'), 'data') : undefined;
  cleanups.push(async () => void (await stopManagedServer(stateDir)));
  const storage = dataDir ? `surrealkv://${dataDir}` : 'memory';
  return { folder, stateDir, ...(dataDir ? { dataDir } : {}), args: ['migrate', '--yes', '--json', '--driver', 'cli', '--start-server', storage, '--bind', `127.0.0.1:${port}`], url: `http://127.0.0.1:${port}` };
}

function migrate(run: Run, extra: string[] = [], hooks: Pick<Parameters<typeof runPatternDb>[1], 'onEvent' | 'onSpawn'> = {}): Promise<RunResult> {
  return runPatternDb([...run.args, ...extra], { cwd: run.folder.dir, env: credentials, ...hooks });
}

/** Runs the migration and SIGKILLs pattern-db once its `surreal import` of chunk `index` runs; that child is killed too. */
async function killedDuringImport(run: Run, index: number): Promise<void> {
  let pid = 0;
  let killing: Promise<number> | undefined;
  await migrate(run, [], {
    onSpawn: (spawned) => (pid = spawned),
    onEvent: (event) => {
      if (!killing && event.type === 'status' && event.step === 'import' && event.state === 'running') killing = killWhileImporting(pid, index);
    },
  });
  const child = await killing!;
  // The chunk in flight is left to land (as after a real crash), so the resume replays what is already there.
  cleanups.push(async () => signal(child, 'SIGKILL'));
  await exited(child);
}

const hasCode = (run: RunResult, code: string) => run.events.some((e) => e.type === 'diagnostic' && e.code === code);

/** The resumed run finished, verified, every table's count is the store's, and the config points at the server. */
async function expectFinished(resumed: RunResult, run: Run): Promise<void> {
  expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
  expect(resumed.result?.verify?.ok).toBe(true);
  const server = { url: run.url, username: credentials.SURREAL_USER, password: credentials.SURREAL_PASS };
  expect(await countsOf(server as never, 'pattern', 'pattern', Object.keys(run.folder.counts))).toEqual(run.folder.counts);
  expect(await fs.readFile(run.folder.configPath, 'utf8')).toContain(`url = "${run.url.replace('http://', 'ws://')}"`);
}

async function serverPid(run: Run): Promise<number> {
  const state = await readServerState(run.stateDir);
  if (!state) throw new Error(`no server.json in ${run.stateDir}`);
  killOnExit(state.pid);
  return state.pid;
}

it('killed with its server, and a foreign program on the port: --resume refuses the port, then starts the server again on its surrealkv storage and finishes', async () => {
  const run = await managedRun({ storage: 'surrealkv' });
  // A small store's chunks: 1, the definitions and the records of mem and msg; 2, the records held back while mem's and
  // msg's full-text indexes build beside them (chunks 3 to 5 and 7 wait for those builds); 6, mem's vector index, the
  // first index sent on its own, once every chunk before it is journaled as done.
  await killedDuringImport(run, 5);
  const first = await serverPid(run);
  signal(first, 'SIGKILL');
  await exited(first);

  const foreign = net.createServer();
  await new Promise<void>((resolve) => foreign.listen({ host: '127.0.0.1', port: Number(new URL(run.url).port) }, resolve));
  const refused = await migrate(run, ['--resume']).finally(() => new Promise((resolve) => foreign.close(resolve)));
  expect(refused.exitCode).not.toBe(0);
  expect(refused.result?.error?.code).toBe('E_PORT_IN_USE');
  expect(refused.result?.failedStep).toBe('preflight');

  const resumed = await migrate(run, ['--resume']);
  await expectFinished(resumed, run);
  expect(hasCode(resumed, 'I_SERVER_GONE')).toBe(true);
  // surrealkv kept the records: the import went on from the index chunk, not from the start.
  expect(hasCode(resumed, 'W_TARGET_RESET')).toBe(false);
  const firstProgress = resumed.events.find((e) => e.type === 'progress' && e.step === 'import');
  expect(firstProgress).toMatchObject({ done: firstProgress?.total, phase: { kind: 'index' } });
  const second = await serverPid(run);
  expect(second).not.toBe(first);
  expect(await processesMentioning(run.dataDir!)).toEqual([second]);
}, 300_000);

it.each(['verify', 'config'])('its memory server gone after the import finished (killed in %s): --resume imports again from the start and verifies again', async (killedIn) => {
  const run = await managedRun({ storage: 'memory' });
  const finished = await migrate(run);
  expect(finished.exitCode, finished.stdout + finished.stderr).toBe(0);
  // Put back as they were when a kill stopped that step: the journal up to it, the config not rewritten.
  const journalFile = path.join(run.stateDir, 'journal.json');
  const journal = JSON.parse(await fs.readFile(journalFile, 'utf8'));
  if (killedIn === 'verify') {
    journal.steps.verify = { state: 'running' };
    delete journal.steps.config;
  } else {
    journal.steps.config = { state: 'running' };
  }
  await fs.writeFile(journalFile, JSON.stringify(journal));
  await fs.copyFile(finished.result?.config?.backupPath, run.folder.configPath);
  const first = await serverPid(run);
  signal(first, 'SIGKILL');
  await exited(first);

  const resumed = await migrate(run, ['--resume']);
  await expectFinished(resumed, run);
  expect(hasCode(resumed, 'I_SERVER_GONE')).toBe(true);
  expect(hasCode(resumed, 'W_TARGET_RESET')).toBe(true);
  // What was loaded again is verified again, even where the earlier run had verified what it loaded then.
  const verify = resumed.events.filter((e) => e.type === 'status' && e.step === 'verify').map((e) => e.state);
  expect(verify).toEqual(['running', 'done']);
}, 300_000);

it('after a finished run, --resume says there is nothing to resume and touches nothing', async () => {
  const run = await managedRun({ storage: 'memory' });
  const finished = await migrate(run);
  expect(finished.exitCode, finished.stdout + finished.stderr).toBe(0);
  const pid = await serverPid(run);
  const config = { text: await fs.readFile(run.folder.configPath, 'utf8'), mtime: (await fs.stat(run.folder.configPath)).mtimeMs };
  const stateFiles = (await fs.readdir(run.stateDir)).sort();
  const journal = await fs.readFile(path.join(run.stateDir, 'journal.json'), 'utf8');

  const resumed = await migrate(run, ['--resume']);
  expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
  const wsUrl = run.url.replace('http://', 'ws://');
  expect(resumed.result?.nothingToResume).toMatch(new RegExp(`^Nothing to resume: the run of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC finished; Pattern uses ${wsUrl}\\.$`));
  expect(resumed.events.filter((e) => e.type === 'status')).toEqual([]);
  const plain = await runPatternDb(run.args.filter((a) => a !== '--json').concat('--resume'), { cwd: run.folder.dir, env: credentials });
  expect(plain.exitCode).toBe(0);
  expect(plain.stdout.trim().split('\n').at(-1)).toBe(resumed.result?.nothingToResume);

  expect(await fs.readFile(run.folder.configPath, 'utf8')).toBe(config.text);
  expect((await fs.stat(run.folder.configPath)).mtimeMs).toBe(config.mtime);
  expect(await serverPid(run)).toBe(pid);
  expect((await fs.readdir(run.stateDir)).sort()).toEqual(stateFiles);
  expect(await fs.readFile(path.join(run.stateDir, 'journal.json'), 'utf8')).toBe(journal);
}, 300_000);

it('a managed server of this state folder with other settings is refused, not imported into', async () => {
  const run = await managedRun({ storage: 'memory' });
  const other = await startManagedServer({ bin: await surrealBin(3), storage: 'memory', bind: `127.0.0.1:${await freePort()}`, username: 'root', password: credentials.SURREAL_PASS, stateDir: run.stateDir });
  killOnExit(other.pid);

  const refused = await migrate(run);
  expect(refused.exitCode).not.toBe(0);
  expect(refused.result?.error?.code).toBe('E_SERVER_START');
  expect(refused.result?.error?.message).toContain(`bind ${other.bind}, not ${new URL(run.url).host}`);
  expect(refused.result?.error?.fix).toContain('pattern-db server stop --state-dir');
  expect(refused.result?.failedStep).toBe('server');
  expect(await fs.readFile(run.folder.configPath, 'utf8')).toContain('type = "embedded"');
}, 300_000);

it("a new server's root user other than root: --resume given no user goes on as that user, not as root (E_AUTH)", async () => {
  const run = await managedRun({ storage: 'memory' });
  const admin = { SURREAL_USER: 'admin', SURREAL_PASS: credentials.SURREAL_PASS };
  let pid = 0;
  let killing: Promise<number> | undefined;
  await runPatternDb(run.args, {
    cwd: run.folder.dir,
    env: admin,
    onSpawn: (spawned) => (pid = spawned),
    onEvent: (event) => {
      if (!killing && event.type === 'status' && event.step === 'import' && event.state === 'running') killing = killWhileImporting(pid, 1);
    },
  });
  const child = await killing!;
  cleanups.push(async () => signal(child, 'SIGKILL'));
  await exited(child);
  await serverPid(run);

  const resumed = await runPatternDb([...run.args, '--resume'], { cwd: run.folder.dir, env: { SURREAL_USER: undefined, SURREAL_PASS: admin.SURREAL_PASS } });
  expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
  expect(resumed.result?.verify?.ok).toBe(true);
});
