// `pattern-db backup` against a real server and a real embedded store: archive, checksum, verification, retention,
// a server export that ends early, and the schedule that runs it.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutExportProxy } from '../helpers/cut-export-proxy.js';
import { folderDigest, patternFolder } from '../helpers/fixture-store.js';
import { binPath, runPatternDb } from '../helpers/pattern-db.js';
import { seedPatternDatabase } from '../helpers/pattern-server.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function scratch(): Promise<string> {
  const dir = await tempDir();
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

let server: TestServer;
let counts: Record<string, number>;
beforeAll(async () => {
  server = await startTestServer();
  cleanups.push(server.stop);
  counts = await seedPatternDatabase(server);
});

const env = () => ({ SURREAL_USER: server.username, SURREAL_PASS: server.password });
const backupsIn = async (dir: string) => (await fs.readdir(dir)).filter((n) => /^pattern-pattern-\d{8}T\d{6}\.\d{3}Z\.surql\.gz$/.test(n)).sort();

/** Records per table in a SurrealQL dump, counted by reading it (not by trusting pattern-db). */
function countInserts(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n').filter((l) => l.startsWith('INSERT '))) {
    for (const match of line.matchAll(/[{,] id: (\w+):/g)) out[match[1]!] = (out[match[1]!] ?? 0) + 1;
  }
  return out;
}

describe('pattern-db backup', () => {
  it('writes a gzip archive of the server database with a sha256sum-checkable checksum and every record', async () => {
    const dir = await scratch();
    const run = await runPatternDb(['backup', '--target', server.url, '--dir', 'backups', '--json'], { cwd: dir, env: env() });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(server.password);
    const backup = run.result?.backup;
    const names = await backupsIn(path.join(dir, 'backups'));
    expect(names).toHaveLength(1);
    expect(backup.file).toBe(path.join(dir, 'backups', names[0]!));
    expect(names[0]).toMatch(/^pattern-pattern-\d{8}T\d{6}\.\d{3}Z\.surql\.gz$/);

    // The checksum is what sha256sum itself accepts.
    const check = await execa('sha256sum', ['-c', `${names[0]}.sha256`], { cwd: path.join(dir, 'backups') });
    expect(check.stdout).toBe(`${names[0]}: OK`);

    // Size and records as reported are what is on disk and in the server.
    const bytes = await fs.readFile(backup.file);
    expect(backup.bytes).toBe(bytes.length);
    const text = gunzipSync(bytes).toString('utf8');
    expect(text).toContain('OPTION IMPORT;');
    expect(text).toContain('DEFINE INDEX msg_content_search');
    const nonEmpty = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
    expect(countInserts(text)).toEqual(nonEmpty);
    expect(backup.recordsByTable).toEqual(nonEmpty);
    expect(backup.records).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    expect(backup.ms).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a database the server does not have, and writes no file', async () => {
    const dir = await scratch();
    const run = await runPatternDb(['backup', '--target', server.url, '--database', 'nope', '--dir', 'backups', '--json'], { cwd: dir, env: env() });
    expect(run.exitCode).toBe(1);
    expect(run.result?.error.code).toBe('E_NAMESPACE_MISSING');
    expect(await fs.readdir(path.join(dir, 'backups')).catch(() => [])).toEqual([]);
  }, 30_000);

  it('stopped by a file-size limit (ulimit -f), says so, not "a bug in pattern-db", and leaves no partial archive', async () => {
    const dir = await scratch();
    // 8 blocks (4 or 8 KiB as the shell counts them): less than this database's archive.
    const command = `ulimit -f 8 && exec node ${binPath} backup --target ${server.url} --dir backups --json`;
    const run = await execa('sh', ['-c', command], { cwd: dir, env: env(), reject: false });
    expect(run.exitCode).toBe(1);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(result.error).toMatchObject({ code: 'E_NOT_WRITABLE', message: expect.stringContaining('grew larger than this system lets a file be'), fix: expect.stringContaining('ulimit -f unlimited') });
    expect(await fs.readdir(dir)).toEqual([]);
  }, 30_000);

  it('keeps the newest --keep backups of this database and deletes only the oldest of them', async () => {
    const dir = await scratch();
    const backups = path.join(dir, 'backups');
    await fs.mkdir(backups);
    // Things in the same folder that are not this database's backups.
    const others = ['notes.txt', 'pattern-other-20200101T000000.000Z.surql.gz', 'pattern-pattern-manual.surql.gz', 'pattern-pattern-20200101T000000.000Z.surql'];
    for (const name of others) await fs.writeFile(path.join(backups, name), 'keep me');

    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await runPatternDb(['backup', '--target', server.url, '--dir', backups, '--keep', '2', '--json'], { cwd: dir, env: env() });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      made.push(run.result?.backup.file);
      if (i < 2) expect(run.result?.backup.deleted).toEqual([]);
      else expect(run.result?.backup.deleted).toEqual([made[0]]);
    }
    expect((await backupsIn(backups)).map((n) => path.join(backups, n))).toEqual([made[1], made[2]]);
    const left = await fs.readdir(backups);
    expect(left).not.toContain(`${path.basename(made[0]!)}.sha256`);
    for (const name of others) expect(await fs.readFile(path.join(backups, name), 'utf8')).toBe('keep me');
  }, 90_000);

  it('refuses an export the server cut short with a 200, removes it and keeps the older backups', async () => {
    const dir = await scratch();
    const good = await runPatternDb(['backup', '--target', server.url, '--dir', 'backups', '--keep', '1', '--json'], { cwd: dir, env: env() });
    expect(good.exitCode, good.stdout + good.stderr).toBe(0);

    // Between pattern-db and the real server: /export answers 200 and then ends after 6 kB, as a failing export does.
    const proxy = await cutExportProxy(server.url);
    cleanups.push(proxy.close);
    const proxyUrl = proxy.url;

    const cut = await runPatternDb(['backup', '--target', proxyUrl, '--dir', 'backups', '--keep', '1', '--json'], { cwd: dir, env: env() });
    expect(cut.exitCode).toBe(1);
    expect(cut.result?.error.code).toBe('E_EXPORT');
    expect(await backupsIn(path.join(dir, 'backups'))).toEqual([path.basename(good.result?.backup.file)]);
    expect((await fs.readdir(path.join(dir, 'backups'))).filter((n) => n.includes('partial'))).toEqual([]);
  }, 60_000);

  it('backs up the embedded store the config names from a snapshot, leaving the store untouched', async () => {
    const folder = await patternFolder(300);
    cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
    const before = await folderDigest(folder.storePath);
    const run = await runPatternDb(['backup', '--json'], { cwd: folder.dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.result?.backup.source).toBe(folder.storePath);
    expect(run.result?.backup.file.startsWith(path.join(folder.dir, 'backups', 'pattern-pattern-'))).toBe(true);
    expect(run.result?.backup.recordsByTable).toEqual(Object.fromEntries(Object.entries(folder.counts).filter(([, n]) => n > 0)));
    expect(await folderDigest(folder.storePath)).toBe(before);
    expect(await fs.readdir(path.join(folder.dir, '.pattern-db', 'snapshots')).catch(() => [])).toEqual([]);
  }, 120_000);
});

