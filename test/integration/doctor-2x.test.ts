// `pattern-db doctor` with SurrealDB 2: a setup migrated to a real 2.6.5 server (Pattern's 2.x schema on it, its own
// EDITOR user in .env), and a store written by SurrealDB 2, with and without a 2.x surreal to read it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvVars } from '../../src/core/env-file.js';
import { folderDigest, patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { client } from '../helpers/pattern-server.js';
import { startTestServer, surrealBin, surrealVersion, tempDir, type TestServer } from '../helpers/surreal.js';

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

/** A home with no Pattern config and no cached surreal in it: only what a test names is found. */
let home: string;
let programs: Record<string, string>;
beforeAll(async () => {
  home = await tempDir('pattern-db-home-');
  cleanups.push(() => fs.rm(home, { recursive: true, force: true }));
  programs = { SURREAL_BIN: await surrealBin(3), SURREAL2_BIN: await surrealBin(2) };
});

async function doctor(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const run = await runPatternDb(['doctor', '--json', ...args], {
    cwd,
    env: { HOME: home, XDG_CONFIG_HOME: undefined, XDG_CACHE_HOME: undefined, SURREAL_USER: undefined, SURREAL_PASS: undefined, ...programs, ...env },
    timeoutMs: 180_000,
  });
  const checks = Object.fromEntries(run.events.filter((e) => e.type === 'check').map((e) => [e.id, e as unknown as Check])) as Record<string, Check>;
  expect(run.result?.exitCode, run.stderr).toBe(run.exitCode);
  return { exitCode: run.exitCode, checks };
}

function expectDiagnosis(check: Check | undefined, status: Check['status'], code: string): Check {
  expect(check, 'the check ran').toBeDefined();
  expect({ status: check!.status, code: check!.code }, check!.message).toEqual({ status, code });
  if (status === 'fail' || status === 'warn') expect(check!.fix, `${code} names a fix`).toBeTruthy();
  return check!;
}

describe('doctor: a setup migrated to a SurrealDB 2 server', () => {
  let server: TestServer;
  let dir: string;
  let storeCounts: Record<string, number>;

  beforeAll(async () => {
    server = await startTestServer({ major: 2 });
    cleanups.push(server.stop);
    const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
    cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
    dir = folder.dir;
    storeCounts = folder.counts;
    const admin = { ...programs, SURREAL_USER: server.username, SURREAL_PASS: server.password };
    const migrate = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: dir, env: admin });
    expect(migrate.exitCode, migrate.stdout.slice(-3000)).toBe(0);
    // Pattern's own user, as the wizard's last screen offers: an EDITOR, into .env.
    const user = await runPatternDb(['user', 'create', '--write-env', '--json'], { cwd: dir, env: admin });
    expect(user.exitCode, user.stdout).toBe(0);
  });

  it('is healthy (exit 0): the config and .env as Pattern reads them, the version line says Pattern connects, counts beside the store', async () => {
    expect(readEnvVars(await fs.readFile(path.join(dir, '.env'), 'utf8')).SURREAL_USER).toBe('pattern_app');
    const run = await doctor(['--source', 'pattern.db'], dir);
    const problems = Object.values(run.checks).filter((c) => c.status === 'warn' || c.status === 'fail');
    expect(problems).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.checks['config.credentials']?.evidence?.[0]).toBe('username from .env, password from .env');
    const version = expectDiagnosis(run.checks['server.version'], 'ok', 'D_VERSION');
    expect(version.message).toContain(`SurrealDB ${await surrealVersion(2)}.`);
    expect(version.message).toContain('Rust SDK 2.3');
    expect(version.message).toMatch(/connect to it/);
    expectDiagnosis(run.checks['server.auth'], 'ok', 'D_AUTH');
    expectDiagnosis(run.checks['server.role'], 'ok', 'D_ROLE');
    expectDiagnosis(run.checks['schema.metadata'], 'ok', 'D_METADATA');
    expectDiagnosis(run.checks['schema.tables'], 'ok', 'D_TABLES');
    expectDiagnosis(run.checks['schema.indexes'], 'ok', 'D_INDEXES');
    const counts = expectDiagnosis(run.checks['schema.counts'], 'ok', 'D_COUNTS');
    const total = Object.values(storeCounts).reduce((a, b) => a + b, 0);
    expect(counts.message).toBe(`${total} records in ${Object.keys(storeCounts).length} tables, the same on the server and in the store`);
  });

  it('a search index dropped on the 2.x server: E_SCHEMA, and its fix is SurrealDB 2 text that restores it', async () => {
    const http = client(server, 'pattern', 'pattern');
    await http.sql('REMOVE INDEX msg_content_search ON msg; REMOVE INDEX mem_vector_idx ON mem;');
    const run = await doctor([], dir);
    const check = expectDiagnosis(run.checks['schema.indexes'], 'fail', 'E_SCHEMA');
    expect(check.message).toContain('msg_content_search (full-text on msg)');
    expect(check.fix).toContain('SEARCH ANALYZER msg_content_analyzer');
    expect(check.fix).not.toContain('FULLTEXT');
    await http.sql(check.fix!.replace(/^.*?: /, ''));
    for (let i = 0; i < 50; i++) {
      const [info] = (await http.sql('INFO FOR TABLE msg;')) as Array<{ indexes: Record<string, string> }>;
      if (info?.indexes.msg_content_search) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expectDiagnosis((await doctor([], dir)).checks['schema.indexes'], 'ok', 'D_INDEXES');
  });
});

