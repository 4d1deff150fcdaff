// `migrate --target` begins the import in the export step, as soon as the export has written the file
// (steps/import-ahead.ts): `surreal export`'s, or the in-process one's (`--driver sdk`, and the in-process export that
// takes over when `surreal export` cannot read the store). Nothing of an export that failed reaches the server. A run
// killed after chunks went in that way, before the import step's first checkpoint, resumes without a record twice or
// missing: the resumed import sends every chunk again as a replay (a 3.x store, and a 2.x one upgraded). Chunks of
// 64 KiB cut the small store into many, so more than the chunks a resume replays anyway are in by then.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { pauseMarker, PAUSE_ENV } from '../../src/core/pause-point.js';
import { databaseExists } from '../../src/surreal/server-catalog.js';
import { patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { runUntilKilled } from '../helpers/kill-points.js';
import { runPatternDb, type RunResult } from '../helpers/pattern-db.js';
import { client, expectEveryRecordOnce } from '../helpers/pattern-server.js';
import { engineWorkersOf, processesLeftMentioning, processesMentioning } from '../helpers/processes.js';
import { startTestServer, surrealBin, tempDir, type TestServer } from '../helpers/surreal.js';
import { waitFor } from '../helpers/wait-for.js';

const SMALL_CHUNKS = { PATTERN_DB_IMPORT_CHUNK_BYTES: String(64 * 1024) };

function aheadSaid(run: RunResult): string | undefined {
  return run.events.find((e) => e.type === 'diagnostic' && e.code === 'I_IMPORT_AHEAD')?.message;
}

it.each([
  ['auto', 'cli'],
  ['sdk', 'sdk'],
] as const)('3.x into a running server, --driver %s: the import begins in the export step, and every record arrives once', async (driver, exportedBy) => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
  const server = await startTestServer();
  try {
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, ...SMALL_CHUNKS };
    const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', driver, '--target', server.url], { cwd: folder.dir, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const total = Object.values(folder.counts).reduce((a, b) => a + b, 0);
    expect(run.result?.export?.driver).toBe(exportedBy);
    expect(aheadSaid(run)).toMatch(new RegExp(`^The import began once the export file was written, while it was checked: ${total} records in \\d+ chunks went in`));
    expect(run.result?.import?.records).toBe(total);
    expect(run.result?.verify?.ok).toBe(true);
    await expectEveryRecordOnce(server, folder.counts);
  } finally {
    await server.stop();
  }
}, 120_000);

/** A `surreal` whose export writes the whole file, cuts it in half and fails saying `said`, as one that crashed would. */
async function exportFailingHalfway(said: string, major: 2 | 3 = 3): Promise<string> {
  const bin = path.join(await tempDir('pattern-db-half-export-'), 'surreal');
  const real = await surrealBin(major);
  const script = [
    '#!/bin/sh',
    'if [ "$1" = export ]; then',
    '  for file; do :; done',
    `  '${real}' "$@" >/dev/null 2>&1`,
    '  truncate -s "$(( $(wc -c < "$file") / 2 ))" "$file"',
    `  echo '${said}' >&2`,
    '  exit 1',
    'fi',
    `exec '${real}' "$@"`,
  ];
  await fs.writeFile(bin, script.join('\n') + '\n', { mode: 0o755 });
  return bin;
}

/** Migrates a 300-message store into a new server through a `surreal` whose export fails halfway saying `said`. */
async function migrateWithExportFailing(said: string, check: (run: RunResult, folder: PatternFolder, server: TestServer) => Promise<void>): Promise<void> {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
  const server = await startTestServer();
  try {
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, SURREAL_BIN: await exportFailingHalfway(said), ...SMALL_CHUNKS };
    await check(await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, env }), folder, server);
  } finally {
    await server.stop();
  }
}

it('an export that fails after writing half its file sends nothing to the server', async () => {
  await migrateWithExportFailing('ERROR surrealdb::cli: the store is already locked by another process', async (run, folder, server) => {
    expect(run.exitCode).not.toBe(0);
    expect(run.result?.error?.code, run.stdout + run.stderr).toBe('E_STORE_LOCKED');
    expect(await databaseExists(client(server), 'pattern', 'pattern'), 'not even the database was created').toBe(false);
    expect(await processesMentioning(folder.dir), 'processes left behind').toEqual([]);
  });
}, 120_000);