describe('pattern-db backup schedule', () => {
  /** A stand-in for crontab that keeps the table in a file and records every call. */
  async function fakeCrontab(dir: string, existing?: string): Promise<{ program: string; table: string; calls: string }> {
    const program = path.join(dir, 'crontab');
    const table = path.join(dir, 'table');
    const calls = path.join(dir, 'calls');
    if (existing !== undefined) await fs.writeFile(table, existing);
    await fs.writeFile(
      program,
      `#!/bin/sh\necho "$@" >> '${calls}'\nif [ "$1" = "-l" ]; then\n  [ -f '${table}' ] || { echo "no crontab for tester" >&2; exit 1; }\n  cat '${table}'\nelif [ "$1" = "-" ]; then\n  cat > '${table}'\nfi\n`,
      { mode: 0o755 },
    );
    return { program, table, calls };
  }

  it('shows the crontab line, installs it only with --yes, keeps other lines and never adds it twice', async () => {
    const dir = await scratch();
    const cron = await fakeCrontab(dir, 'MAILTO=me@example.org\n0 1 * * * /usr/local/bin/other-job\n');
    const scheduleEnv = { PATTERN_DB_CRONTAB: cron.program, SURREAL_USER: 'admin', SURREAL_PASS: 'pw-must-not-appear' };
    const args = ['backup', 'schedule', '--target', server.url, '--keep', '5', '--dir', 'nightly'];

    const shown = await runPatternDb([...args, '--json'], { cwd: dir, env: scheduleEnv });
    expect(shown.exitCode, shown.stdout + shown.stderr).toBe(0);
    const line: string = shown.result?.schedule.line;
    expect(shown.result?.schedule.installed).toBe(false);
    expect(line.startsWith('15 3 * * * ')).toBe(true);
    expect(line).toContain(`backup --env-file ${path.join(dir, '.env')} --target ${server.url}`);
    expect(line).toContain(`--dir ${path.join(dir, 'nightly')} --keep 5`);
    expect(line).not.toContain('pw-must-not-appear');
    expect(line).not.toMatch(/--password|SURREAL_PASS=/);
    expect(await fs.readFile(cron.table, 'utf8')).toBe('MAILTO=me@example.org\n0 1 * * * /usr/local/bin/other-job\n');
    expect(await fs.readFile(cron.calls, 'utf8').catch(() => '')).toBe('');
    expect(shown.events.some((e) => e.code === 'W_SCHEDULE_ENV')).toBe(true);

    for (let i = 0; i < 2; i++) {
      const installed = await runPatternDb([...args, '--yes'], { cwd: dir, env: scheduleEnv });
      expect(installed.exitCode, installed.stdout + installed.stderr).toBe(0);
      expect(installed.stdout).toContain(i === 0 ? 'Added the line to your crontab' : 'The line was already in your crontab');
    }
    expect(await fs.readFile(cron.table, 'utf8')).toBe(`MAILTO=me@example.org\n0 1 * * * /usr/local/bin/other-job\n${line}\n`);
    // Another server's pattern/pattern is another schedule: its line is added beside this one, not in its place.
    const another = await runPatternDb(['backup', 'schedule', '--target', 'http://127.0.0.1:9', '--keep', '5', '--dir', 'nightly', '--yes', '--json'], { cwd: dir, env: scheduleEnv });
    expect(another.exitCode, another.stdout + another.stderr).toBe(0);
    expect(await fs.readFile(cron.table, 'utf8')).toBe(`MAILTO=me@example.org\n0 1 * * * /usr/local/bin/other-job\n${line}\n${another.result?.schedule.line}\n`);
    await fs.writeFile(cron.table, `MAILTO=me@example.org\n0 1 * * * /usr/local/bin/other-job\n${line}\n`);

    // What cron would run works with nothing but the env file: a verified backup lands in the folder, output in its log.
    await fs.writeFile(path.join(dir, '.env'), `SURREAL_USER=${server.username}\nSURREAL_PASS=${server.password}\n`, { mode: 0o600 });
    const commandPart = line.split(' ').slice(5).join(' ').replace(/\\%/g, '%');
    const ran = await execa('sh', ['-c', commandPart], { cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, CI: 'true' }, extendEnv: false, reject: false });
    expect(ran.exitCode, await fs.readFile(path.join(dir, 'nightly', 'backup.log'), 'utf8').catch(() => '')).toBe(0);
    expect(await backupsIn(path.join(dir, 'nightly'))).toHaveLength(1);
    expect(await fs.readFile(path.join(dir, 'nightly', 'backup.log'), 'utf8')).toContain('backup finished successfully.');
  }, 60_000);

  it('writes a systemd service and timer and enables the timer, with the password left to the env file', async () => {
    const dir = await scratch();
    const calls = path.join(dir, 'systemctl-calls');
    const systemctl = path.join(dir, 'systemctl');
    await fs.writeFile(systemctl, `#!/bin/sh\necho "$@" >> '${calls}'\n`, { mode: 0o755 });
    await fs.writeFile(path.join(dir, '.env'), 'SURREAL_USER=pattern_app\nSURREAL_PASS=secret-in-file\n', { mode: 0o600 });
    const run = await runPatternDb(['backup', 'schedule', '--systemd', '--target', server.url, '--cron', '30 4 * * 1', '--yes', '--json'], {
      cwd: dir,
      env: { PATTERN_DB_SYSTEMCTL: systemctl, XDG_CONFIG_HOME: path.join(dir, 'config') },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.events.some((e) => e.code === 'W_SCHEDULE_ENV')).toBe(false);
    const units = path.join(dir, 'config', 'systemd', 'user');
    const name: string = run.result?.schedule.unit;
    expect(name).toMatch(/^pattern-db-backup-pattern-pattern-[0-9a-f]{8}$/);
    expect((await fs.readdir(units)).sort()).toEqual([`${name}.service`, `${name}.timer`]);
    const service = await fs.readFile(path.join(units, `${name}.service`), 'utf8');
    const timer = await fs.readFile(path.join(units, `${name}.timer`), 'utf8');
    expect(service).toMatch(/^ExecStart=\S+node -- \S+bin\/pattern-db\.js backup --env-file \S+\.env --target /m);
    expect(service).not.toContain('secret-in-file');
    expect(timer).toContain('OnCalendar=Mon *-*-* 04:30:00');
    expect(await fs.readFile(calls, 'utf8')).toBe(`--user daemon-reload\n--user enable --now ${name}.timer\n`);
    // A timer named the old way (by namespace/database alone) is left running, and named: it may be another server's.
    await fs.writeFile(path.join(units, 'pattern-db-backup-pattern-pattern.timer'), timer);
    const again = await runPatternDb(['backup', 'schedule', '--systemd', '--target', server.url, '--cron', '30 4 * * 1', '--no-install', '--json'], {
      cwd: dir,
      env: { PATTERN_DB_SYSTEMCTL: systemctl, XDG_CONFIG_HOME: path.join(dir, 'config') },
    });
    expect(again.events.find((e) => e.code === 'W_SCHEDULE_EARLIER')?.fix).toBe('If it backs up the same database as this one, stop it: systemctl --user disable --now pattern-db-backup-pattern-pattern.timer');
  }, 60_000);
});
