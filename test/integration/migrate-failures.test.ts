// What a user meets when something is wrong: a clear code and fix, and the store and config left as they were.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderDigest, patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb, type RunResult } from '../helpers/pattern-db.js';
import { client } from '../helpers/pattern-server.js';
import { whileUnwritable } from '../helpers/unwritable-folder.js';
import { freePort, holdStore, killOnExit, startTestServer, surrealBin } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function expectUntouched(folder: PatternFolder, digest: string, toml = PATTERN_TOML): Promise<void> {
  expect(await fs.readFile(folder.configPath, 'utf8')).toBe(toml);
  expect(await folderDigest(folder.storePath)).toBe(digest);
  const leftovers = (await fs.readdir(folder.dir)).filter((f) => f.startsWith('pattern_export'));
  expect(leftovers).toEqual([]);
}

function failedWith(run: RunResult, code: string): void {
  expect(run.exitCode, run.stdout + run.stderr).not.toBe(0);
  expect(errorsOf(run)).toContain(code);
  const error = run.result?.error;
  expect(error?.code).toBe(code);
  expect(error?.fix, 'every failure names a fix').toBeTruthy();
}

/** A real surreal 3 whose system users sign in but may run no query: `--deny-arbitrary-query system`. */
async function serverDenyingQueries(): Promise<{ url: string; username: string; password: string }> {
  const port = await freePort();
  const credentials = { username: 'root', password: 'deny-queries-pass-4' };
  const child = spawn(await surrealBin(3), ['start', '--no-banner', '--bind', `127.0.0.1:${port}`, '--deny-arbitrary-query=system', 'memory'], {
    env: { PATH: process.env.PATH, SURREAL_USER: credentials.username, SURREAL_PASS: credentials.password, SURREAL_ONLINE_VERSION_CHECK: 'false' },
    stdio: 'ignore',
  });
  killOnExit(child.pid!);
  cleanups.push(async () => void child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; !(await fetch(`${url}/health`).then((r) => r.ok, () => false)); i++) {
    if (i === 300 || child.exitCode !== null) throw new Error(`surreal --deny-arbitrary-query did not start (exit ${child.exitCode})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, ...credentials };
}

describe('migrate refuses, with a fix, and changes nothing', () => {
  it('wrong password', async () => {
    const folder = await patternFolder(300);
    const digest = await folderDigest(folder.storePath);
    const server = await startTestServer();
    cleanups.push(server.stop);
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: 'not-the-password' } });
    failedWith(run, 'E_AUTH');
    expect(run.stdout + run.stderr).not.toContain('not-the-password');
    expect(run.result?.error?.evidence).toContain('(username from environment, password from environment)');
    await expectUntouched(folder, digest);
  });

  it('a wrong password from .env is said to come from there, the username from --username', async () => {
    const folder = await patternFolder(300);
    const server = await startTestServer();
    cleanups.push(server.stop);
    await fs.writeFile(path.join(folder.dir, '.env'), 'SURREAL_PASS=not-the-password\n');
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url, '--username', server.username], { cwd: folder.dir, env: { SURREAL_PASS: '' } });
    failedWith(run, 'E_AUTH');
    expect(run.result?.error?.evidence).toContain('(username from --username, password from .env)');
    expect(run.result?.error?.fix).toContain('(from --username/.env)');
  });

  it('nothing listening at the target', async () => {
    const folder = await patternFolder(300);
    const digest = await folderDigest(folder.storePath);
    const port = await freePort();
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', `http://127.0.0.1:${port}`], { cwd: folder.dir, env: { SURREAL_PASS: 'x-pass-123' } });
    failedWith(run, 'E_CONN_REFUSED');
    await expectUntouched(folder, digest);
  });

  it('the port for a new server is taken', async () => {
    const folder = await patternFolder(300);
    const digest = await folderDigest(folder.storePath);
    const port = await freePort();
    const blocker = net.createServer().listen(port, '127.0.0.1');
    cleanups.push(() => void blocker.close());
    const run = await runPatternDb(['migrate', '--yes', '--json', '--start-server', 'memory', '--bind', `127.0.0.1:${port}`], {
      cwd: folder.dir,
      env: { SURREAL_PASS: 'x-pass-123' },
    });
    failedWith(run, 'E_PORT_IN_USE');
    await expectUntouched(folder, digest);
  });

  it('the store path does not exist (and is not created)', async () => {
    const folder = await patternFolder(300);
    const server = await startTestServer();
    cleanups.push(server.stop);
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url, '--source', 'no-such.db'], {
      cwd: folder.dir,
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password },
    });
    failedWith(run, 'E_STORE_MISSING');
    await expect(fs.stat(path.join(folder.dir, 'no-such.db'))).rejects.toThrow();
    expect(await fs.readFile(folder.configPath, 'utf8')).toBe(PATTERN_TOML);
  });

  it('the store is in use by another process', async () => {
    const folder = await patternFolder(300);
    const holder = await holdStore(folder.storePath);
    cleanups.push(holder.release);
    const server = await startTestServer();
    cleanups.push(server.stop);
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    failedWith(run, 'E_STORE_LOCKED');
    expect(run.result?.error?.message).toContain(String(holder.pid));
    expect(await fs.readFile(folder.configPath, 'utf8')).toBe(PATTERN_TOML);
  });

  it('a malformed config is reported with line and column', async () => {
    const broken = PATTERN_TOML.replace('name = "Pattern"', 'name = "Pattern');
    const folder = await patternFolder(300, 1, broken);
    const digest = await folderDigest(folder.storePath);
    const server = await startTestServer();
    cleanups.push(server.stop);
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    failedWith(run, 'E_CONFIG_PARSE');
    expect(run.result?.error?.message).toMatch(/pattern\.toml:7:\d+/);
    await expectUntouched(folder, digest, broken);
  });

  it('a config whose [database] cannot be rewritten (url is a table) is refused before anything moves', async () => {
    const toml = `${PATTERN_TOML}\n[database.url]\nhost = "x"\n`;
    const folder = await patternFolder(300, 1, toml);
    const digest = await folderDigest(folder.storePath);
    const server = await startTestServer();
    cleanups.push(server.stop);
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    failedWith(run, 'E_CONFIG_INVALID');
    expect(run.result?.error?.message).toContain('`database.url` in the config is a table');
    expect(run.events.filter((e) => e.type === 'status').map((e) => e.step)).not.toContain('export');
    await expectUntouched(folder, digest, toml);
    expect(await client(server).sql('INFO FOR ROOT;')).toMatchObject([{ namespaces: {} }]);
  });

  it("a config whose folder cannot be written is refused before anything moves, not after the data has", async () => {
    const folder = await patternFolder(300);
    const digest = await folderDigest(folder.storePath);
    const configDir = path.join(folder.dir, 'conf');
    await fs.mkdir(configDir);
    await fs.rename(folder.configPath, path.join(configDir, 'pattern.toml'));
    const server = await startTestServer();
    cleanups.push(server.stop);
    const run = await whileUnwritable(configDir, () =>
      runPatternDb(['migrate', '--yes', '--json', '--target', server.url, '--config', 'conf/pattern.toml'], { cwd: folder.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } }),
    );
    failedWith(run, 'E_NOT_WRITABLE');
    expect(run.result?.error?.message).toContain(`The config's folder ${configDir} cannot be written`);
    expect(await fs.readFile(path.join(configDir, 'pattern.toml'), 'utf8')).toBe(PATTERN_TOML);
    expect(await folderDigest(folder.storePath)).toBe(digest);
    expect(await client(server).sql('INFO FOR ROOT;')).toMatchObject([{ namespaces: {} }]);
  });

  it("a port held by the state folder's own managed server is named as that, with --resume and server stop as the way on", async () => {
    const folder = await patternFolder(300);
    const bind = `127.0.0.1:${await freePort()}`;
    const env = { SURREAL_PASS: 'managed-pass' };
    const started = await runPatternDb(['server', 'start', '--bind', bind, '--json'], { cwd: folder.dir, env });
    expect(started.exitCode, started.stderr).toBe(0);
    cleanups.push(async () => void (await runPatternDb(['server', 'stop'], { cwd: folder.dir })));
    for (const args of [['--dry-run'], ['--yes']]) {
      const run = await runPatternDb(['migrate', ...args, '--json', '--start-server', 'memory', '--bind', bind], { cwd: folder.dir, env });
      failedWith(run, 'E_PORT_IN_USE');
      expect(run.result?.error?.message).toContain(`Port ${bind} is held by pattern-db's own managed server`);
      expect(run.result?.error?.fix).toContain('--resume');
      expect(run.result?.error?.fix).toContain('pattern-db server stop --state-dir');
    }
  });

  it("a new server's folder that already holds files (another server's data) is refused before anything moves", async () => {
    const folder = await patternFolder(300);
    const data = path.join(folder.dir, 'old-server-data');
    await fs.mkdir(data);
    await fs.writeFile(path.join(data, 'LOCK'), '');
    const run = await runPatternDb(['migrate', '--yes', '--json', '--start-server', `surrealkv://${data}`, '--bind', `127.0.0.1:${await freePort()}`], { cwd: folder.dir, env: { SURREAL_PASS: 'new-pass' } });
    failedWith(run, 'E_TARGET_NOT_EMPTY');
    expect(run.result?.error?.message).toContain(`The new server's folder ${data} already holds files`);
    expect(run.events.filter((e) => e.type === 'status').map((e) => e.step)).not.toContain('export');
    expect(await fs.readdir(data)).toEqual(['LOCK']);
  });

  it('the export path is not writable', async () => {
    const folder = await patternFolder(300);
    const digest = await folderDigest(folder.storePath);
    const server = await startTestServer();
    cleanups.push(server.stop);
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url, '--export-file', 'missing-dir/out.surql'], {
      cwd: folder.dir,
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password },
    });
    failedWith(run, 'E_NOT_WRITABLE');
    await expectUntouched(folder, digest);
  });

  it('a target whose INFO FOR DB fails is not taken for an empty one: the run stops before the export', async () => {
    const folder = await patternFolder(300);
    const digest = await folderDigest(folder.storePath);
    // A real server whose users sign in but may run no query (SurrealDB's arbitrary-query capability), so every INFO fails.
    const server = await serverDenyingQueries();
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    failedWith(run, 'E_PERMISSION');
    expect(run.result?.failedStep).toBe('preflight');
    expect(run.result?.error?.message).toContain('empty');
    expect(run.events.some((e) => e.type === 'status' && e.step === 'import')).toBe(false);
    await expectUntouched(folder, digest);
  });

  it('without a password and without a terminal it names SURREAL_PASS', async () => {
    const folder = await patternFolder(300);
    const server = await startTestServer();
    cleanups.push(server.stop);
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: '' } });
    failedWith(run, 'E_NEEDS_INPUT');
    expect(run.exitCode).toBe(4);
    expect(run.result?.error?.fix).toContain('SURREAL_PASS');
  });
});
