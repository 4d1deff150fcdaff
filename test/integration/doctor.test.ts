// `pattern-db doctor` against faults produced for real: each one diagnosed with its code, evidence and fix.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { execa } from 'execa';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionNotes } from '../../src/core/server-version.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { folderDigest, patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { client, seedPatternDatabase } from '../helpers/pattern-server.js';
import { storeWrittenBySurreal } from '../helpers/surreal-store.js';
import { freePort, holdStore, startTestServer, surrealBin, surrealVersion, tempDir, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Check {
  id: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  code: string;
  message: string;
  evidence?: string[];
  fix?: string;
}

interface Doctor {
  exitCode: number;
  checks: Record<string, Check>;
  stdout: string;
}

/** A home with no Pattern config in it, so only the files a test writes are found. */
let home: string;
beforeAll(async () => {
  home = await tempDir('pattern-db-home-');
  cleanups.push(() => fs.rm(home, { recursive: true, force: true }));
});

async function doctor(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<Doctor> {
  const run = await runPatternDb(['doctor', '--json', ...args], {
    cwd,
    env: { HOME: home, XDG_CONFIG_HOME: undefined, SURREAL_BIN: await surrealBin(), SURREAL_USER: undefined, SURREAL_PASS: undefined, ...env },
    timeoutMs: 120_000,
  });
  const checks = Object.fromEntries(run.events.filter((e) => e.type === 'check').map((e) => [e.id, e as unknown as Check]));
  expect(run.result?.exitCode, run.stderr).toBe(run.exitCode);
  return { exitCode: run.exitCode, checks, stdout: run.stdout };
}

function expectDiagnosis(check: Check | undefined, status: Check['status'], code: string): Check {
  expect(check, 'the check ran').toBeDefined();
  expect({ status: check!.status, code: check!.code }, check!.message).toEqual({ status, code });
  if (status === 'fail' || status === 'warn') expect(check!.fix, `${code} names a fix`).toBeTruthy();
  return check!;
}

const remoteToml = (url: string, extra = '') =>
  PATTERN_TOML.replace(/\[database\][\s\S]*?(?=\n\[\[groups\]\])/, `[database]\ntype = "remote"\nurl = "${url}"\nnamespace = "pattern"\ndatabase = "pattern"\n${extra}`);

async function folderWith(toml: string): Promise<string> {
  const dir = await tempDir();
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, 'pattern.toml'), toml);
  return dir;
}

describe('doctor: configuration', () => {
  it('no config where Pattern looks: E_CONFIG_NOT_FOUND with the places it looked', async () => {
    const dir = await tempDir();
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    const run = await doctor([], dir);
    const check = expectDiagnosis(run.checks['config.found'], 'fail', 'E_CONFIG_NOT_FOUND');
    expect(check.evidence?.join('\n')).toContain(path.join(dir, 'pattern.toml'));
    expect(check.evidence?.join('\n')).toContain(path.join(home, '.pattern', 'config.toml'));
    expect(run.exitCode).toBe(1);
  });

  it('malformed TOML: E_CONFIG_PARSE with line and column', async () => {
    const dir = await folderWith(PATTERN_TOML.replace('name = "Pattern"', 'name = "Pattern'));
    const run = await doctor([], dir);
    const check = expectDiagnosis(run.checks['config.parses'], 'fail', 'E_CONFIG_PARSE');
    expect(check.message).toMatch(/pattern\.toml:\d+:\d+/);
    expect(run.checks['config.database']?.status).toBe('skip');
  });

  it('[database] without type: E_CONFIG_INVALID in Pattern\'s own words', async () => {
    const dir = await folderWith(PATTERN_TOML.replace('type = "embedded"               # moved by pattern-db\n', ''));
    const run = await doctor([], dir);
    const check = expectDiagnosis(run.checks['config.database'], 'fail', 'E_CONFIG_INVALID');
    expect(check.message).toContain('missing field `type`');
    expect(run.exitCode).toBe(1);
  });

  it('${VAR} placeholders: W_PLACEHOLDER naming the keys, and the url is not a server address', async () => {
    const dir = await folderWith(remoteToml('${SURREALDB_URL}', 'username = "${SURREAL_USER}"\n'));
    const run = await doctor([], dir, { SURREAL_PASS: 'x' });
    const check = expectDiagnosis(run.checks['config.placeholders'], 'warn', 'W_PLACEHOLDER');
    expect(check.message).toContain('database.url');
    expect(check.message).toContain('database.username');
    expect(check.fix).toContain('SURREAL_USER');
    expect(run.checks['server.address']?.status).toBe('fail');
    expect(run.checks['server.health']).toMatchObject({ status: 'skip', message: 'the server URL is not valid' });
    expect(run.exitCode).toBe(1);
  });

  it('a remote config without credentials anywhere Pattern looks: E_AUTH before any request', async () => {
    const dir = await folderWith(remoteToml('ws://127.0.0.1:1'));
    const run = await doctor([], dir);
    const check = expectDiagnosis(run.checks['config.credentials'], 'fail', 'E_AUTH');
    expect(check.evidence?.join('\n')).toContain('username not found');
  });

  it('credentials from .env are found where Pattern finds them, and a password in the config is a warning', async () => {
    const dir = await folderWith(remoteToml('ws://127.0.0.1:1', 'password = "in-the-file"\n'));
    await fs.writeFile(path.join(dir, '.env'), 'SURREAL_USER="app"\n');
    const run = await doctor([], dir);
    const check = expectDiagnosis(run.checks['config.credentials'], 'warn', 'W_SECRET_IN_CONFIG');
    expect(check.evidence?.[0]).toBe('username from .env, password from config');
  });
});