// The upgrade's repair follows the dump surreal writes: what it repaired of a dump that failed is not sent either.
it('--driver cli on an upgrade: a surreal export --v3 that fails after writing half its dump sends nothing, and leaves no file', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
  const server = await startTestServer({ major: 3 });
  try {
    const said = 'ERROR surrealdb::cli: the store is already locked by another process';
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, SURREAL2_BIN: await exportFailingHalfway(said, 2), ...SMALL_CHUNKS };
    const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', 'cli', '--target', server.url], { cwd: folder.dir, env });
    expect(run.exitCode).not.toBe(0);
    expect(run.result?.error?.code, run.stdout + run.stderr).toBe('E_STORE_LOCKED');
    expect(await databaseExists(client(server), 'pattern', 'pattern'), 'not even the database was created').toBe(false);
    expect(await fs.readdir(folder.dir), 'no export file, whole, partial or dumped').not.toContainEqual(expect.stringMatching(/^pattern_export/));
    expect(await processesMentioning(folder.dir), 'processes left behind').toEqual([]);
  } finally {
    await server.stop();
  }
}, 180_000);

it('3.x, a store without the database: the census read beside `surreal export` refuses it, and nothing reaches the server', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
  const server = await startTestServer();
  try {
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password };
    const run = await runPatternDb(['migrate', '--yes', '--json', '--database', 'other', '--target', server.url], { cwd: folder.dir, env });
    expect(run.exitCode).not.toBe(0);
    expect(run.result?.error?.code, run.stdout + run.stderr).toBe('E_STORE_EMPTY');
    expect(run.result?.error?.message).toBe('The store has no database pattern/other.');
    expect(await databaseExists(client(server), 'pattern', 'other'), 'not even the database was created').toBe(false);
  } finally {
    await server.stop();
  }
}, 120_000);

it('a surreal export that cannot read the store hands over to the in-process export, which brings every record once', async () => {
  await migrateWithExportFailing('ERROR surrealdb::cli: failed to fill whole buffer', async (run, folder, server) => {
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.events.some((e) => e.type === 'diagnostic' && e.code === 'W_DRIVER_FALLBACK')).toBe(true);
    expect(run.result?.export?.driver).toBe('sdk');
    expect(aheadSaid(run), 'the import began on the in-process export\'s file').toMatch(/^The import began once the export file was written/);
    expect(run.result?.verify?.ok).toBe(true);
    await expectEveryRecordOnce(server, folder.counts);
  });
}, 120_000);

it('--driver sdk: an in-process export that fails once the import began on its file sends nothing to the server', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
  const server = await startTestServer();
  const marker = path.join(folder.dir, '.pattern-db', pauseMarker('engine-export'));
  try {
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, ...SMALL_CHUNKS, [PAUSE_ENV]: 'engine-export' };
    let pid = 0;
    const running = runPatternDb(['migrate', '--yes', '--json', '--driver', 'sdk', '--target', server.url], { cwd: folder.dir, env, onSpawn: (spawned) => (pid = spawned) });
    // Paused with the file made and the import begun on it: the engine that was to write it dies (the OOM killer).
    expect(await waitFor(() => fs.access(marker).then(() => true, () => undefined), 60_000, 10), 'paused at engine-export').toBe(true);
    const [worker] = await engineWorkersOf(pid);
    expect(worker, 'the embedded engine\'s process').toBeDefined();
    process.kill(worker!, 'SIGKILL');
    await fs.rm(marker);
    const run = await running;
    expect(run.exitCode).not.toBe(0);
    expect(run.result?.error?.code, run.stdout + run.stderr).toBe('E_SURREAL_KILLED');
    expect(run.result?.error?.message).toMatch(/^@surrealdb\/node .+, the process reading .+ was killed \(SIGKILL\) while pattern-db used it, not by pattern-db: most likely the system ran out of memory\.$/);
    expect(await databaseExists(client(server), 'pattern', 'pattern'), 'not even the database was created').toBe(false);
    expect(await fs.readdir(folder.dir), 'no export file, whole or partial').not.toContainEqual(expect.stringMatching(/^pattern_export/));
    expect(await processesMentioning(folder.dir), 'processes left behind').toEqual([]);
  } finally {
    await server.stop();
  }
}, 120_000);

/** A real surreal that writes the file of each of its imports to `log`, then runs it a moment later (0.3 s). */
async function importLoggingSurreal(dir: string): Promise<{ bin: string; log: string }> {
  const bin = path.join(dir, 'import-logging-surreal');
  const log = path.join(dir, 'imports.log');
  const script = ['#!/bin/sh', 'if [ "$1" = import ]; then', '  for file; do :; done', `  echo "$file" >> '${log}'`, '  sleep 0.3', 'fi', `exec '${await surrealBin(3)}' "$@"`];
  await fs.writeFile(bin, script.join('\n') + '\n', { mode: 0o755 });
  return { bin, log };
}

