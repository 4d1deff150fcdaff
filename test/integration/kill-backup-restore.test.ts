// pattern-db killed with SIGKILL (a crash, an OOM kill, a closed SSH session) in the middle of a restore or a backup.
// A restore goes on with --resume to a target identical to the backup; a backup leaves no archive that looks
// complete, never deletes an older one, and the next backup removes what it left.
import { watch, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../src/ops/backup-archive.js';
import { backupsOf } from '../../src/ops/backup-retention.js';
import { isProcessAlive } from '../../src/surreal/process-identity.js';
import { exited, signal } from '../helpers/kill-import.js';
import { errorsOf, runPatternDb, type RunResult } from '../helpers/pattern-db.js';
import { recordDigests, seedPatternDatabase, tableCounts } from '../helpers/pattern-server.js';
import { processesMentioning } from '../helpers/processes.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

type Event = Record<string, any>;
const as = (server: TestServer) => ({ SURREAL_USER: server.username, SURREAL_PASS: server.password });
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs pattern-db and SIGKILLs it at the first event `at` picks; says whether it did, and the pid. */
async function runKilledAt(args: string[], cwd: string, env: Record<string, string>, at: (event: Event) => boolean) {
  let pid = 0;
  let killed = false;
  const run = await runPatternDb(args, {
    cwd,
    env,
    onSpawn: (spawned) => (pid = spawned),
    onEvent: (event) => {
      if (killed || !at(event)) return;
      killed = true;
      signal(pid, 'SIGKILL');
    },
  });
  await exited(pid);
  return { run, pid, killed };
}

async function makeBackup(server: TestServer, cwd: string, dir: string, keep = 7): Promise<RunResult> {
  const run = await runPatternDb(['backup', '--target', server.url, '--dir', dir, '--keep', String(keep), '--json'], { cwd, env: as(server) });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  return run;
}

describe.each([3, 2] as const)('restore killed with SIGKILL, SurrealDB %i', (major) => {
  let server: TestServer;
  let archive: string;
  let sourceCounts: Record<string, number>;
  let sourceRecords: Record<string, Record<string, string>>;
  beforeAll(async () => {
    server = await startTestServer({ major });
    cleanups.push(server.stop);
    const work = await tempDir();
    cleanups.push(() => fs.rm(work, { recursive: true, force: true }));
    sourceCounts = await seedPatternDatabase(server, 'pattern', 'pattern', 150);
    sourceRecords = await recordDigests(server, 'pattern', 'pattern');
    archive = (await makeBackup(server, work, path.join(work, 'backups'))).result?.backup.file;
  });

  const points: Array<{ name: string; database: string; at: (e: Event) => boolean; majors: number[] }> = [
    // The first chunk holds every record of a small backup: killed as it is sent, nothing is journaled as loaded.
    { name: 'inside the first import chunk', database: 'first_chunk', majors: [3], at: (e) => e.type === 'progress' && e.step === 'import' && e.phase?.kind === 'records' && e.done === 0 },
    // Each index is a chunk of its own, after the data: the second one is a middle chunk.
    { name: 'inside a middle import chunk (the second index)', database: 'middle_chunk', majors: [3, 2], at: (e) => e.type === 'progress' && e.step === 'import' && e.phase?.kind === 'index' && e.phase.k === 2 },
    { name: 'during its verification', database: 'verification', majors: [3], at: (e) => e.type === 'status' && e.step === 'verify' && e.state === 'running' },
  ];

  it.each(points.filter((p) => p.majors.includes(major)))('killed $name, restore --resume finishes it: every table and record as in the backup', async ({ name, database, at }) => {
    const cwd = await tempDir();
    cleanups.push(() => fs.rm(cwd, { recursive: true, force: true }));
    const args = ['restore', archive, '--target', server.url, '--database', database, '--json'];
    const started = Date.now();
    const killed = await runKilledAt(args, cwd, as(server), at);
    expect(killed.killed, killed.run.stdout).toBe(true);
    expect(killed.run.result).toBeUndefined();
    const killedAfter = seconds(started);

    // The same command again, without --resume, does not stumble on the half-loaded target: it says how to finish.
    const again = await runPatternDb(args, { cwd, env: as(server) });
    expect(again.exitCode).toBe(1);
    expect(errorsOf(again)).toEqual(['E_JOURNAL']);
    expect(again.result?.error?.fix).toContain('--resume');
    // Another restore given --resume is told it is another one, and how to set the stopped one aside: not to resume.
    const another = await runPatternDb(['restore', archive, '--target', server.url, '--database', `${database}_other`, '--json', '--resume'], { cwd, env: as(server) });
    expect(another.result?.error).toMatchObject({ code: 'E_JOURNAL', message: expect.stringContaining('is another restore'), fix: expect.stringContaining('--replace --yes and without --resume') });

    const resumedAt = Date.now();
    const resumed = await runPatternDb([...args, '--resume'], { cwd, env: as(server) });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.events.some((e) => e.code === 'I_RESTORE_RESUMED')).toBe(true);
    // Killed after the import: nothing is loaded again, the target still holds it (I_IMPORT_KEPT).
    if (name.includes('verification')) expect(resumed.events.some((e) => e.code === 'I_IMPORT_KEPT')).toBe(true);
    expect(resumed.result?.restore.records).toBe(Object.values(sourceCounts).reduce((a, b) => a + b, 0));

    // Counted independently: every table as in the source, each record once and with the same content.
    expect(await tableCounts(server, 'pattern', database)).toEqual(sourceCounts);
    expect(await recordDigests(server, 'pattern', database)).toEqual(sourceRecords);
    // The decompressed copy of the backup is gone, and so is every process of the run.
    expect(await fs.readdir(path.join(cwd, '.pattern-db', 'restore'))).not.toContain('backup.surql');
    expect(isProcessAlive(killed.pid)).toBe(false);
    expect(await processesMentioning(archive)).toEqual([]);
    if (name.includes('verification')) {
      // Once finished, --resume has nothing left to do: no step runs, and it reports what the finished run restored.
      const done = await runPatternDb([...args, '--resume'], { cwd, env: as(server) });
      expect(done.exitCode, done.stdout + done.stderr).toBe(0);
      expect(done.events.filter((e) => e.type === 'status')).toEqual([]);
      expect(done.result?.restore.records).toBe(resumed.result?.restore.records);
    }
    console.log(`restore ${major}.x killed ${name} (after ${killedAfter}): the plain rerun said E_JOURNAL; --resume exit 0 in ${seconds(resumedAt)}`);
  }, 60_000);

  it('interrupted (SIGINT) while it loads the backup, it says the database may hold part of it and how to finish, and --resume does', async () => {
    const cwd = await tempDir();
    cleanups.push(() => fs.rm(cwd, { recursive: true, force: true }));
    const args = ['restore', archive, '--target', server.url, '--database', 'interrupted', '--json'];
    let pid = 0;
    let sent = false;
    const stopped = await runPatternDb(args, {
      cwd,
      env: as(server),
      onSpawn: (spawned) => (pid = spawned),
      onEvent: (event) => {
        if (sent || !(event.type === 'progress' && event.step === 'import' && event.phase?.kind === 'index' && event.phase.k === 2)) return;
        sent = true;
        signal(pid, 'SIGINT');
      },
    });
    expect(stopped.exitCode).toBe(130);
    expect(stopped.result?.error).toMatchObject({
      code: 'E_CANCELLED',
      message: `The restore into pattern/interrupted on ${server.url} was cancelled; the database may hold part of the backup.`,
      fix: 'Run the same command with --resume to finish it (its journal is kept), or with --replace to start over.',
    });
    const resumed = await runPatternDb([...args, '--resume'], { cwd, env: as(server) });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(await tableCounts(server, 'pattern', 'interrupted')).toEqual(sourceCounts);
  }, 60_000);
});