describe('doctor: embedded store', () => {
  it('a healthy store: exit 0, the schema read from a snapshot, and the store left as it was', async () => {
    const folder = await patternFolder(300);
    const run = await doctor([], folder.dir);
    expect(run.exitCode, JSON.stringify(run.checks, null, 1)).toBe(0);
    expectDiagnosis(run.checks['store.exists'], 'ok', 'D_STORE_EXISTS');
    expectDiagnosis(run.checks['store.lock'], 'ok', 'D_STORE_FREE');
    expectDiagnosis(run.checks['schema.metadata'], 'ok', 'D_METADATA');
    expectDiagnosis(run.checks['schema.indexes'], 'ok', 'D_INDEXES');
    const total = Object.values(folder.counts).reduce((a, b) => a + b, 0);
    expect(run.checks['schema.counts']?.message).toBe(`${total} records in ${Object.keys(folder.counts).length} tables`);
    expect(await fs.readdir(folder.dir)).not.toContain('.pattern-db');
    expect(await fs.readdir(folder.storePath)).not.toContain('LOCK');
  });

  it('a store path that does not exist: E_STORE_MISSING, and nothing is created there', async () => {
    const dir = await folderWith(PATTERN_TOML.replace('path = "./pattern.db"', 'path = "./no-such.db"'));
    const run = await doctor([], dir);
    const check = expectDiagnosis(run.checks['store.exists'], 'fail', 'E_STORE_MISSING');
    expect(check.fix).toContain('empty store');
    await expect(fs.stat(path.join(dir, 'no-such.db'))).rejects.toThrow();
    expect(run.checks['schema.metadata']?.status).toBe('skip');
  });

  it('a store in use by a running server: E_STORE_LOCKED naming the process, and the schema left unread', async () => {
    const folder = await patternFolder(300);
    const holder = await holdStore(folder.storePath);
    cleanups.push(holder.release);
    const run = await doctor([], folder.dir);
    const check = expectDiagnosis(run.checks['store.lock'], 'fail', 'E_STORE_LOCKED');
    expect(check.message).toContain(String(holder.pid));
    expect(run.checks['schema.counts']?.status).toBe('skip');
  });
});