// The import step begins while chunks the export step's import sent are still in flight (each `surreal import` waits
// 0.3 s before it opens its file): it must leave their files alone (it once removed them as a killed run's, and that
// `surreal import` failed: "No such file or directory").
it('3.x into a running server, --driver cli: the import begins in the export step, each chunk a `surreal import` of its own, and every record arrives once', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
  const server = await startTestServer();
  try {
    const surreal = await importLoggingSurreal(folder.dir);
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, SURREAL_BIN: surreal.bin, ...SMALL_CHUNKS };
    const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', 'cli', '--target', server.url], { cwd: folder.dir, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const total = Object.values(folder.counts).reduce((a, b) => a + b, 0);
    expect(aheadSaid(run)).toMatch(new RegExp(`^The import began once the export file was written, while it was checked: ${total} records in \\d+ chunks went in`));
    expect(run.result?.export?.importStarted).toBe(true);
    const imported = (await fs.readFile(surreal.log, 'utf8')).trim().split('\n');
    expect(imported.length).toBe(run.result?.import?.chunks);
    expect(imported.every((file) => /\/\.pattern-db\/import-(chunk|beside-index)-\d+\.surql$/.test(file)), imported.join('\n')).toBe(true);
    expect(run.result?.verify?.ok).toBe(true);
    await expectEveryRecordOnce(server, folder.counts);
    const left = (await fs.readdir(path.join(folder.dir, '.pattern-db'))).filter((name) => name.startsWith('import-'));
    expect(left, 'chunk files left behind').toEqual([]);
  } finally {
    await server.stop();
  }
}, 120_000);

// surreal export --v3 writes a dump of its own beside the export: the export is that dump repaired as it was written.
it('--driver cli on an upgrade: the import begins in the export step, once the repaired file parsed as SurrealDB 3, and every record arrives once', async () => {
  const folder = await patternFolder(60, 1, PATTERN_TOML, 2);
  const server = await startTestServer({ major: 3 });
  try {
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password };
    const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', 'cli', '--target', server.url], { cwd: folder.dir, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const total = Object.values(folder.counts).reduce((a, b) => a + b, 0);
    expect(aheadSaid(run)).toMatch(new RegExp(`^The import began once the export file was written, while it was checked: ${total} records in \\d+ chunks went in`));
    expect(run.result?.export?.importStarted).toBe(true);
    const codes = run.events.filter((e) => e.type === 'diagnostic').map((e) => e.code as string);
    expect(codes).toEqual(expect.arrayContaining(['I_REPAIRED', 'I_VALIDATED']));
    expect(run.result?.verify?.ok).toBe(true);
    await expectEveryRecordOnce(server, folder.counts);
    expect(await fs.readFile(path.join(folder.dir, 'pattern_export.surql'), 'utf8')).not.toMatch(/DEFINE FIELD id ON|FLEXIBLE/);
    expect((await fs.readdir(folder.dir)).filter((name) => name.startsWith('pattern_export.surql.')), 'files the export left').toEqual([]);
  } finally {
    await server.stop();
  }
}, 180_000);

// The upgrade of a 2.x store begins its import once the file parsed as SurrealDB 3, as it was written.
it.each([
  ['a 3.x store', 3, []],
  ['a 3.x store, --driver sdk', 3, ['--driver', 'sdk']],
  ['a 2.x store upgraded', 2, []],
] as const)('%s: killed once the import the export step began sent chunks, --resume sends them again as replays and finishes', async (_name, engine, flags) => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, engine);
  const server = await startTestServer({ major: 3 });
  const stateDir = path.join(folder.dir, '.pattern-db');
  try {
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, ...SMALL_CHUNKS };
    const args = ['migrate', '--yes', '--json', ...flags, '--target', server.url];
    const interrupted = await runUntilKilled({ name: 'chunks sent by the import the export step began', pause: 'import-ahead' }, args, { cwd: folder.dir, stateDir, env });
    expect(interrupted.killed).toBe(true);
    const journal = JSON.parse(await fs.readFile(path.join(stateDir, 'journal.json'), 'utf8'));
    const export_ = journal.steps.export;
    expect(export_.checkpoint?.importStarted ?? export_.result?.importStarted, 'journaled before the first chunk').toBe(true);
    expect(journal.steps.import?.checkpoint, 'the import step never checkpointed').toBeUndefined();

    const refused = await runPatternDb(args, { cwd: folder.dir, env });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.result?.error?.message).toMatch(/An earlier run stopped before finishing/);

    const resumed = await runPatternDb([...args, '--resume'], { cwd: folder.dir, env });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.result?.verify?.ok).toBe(true);
    expect(aheadSaid(resumed), 'a resumed run does not begin the import in its export step').toBeUndefined();
    await expectEveryRecordOnce(server, folder.counts);
    // The killed run's private 2.x server is ended by its watchdog: SIGTERM, then SIGKILL after 3 s.
    expect(await processesLeftMentioning(folder.dir, 10_000), 'processes left behind').toEqual([]);
  } finally {
    await server.stop();
  }
}, 180_000);