describe('backup killed with SIGKILL', () => {
  it('leaves no archive that looks complete and deletes no older backup at any point; the next backup removes what it left', async () => {
    const server = await startTestServer();
    cleanups.push(server.stop);
    const cwd = await tempDir();
    cleanups.push(() => fs.rm(cwd, { recursive: true, force: true }));
    await seedPatternDatabase(server, 'pattern', 'pattern', 150);
    const dir = path.join(cwd, 'backups');
    const older = (await makeBackup(server, cwd, dir, 1)).result?.backup.file as string;
    const args = ['backup', '--target', server.url, '--dir', dir, '--keep', '1', '--json'];

    /** The folder as a later restore or retention sees it: every archive complete, and a backup always there. */
    const assertSafe = async (point: string) => {
      const names = await fs.readdir(dir);
      const archives = backupsOf(names, 'pattern', 'pattern');
      for (const name of archives) {
        expect(names, `${point}: ${name} without its checksum`).toContain(`${name}.sha256`);
        await verifyArchive(path.join(dir, name));
      }
      if (!names.includes(path.basename(older))) expect(archives.length, `${point}: the older backup was deleted with no newer one`).toBeGreaterThan(0);
      return names.filter((n) => !n.startsWith(path.basename(older)));
    };

    // Where a kill lands is seen from outside: the run's JSON lines, and the files it creates in the backup folder.
    const points: Array<{ name: string; events?: (e: Event) => boolean; files?: (name: string) => boolean }> = [
      { name: 'before the export (source counted)', events: (e) => e.code === 'I_BACKUP_SOURCE' },
      { name: 'while the archive is written', files: (n) => /\.surql\.gz\.\d+\.partial$/.test(n) },
      { name: 'while its checksum is written', files: (n) => /\.sha256\.\d+\.partial$/.test(n) },
      { name: 'once its checksum is in place', files: (n) => n.endsWith('.surql.gz.sha256') && !n.startsWith(path.basename(older)) },
      { name: 'once the archive has its name (retention)', files: (n) => n.endsWith('.surql.gz') && n !== path.basename(older) },
    ];
    const matrix: string[] = [];
    for (const point of points) {
      const started = Date.now();
      let pid = 0;
      let killed = false;
      const kill = () => {
        if (killed || !pid) return;
        killed = true;
        signal(pid, 'SIGKILL');
      };
      const watcher = watch(dir, (_type, file) => file && point.files?.(file) && kill());
      const run = await runPatternDb(args, { cwd, env: as(server), onSpawn: (p) => (pid = p), onEvent: (e) => point.events?.(e) && kill() });
      watcher.close();
      await exited(pid);
      expect(killed, point.name).toBe(true);
      const left = await assertSafe(point.name);
      expect(await processesMentioning(dir)).toEqual([]);
      const olderKept = (await fs.readdir(dir)).includes(path.basename(older));
      matrix.push(`backup killed ${point.name}: exit ${run.exitCode}, ${seconds(started)}, older backup ${olderKept ? 'kept' : 'pruned (a newer verified one is in place)'}, left [${left.join(', ')}]`);
    }
    console.log(matrix.join('\n'));
    const before = await fs.readdir(dir);
    const leftovers = before.filter((n) => n.endsWith('.partial') || (n.endsWith('.sha256') && !before.includes(n.slice(0, -'.sha256'.length))));

    const next = await makeBackup(server, cwd, dir, 1);
    const names = (await fs.readdir(dir)).sort();
    const newest = path.basename(next.result?.backup.file);
    expect(names).toEqual([newest, `${newest}.sha256`]);
    expect(next.events.some((e) => e.code === 'I_BACKUP_LEFTOVERS')).toBe(leftovers.length > 0);
  }, 90_000);
});