describe('doctor: a store written by SurrealDB 3.1 or later', () => {
  it('names the version stamped in it and reads it through a surreal 3.1+ on a snapshot, leaving it as it was', async () => {
    const written = await storeWrittenBySurreal({ messages: 30 });
    cleanups.push(() => fs.rm(written.dir, { recursive: true, force: true }));
    await fs.writeFile(path.join(written.dir, 'pattern.toml'), PATTERN_TOML);
    const before = await folderDigest(written.storePath);
    const version = await surrealVersion();
    const run = await doctor([], written.dir);
    const format = expectDiagnosis(run.checks['store.format'], 'ok', 'D_STORE_FORMAT');
    expect(format.message).toContain(`written by SurrealDB ${version}, in the 3.1+ format`);
    expect(format.message).toContain('cannot read it');
    expect(format.evidence?.join('\n')).toContain(`/!vs = ${version}`);
    expectDiagnosis(run.checks['surreal.major'], 'ok', 'D_SURREAL_MAJOR');
    const total = Object.values(written.counts).reduce((a, b) => a + b, 0);
    expect(run.checks['schema.counts']?.message).toBe(`${total} records in ${Object.keys(written.counts).length} tables`);
    expect(run.exitCode, JSON.stringify(run.checks, null, 1)).toBe(0);
    expect(await folderDigest(written.storePath)).toBe(before);
    expect(await fs.readdir(written.dir)).not.toContain('.pattern-db');
  });

  it('without a surreal 3.1+ to read it: E_STORE_FORMAT naming what is needed', async () => {
    const written = await storeWrittenBySurreal({ messages: 5 });
    cleanups.push(() => fs.rm(written.dir, { recursive: true, force: true }));
    await fs.writeFile(path.join(written.dir, 'pattern.toml'), PATTERN_TOML);
    const run = await doctor([], written.dir, { SURREAL_BIN: undefined });
    const check = expectDiagnosis(run.checks['store.format'], 'fail', 'E_STORE_FORMAT');
    expect(check.message).toContain('no surreal 3.1 or later was found');
    expect(check.fix).toContain('SURREAL_BIN');
    expect(run.checks['schema.counts']?.status).toBe('skip');
  });
});