describe('doctor: a store written by SurrealDB 2', () => {
  it('names SurrealDB 2 and the surreal that reads it, reads the schema from a snapshot, and leaves the store as it was', async () => {
    const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
    cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
    const before = await folderDigest(folder.storePath);
    const run = await doctor([], folder.dir);
    const version = await surrealVersion(2);
    const format = expectDiagnosis(run.checks['store.format'], 'ok', 'D_STORE_FORMAT');
    expect(format.message).toContain('written by SurrealDB 2.x');
    expect(format.message).toContain(`surreal ${version} does`);
    expect(format.evidence?.join('\n')).toContain(`${programs.SURREAL2_BIN} version → ${version}`);
    expect(run.checks['surreal.major']?.message).toContain(`surreal ${version} reads it`);
    // This machine has far more than the 300-message store's 2.5 times.
    expect(expectDiagnosis(run.checks['store.memory'], 'ok', 'D_MEMORY').message).toMatch(/^\d+\.\d MB available; reading this store takes up to about \d+\.\d MB$/);
    const total = Object.values(folder.counts).reduce((a, b) => a + b, 0);
    expect(run.checks['schema.counts']?.message).toBe(`${total} records in ${Object.keys(folder.counts).length} tables`);
    expect(run.exitCode, JSON.stringify(run.checks, null, 1)).toBe(0);
    expect(await folderDigest(folder.storePath)).toBe(before);
    expect(await fs.readdir(folder.dir)).not.toContain('.pattern-db');
  });

  it('with no surreal 2.x to be found: the format check fails and names SURREAL2_BIN; the schema is left unread', async () => {
    const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
    cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
    // Nothing on PATH, no cache, no SURREAL2_BIN; the 3.x surreal is there and must not be taken for a reader.
    const empty = await tempDir('pattern-db-nothing-');
    cleanups.push(() => fs.rm(empty, { recursive: true, force: true }));
    const run = await doctor([], folder.dir, { SURREAL2_BIN: undefined, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, XDG_CACHE_HOME: empty, HOME: empty });
    const check = expectDiagnosis(run.checks['store.format'], 'fail', 'E_SURREAL_MISSING');
    expect(check.message).toContain('SurrealDB 2.x');
    expect(check.fix).toContain('SURREAL2_BIN');
    expect(check.evidence?.join('\n')).toContain('$SURREAL2_BIN');
    expectDiagnosis(run.checks['surreal.major'], 'warn', 'W_SURREAL_MAJOR');
    expect(run.checks['schema.counts']?.status).toBe('skip');
    expect(run.exitCode).toBe(1);
  });
});
