// After a migration the credentials live in .env, where Pattern reads them: every command finds them there too.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATTERN_TOML, patternFolder, type PatternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { seedPatternDatabase } from '../helpers/pattern-server.js';
import { startTestServer, surrealBin, tempDir, type TestServer } from '../helpers/surreal.js';

let server: TestServer;
let dir: string;
const noCredentials = { SURREAL_USER: undefined, SURREAL_PASS: undefined };

beforeAll(async () => {
  server = await startTestServer();
  await seedPatternDatabase(server, 'pattern', 'pattern', 30);
  dir = await tempDir();
  const remote = `[database]\ntype = "remote"\nurl = "${server.url.replace('http', 'ws')}"\nnamespace = "pattern"\ndatabase = "pattern"\n`;
  await fs.writeFile(path.join(dir, 'pattern.toml'), PATTERN_TOML.replace(/\[database\][\s\S]*?(?=\n\[\[groups\]\])/, remote));
  await fs.writeFile(path.join(dir, '.env'), `SURREAL_USER=${server.username}\nSURREAL_PASS=${server.password}\n`, { mode: 0o600 });
});

afterAll(async () => {
  await server.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

it('doctor signs in with the credentials from .env', async () => {
  const run = await runPatternDb(['doctor', '--json'], { cwd: dir, env: { ...noCredentials, SURREAL_BIN: await surrealBin() } });
  const auth = run.events.find((e) => e.type === 'check' && e.id === 'server.auth');
  expect(auth).toMatchObject({ status: 'ok', evidence: expect.arrayContaining([expect.stringContaining('username from .env, password from .env')]) });
});

it('inspect reads the server named by the config with the credentials from .env', async () => {
  const run = await runPatternDb(['inspect', '--json'], { cwd: dir, env: noCredentials });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect(JSON.stringify(run.result)).toContain('"msg"');
});

it('backup exports the server named by the config with the credentials from .env', async () => {
  const run = await runPatternDb(['backup', '--json', '--dir', 'backups'], { cwd: dir, env: noCredentials });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect((await fs.readdir(path.join(dir, 'backups'))).filter((f) => f.endsWith('.surql.gz'))).toHaveLength(1);
});

describe('migrate and verify look the credentials up the way every other command does', () => {
  let target: TestServer;
  let folder: PatternFolder;

  beforeAll(async () => {
    target = await startTestServer();
    folder = await patternFolder(20);
  });

  afterAll(async () => {
    await target.stop();
    await fs.rm(folder.dir, { recursive: true, force: true });
  });

  it('migrate signs in with SURREAL_USER/SURREAL_PASS from a .env in a parent folder', async () => {
    await fs.writeFile(path.join(folder.dir, '.env'), `SURREAL_USER=${target.username}\nSURREAL_PASS=${target.password}\n`, { mode: 0o600 });
    const below = path.join(folder.dir, 'run-from-here');
    await fs.mkdir(below);
    const run = await runPatternDb(
      ['migrate', '--config', folder.configPath, '--source', folder.storePath, '--target', target.url, '--yes', '--json', '--state-dir', path.join(folder.dir, '.pattern-db')],
      { cwd: below, env: noCredentials },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.result).toMatchObject({ ok: true, verify: { records: expect.any(Number) } });
  });

  it("verify signs in with the config's [database].username/password, and --username takes only SURREAL_PASS with it", async () => {
    await fs.rm(path.join(folder.dir, '.env'));
    const config = await fs.readFile(folder.configPath, 'utf8');
    await fs.writeFile(folder.configPath, config.replace(/^(type = "remote".*)$/m, `$1\nusername = "${target.username}"\npassword = "${target.password}"`));
    const verify = (extra: string[], env: Record<string, string | undefined>) =>
      runPatternDb(['verify', '--source', folder.storePath, '--target', target.url, '--json', ...extra], { cwd: folder.dir, env: { ...noCredentials, ...env } });
    const run = await verify([], {});
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    // Another user named on the command line does not get the config's password.
    const other = await verify(['--username', 'someone_else'], {});
    expect(other.exitCode).toBe(4);
    expect(other.result?.error).toMatchObject({ code: 'E_NEEDS_INPUT' });
  });
});

describe('secrets near [database] stay out of what pattern-db shows and keeps', () => {
  const secrets = ['Qz-db-pass-1', 'Qz-api-key-2', 'Qz-token-3'];
  const toml = [
    '[model]',
    'provider = "anthropic"',
    `api_key = "${secrets[1]}"`,
    '',
    '[database]',
    'type = "embedded"',
    'path = "./pattern.db"',
    `password = "${secrets[0]}"`,
    '',
    '[discord]',
    `token = '${secrets[2]}'`,
    '',
  ].join('\n');

  it('config rewrite: the diff in the events, the result and the journal has every credential masked; the file keeps them', async () => {
    const work = await tempDir();
    await fs.writeFile(path.join(work, 'pattern.toml'), toml);
    const run = await runPatternDb(['config', 'rewrite', '--config', 'pattern.toml', '--target', 'http://127.0.0.1:8000', '--yes', '--json'], { cwd: work, env: noCredentials });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.result?.config?.diff).toContain('password = "***"');
    const journal = await fs.readFile(path.join(work, '.pattern-db', 'journal.json'), 'utf8');
    for (const secret of secrets) {
      expect(run.stdout + run.stderr).not.toContain(secret);
      expect(journal).not.toContain(secret);
    }
    const written = await fs.readFile(path.join(work, 'pattern.toml'), 'utf8');
    for (const secret of secrets) expect(written).toContain(secret);
    await fs.rm(work, { recursive: true, force: true });
  });

  it('a TOML parse error shows the line with the credential masked and the caret where the error is', async () => {
    const work = await tempDir();
    await fs.writeFile(path.join(work, 'pattern.toml'), toml.replace(`password = "${secrets[0]}"`, `password = "${secrets[0]}" and more`));
    for (const args of [['config', 'rewrite', '--config', 'pattern.toml', '--target', 'http://127.0.0.1:8000', '--yes'], ['doctor']]) {
      const run = await runPatternDb([...args, '--json'], { cwd: work, env: noCredentials });
      expect(run.stdout + run.stderr).toContain('E_CONFIG_PARSE');
      for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
    }
    const run = await runPatternDb(['config', 'rewrite', '--config', 'pattern.toml', '--target', 'http://127.0.0.1:8000', '--yes', '--json'], { cwd: work, env: noCredentials });
    expect(run.result?.error?.evidence).toBe('8 | password = "***" and more\n  |                  ^');
    await fs.rm(work, { recursive: true, force: true });
  });
});