describe('doctor: server faults', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    cleanups.push(server.stop);
    await seedPatternDatabase(server, 'pattern', 'pattern', 20);
  });
  const asTester = () => ({ SURREAL_USER: server.username, SURREAL_PASS: server.password });

  it('a stopped server: E_CONN_REFUSED with the request as evidence, and what depends on it skipped', async () => {
    const stopped = await startTestServer();
    await stopped.stop();
    const dir = await folderWith(remoteToml(stopped.url.replace('http', 'ws')));
    const run = await doctor([], dir, { SURREAL_USER: 'tester', SURREAL_PASS: 'x' });
    const check = expectDiagnosis(run.checks['server.health'], 'fail', 'E_CONN_REFUSED');
    expect(check.evidence?.join('\n')).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/health: .*ECONNREFUSED/);
    expect(check.fix).toContain('pattern-db server start');
    expect(run.checks['server.auth']).toMatchObject({ status: 'skip', message: 'the server is not reachable' });
    expect(run.exitCode).toBe(1);
  });

  it('a wrong port: E_CONN_REFUSED naming the address tried', async () => {
    const port = await freePort();
    const dir = await folderWith(PATTERN_TOML);
    const run = await doctor(['--target', `http://127.0.0.1:${port}`, '--source', 'pattern.db'], dir, asTester());
    const check = expectDiagnosis(run.checks['server.health'], 'fail', 'E_CONN_REFUSED');
    expect(check.message).toContain(`127.0.0.1:${port}`);
  });

  it('plain http to a host that is not loopback: W_NO_TLS, since the password would cross the network in clear text', async () => {
    const port = await freePort();
    const dir = await folderWith(remoteToml(`ws://0.0.0.0:${port}`));
    const run = await doctor([], dir, asTester());
    const check = expectDiagnosis(run.checks['server.address'], 'warn', 'W_NO_TLS');
    expect(check.fix).toContain('wss://');
    expectDiagnosis(run.checks['server.health'], 'fail', 'E_CONN_REFUSED');
  });

  it('a self-signed certificate: E_TLS explained, and trusting its CA makes the server reachable', async () => {
    const dir = await folderWith(PATTERN_TOML);
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir });
    const port = await freePort();
    const tls = spawn(await surrealBin(), ['start', '--no-banner', '--bind', `127.0.0.1:${port}`, '--web-crt', 'cert.pem', '--web-key', 'key.pem', 'memory'], {
      cwd: dir,
      env: { ...process.env, SURREAL_USER: 'root', SURREAL_PASS: 'tls-pass-1', SURREAL_ONLINE_VERSION_CHECK: 'false' },
      stdio: 'ignore',
    });
    cleanups.push(() => void tls.kill('SIGKILL'));
    const args = ['--target', `https://127.0.0.1:${port}`];
    const env = { SURREAL_USER: 'root', SURREAL_PASS: 'tls-pass-1' };
    let run = await doctor(args, dir, env);
    for (let i = 0; i < 50 && run.checks['server.health']?.code === 'E_CONN_REFUSED'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      run = await doctor(args, dir, env);
    }
    expectDiagnosis(run.checks['server.address'], 'ok', 'D_ADDRESS');
    const check = expectDiagnosis(run.checks['server.health'], 'fail', 'E_TLS');
    expect(check.message).toContain('not signed by an authority this machine trusts');
    expect(check.evidence?.join('\n')).toContain('SELF_SIGNED');
    expect(check.fix).toContain('NODE_EXTRA_CA_CERTS');
    const trusted = await doctor(args, dir, { ...env, NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem') });
    expectDiagnosis(trusted.checks['server.health'], 'ok', 'D_HEALTH');
    expectDiagnosis(trusted.checks['server.auth'], 'ok', 'D_AUTH');
  });

  it("names the server's version and what it means for Pattern", async () => {
    const dir = await folderWith(remoteToml(server.url));
    const run = await doctor([], dir, asTester());
    const check = expectDiagnosis(run.checks['server.version'], 'ok', 'D_VERSION');
    const version = await surrealVersion();
    expect(check.message).toContain(`SurrealDB ${version}.`);
    expect(check.message).toContain('Rust SDK 2.3, which refuses it');
    expect(check.evidence).toEqual(expect.arrayContaining(versionNotes(version)));
  });

  it('a wrong password: E_AUTH with the server\'s own words', async () => {
    const dir = await folderWith(remoteToml(server.url));
    const run = await doctor([], dir, { SURREAL_USER: server.username, SURREAL_PASS: 'wrong' });
    const check = expectDiagnosis(run.checks['server.auth'], 'fail', 'E_AUTH');
    expect(check.evidence?.join('\n')).toContain('The password did not verify');
    expect(run.checks['server.database']?.status).toBe('skip');
  });

  it('a namespace user: E_AUTH_LEVEL, since Pattern signs in at root level only', async () => {
    const http = new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' });
    await http.sql("DEFINE USER OVERWRITE ns_only ON NAMESPACE PASSWORD 'ns-pass' ROLES EDITOR;");
    const dir = await folderWith(remoteToml(server.url));
    const run = await doctor([], dir, { SURREAL_USER: 'ns_only', SURREAL_PASS: 'ns-pass' });
    const check = expectDiagnosis(run.checks['server.auth'], 'fail', 'E_AUTH_LEVEL');
    expect(check.message).toContain('namespace user');
    expect(check.fix).toContain('ON ROOT');
  });

  it('a missing namespace: E_NAMESPACE_MISSING listing the namespaces there are', async () => {
    const dir = await folderWith(remoteToml(server.url).replace('namespace = "pattern"', 'namespace = "patern"'));
    const run = await doctor([], dir, asTester());
    const check = expectDiagnosis(run.checks['server.database'], 'fail', 'E_NAMESPACE_MISSING');
    expect(check.message).toContain('"patern"');
    expect(check.evidence?.[0]).toContain('pattern');
    expect(run.checks['schema.indexes']?.status).toBe('skip');
  });

  it('an index dropped on the server: E_SCHEMA with the statement that restores it', async () => {
    const dropped = await startTestServer();
    cleanups.push(dropped.stop);
    await seedPatternDatabase(dropped, 'pattern', 'pattern', 20);
    const http = client(dropped, 'pattern', 'pattern');
    const dir = await folderWith(remoteToml(dropped.url));
    const env = { SURREAL_USER: dropped.username, SURREAL_PASS: dropped.password };
    expectDiagnosis((await doctor([], dir, env)).checks['schema.indexes'], 'ok', 'D_INDEXES');
    await http.sql('REMOVE INDEX msg_content_search ON msg;');
    const run = await doctor([], dir, env);
    const check = expectDiagnosis(run.checks['schema.indexes'], 'fail', 'E_SCHEMA');
    expect(check.message).toContain('msg_content_search (full-text on msg)');
    expect(check.message).toContain('will not recreate');
    expect(check.fix).toContain('DEFINE INDEX IF NOT EXISTS msg_content_search ON msg FIELDS content FULLTEXT ANALYZER msg_content_analyzer');
    await http.sql(check.fix!.replace(/^.*?: /, ''));
    expectDiagnosis((await doctor([], dir, env)).checks['schema.indexes'], 'ok', 'D_INDEXES');
  });

  it('default credentials root/root: W_DEFAULT_CREDENTIALS, and an owner for Pattern is a warning', async () => {
    const defaults = await startTestServer({ username: 'root', password: 'root' });
    cleanups.push(defaults.stop);
    const dir = await folderWith(remoteToml(defaults.url));
    const run = await doctor([], dir, { SURREAL_USER: 'root', SURREAL_PASS: 'root' });
    expectDiagnosis(run.checks['server.defaults'], 'warn', 'W_DEFAULT_CREDENTIALS');
    const role = expectDiagnosis(run.checks['server.role'], 'warn', 'W_APP_IS_OWNER');
    expect(role.evidence?.join('\n')).toContain("PASSHASH '<hidden>'");
    expect(role.evidence?.join('\n')).not.toContain('$argon2');
  });
});

describe('doctor: after a migration', () => {
  it('is healthy (exit 0) with an editor user, the counts beside the store, and warns about an owner (exit 5)', async () => {
    const folder = await patternFolder(300);
    const server = await startTestServer();
    cleanups.push(server.stop);
    const migrate = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], {
      cwd: folder.dir,
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password },
    });
    expect(migrate.exitCode, migrate.stdout).toBe(0);
    const http = new SurrealHttp({ url: server.url, username: server.username, password: server.password });
    await http.sql("DEFINE USER pattern_app ON ROOT PASSWORD 'app-pass-123' ROLES EDITOR;");

    const asOwner = await doctor(['--source', 'pattern.db'], folder.dir, { SURREAL_USER: server.username, SURREAL_PASS: server.password });
    expectDiagnosis(asOwner.checks['server.role'], 'warn', 'W_APP_IS_OWNER');
    expect(asOwner.exitCode).toBe(5);

    const asEditor = await doctor(['--source', 'pattern.db'], folder.dir, { SURREAL_USER: 'pattern_app', SURREAL_PASS: 'app-pass-123' });
    const problems = Object.values(asEditor.checks).filter((c) => c.status === 'warn' || c.status === 'fail');
    expect(problems).toEqual([]);
    expect(asEditor.exitCode).toBe(0);
    expectDiagnosis(asEditor.checks['server.role'], 'ok', 'D_ROLE');
    const counts = expectDiagnosis(asEditor.checks['schema.counts'], 'ok', 'D_COUNTS');
    expect(counts.message).toContain('the same on the server and in the store');

    await http.sql('USE NS pattern DB pattern; DELETE (SELECT VALUE id FROM msg LIMIT 3);');
    const after = await doctor(['--source', 'pattern.db', '--verbose'], folder.dir, { SURREAL_USER: 'pattern_app', SURREAL_PASS: 'app-pass-123' });
    const mismatch = expectDiagnosis(after.checks['schema.counts'], 'fail', 'E_VERIFY_MISMATCH');
    expect(mismatch.evidence?.join('\n')).toMatch(/msg\s+\d+\s+\d+\s+≠/);
  });

  it('plain output: a line per check with its mark, details for problems, one summary line', async () => {
    const dir = await folderWith(PATTERN_TOML.replace('path = "./pattern.db"', 'path = "./no-such.db"'));
    const run = await runPatternDb(['doctor'], { cwd: dir, env: { HOME: home } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Configuration\n  [✓] Config file: ');
    expect(run.stdout).toMatch(/\[✗\] Store folder: The embedded store .* does not exist\. \[E_STORE_MISSING\]\n\s+.*\n\s+fix: /);
    expect(run.stdout).toMatch(/^Server: skipped \(no server named by the config or --target; no managed server in .+\)$/m);
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^doctor: problems found: \d+ ok, \d+ warnings?, 1 failure, \d+ skipped$/);
  });
});
