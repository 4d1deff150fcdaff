// `pattern-db user create` against a real server: what the new user can do is what Pattern does, and no more.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvVars } from '../../src/core/env-file.js';
import { listRootUsers, rootClient } from '../../src/surreal/server-catalog.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { PATTERN_SCHEMA_SQL, seedPatternDatabase } from '../helpers/pattern-server.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

let server: TestServer;
let work: string;
beforeAll(async () => {
  server = await startTestServer();
  cleanups.push(server.stop);
  work = await tempDir();
  cleanups.push(() => fs.rm(work, { recursive: true, force: true }));
  await seedPatternDatabase(server, 'pattern', 'pattern', 50);
});

const asAdmin = (...args: string[]) =>
  runPatternDb([...args, '--target', server.url], { cwd: work, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });

/** `user create … --write-env` run in a folder of its own; the password is read back from the .env it wrote. */
async function createIntoEnv(...args: string[]) {
  const cwd = await fs.mkdtemp(path.join(work, 'env-'));
  const run = await runPatternDb([...args, '--write-env', '--target', server.url], { cwd, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
  const text = await fs.readFile(path.join(cwd, '.env'), 'utf8').catch(() => '');
  return { run, password: readEnvVars(text).SURREAL_PASS ?? '' };
}

const as = (username: string, password: string, namespace = 'pattern', database = 'pattern') =>
  new SurrealHttp({ url: server.url, username, password, namespace, database });

describe('pattern-db user create', () => {
  it('creates a root-level EDITOR that runs Pattern\'s migrations and reads and writes its tables, but cannot define users', async () => {
    const { run, password } = await createIntoEnv('user', 'create', '--json');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.result?.user).toMatchObject({ name: 'pattern_app', role: 'editor', level: 'root' });
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Not in the JSON, not on stdout or stderr: a pipe's output ends up in logs.
    expect(run.result?.password).toBeUndefined();
    expect(run.stdout + run.stderr).not.toContain(password);

    const users = await listRootUsers(rootClient(server));
    expect(users.pattern_app).toMatch(/ON ROOT .* ROLES EDITOR/);

    const app = as('pattern_app', password);
    // Pattern signs in at root level with these credentials.
    expect(await app.checkCredentials()).toBe('root');
    // Its startup migrations in a new database: namespace, database, tables, fields, analyzers, full-text and vector indexes.
    const fresh = as('pattern_app', password, 'pattern', 'fresh');
    await fresh.ensureDatabase();
    await fresh.sql(PATTERN_SCHEMA_SQL);
    // And again on the existing database: Pattern ignores statement errors there, and the only ones are "already exists".
    const rerun = await app.sqlResults(PATTERN_SCHEMA_SQL);
    const errors = rerun.filter((r) => r.status !== 'OK').map((r) => String(r.result));
    expect(errors.filter((e) => !/already exists/.test(e))).toEqual([]);
    // Its reads and writes.
    const [mine] = (await app.sql(
      "CREATE msg:app_1 SET role = 'user', owner_id = user:owner, content = { text: 'from the app user' }, metadata = {}, options = {}, has_tool_calls = false, word_count = 4, created_at = time::now() RETURN VALUE id;",
    )) as string[][];
    expect(String(mine?.[0])).toBe('msg:app_1');
    await app.sql("UPDATE msg:app_1 SET word_count = 5; RELATE agent:pattern->remembers->(SELECT VALUE id FROM mem LIMIT 1) SET access_level = 'read_only';");
    const [count] = (await app.sql('RETURN count(SELECT VALUE id FROM msg);')) as number[];
    expect(count).toBe(51);
    const [hits] = (await app.sql("SELECT VALUE id FROM msg WHERE content @1@ 'app';")) as unknown[][];
    expect(hits).toContainEqual('msg:app_1');
    await app.sql('DELETE msg:app_1;');

    // No user or access management.
    const refused = await app.sqlResults("DEFINE USER intruder ON ROOT PASSWORD 'x' ROLES OWNER; DEFINE USER intruder2 ON DATABASE PASSWORD 'x' ROLES OWNER; REMOVE USER root ON ROOT;");
    expect(refused.map((r) => r.status)).toEqual(['ERR', 'ERR', 'ERR']);
    expect(String(refused[0]!.result)).toMatch(/Not enough permissions/);
    expect(Object.keys(await listRootUsers(rootClient(server))).sort()).toEqual(['pattern_app', server.username].sort());

    // An EDITOR cannot make users either, so `user create` run as one says why.
    const asEditor = await runPatternDb(['user', 'create', 'another', '--write-env', '--target', server.url, '--json'], { cwd: work, env: { SURREAL_USER: 'pattern_app', SURREAL_PASS: password } });
    expect(asEditor.exitCode).toBe(1);
    expect(asEditor.result?.error.code).toBe('E_PERMISSION');
  }, 60_000);

  it('without a terminal and without --write-env it creates nothing and says how to get the password written', async () => {
    for (const json of [['--json'], []]) {
      const run = await asAdmin('user', 'create', 'pattern_nowhere', ...json);
      expect(run.exitCode, run.stdout + run.stderr).toBe(4);
      expect(run.stdout + run.stderr).toMatch(/E_NEEDS_INPUT/);
      expect(run.stdout + run.stderr).toMatch(/--write-env/);
      expect(run.stdout).not.toMatch(/SURREAL_PASS=[A-Za-z0-9_-]{32}/);
    }
    expect(Object.keys(await listRootUsers(rootClient(server)))).not.toContain('pattern_nowhere');
  });

  it('refuses an existing user unless --replace, and --write-env puts the new password in .env (0600) instead of on screen', async () => {
    const { run: first, password: oldPassword } = await createIntoEnv('user', 'create', 'pattern_svc', '--json');
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);

    const again = await asAdmin('user', 'create', 'pattern_svc', '--write-env', '--json');
    expect(again.exitCode).toBe(1);
    expect(again.result?.error.code).toBe('E_ALREADY_EXISTS');
    expect(await as('pattern_svc', oldPassword).checkCredentials()).toBe('root');

    await fs.writeFile(path.join(work, '.env'), '# Pattern settings\nRUST_LOG=info\nSURREAL_USER=root\n');
    const replaced = await asAdmin('user', 'create', 'pattern_svc', '--replace', '--write-env', '--json');
    expect(replaced.exitCode, replaced.stdout + replaced.stderr).toBe(0);
    expect(replaced.result?.password).toBeUndefined();
    const envFile = path.join(work, '.env');
    expect(replaced.result?.envFile).toBe(envFile);
    expect((await fs.stat(envFile)).mode & 0o777).toBe(0o600);
    const text = await fs.readFile(envFile, 'utf8');
    const vars = readEnvVars(text);
    expect(vars).toMatchObject({ RUST_LOG: 'info', SURREAL_USER: 'pattern_svc' });
    expect(text.startsWith('# Pattern settings\n')).toBe(true);
    expect(replaced.stdout + replaced.stderr).not.toContain(vars.SURREAL_PASS!);

    // The new password works; the old one no longer does.
    expect(await as('pattern_svc', vars.SURREAL_PASS!).checkCredentials()).toBe('root');
    await expect(as('pattern_svc', oldPassword).checkCredentials()).rejects.toMatchObject({ code: 'E_AUTH' });
  }, 60_000);
  it('--replace of the user .env already names says to sign in as an OWNER instead (it is who the command signed in as), then replaces it and rewrites .env', async () => {
    // A folder of its own, away from the .env an earlier test leaves in `work` (a parent's .env is the one written).
    const cwd = await tempDir();
    cleanups.push(() => fs.rm(cwd, { recursive: true, force: true }));
    const envFile = path.join(cwd, '.env');
    const first = await runPatternDb(['user', 'create', 'pattern_dotenv', '--write-env', '--target', server.url], { cwd, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const oldPassword = readEnvVars(await fs.readFile(envFile, 'utf8')).SURREAL_PASS!;

    // As a user runs it again later: nothing in the environment, so the credentials come from that .env.
    const self = await runPatternDb(['user', 'create', 'pattern_dotenv', '--replace', '--write-env', '--target', server.url], { cwd, env: { SURREAL_USER: undefined, SURREAL_PASS: undefined } });
    expect(self.exitCode, self.stdout + self.stderr).toBe(2);
    const said = self.stdout + self.stderr;
    expect(said).toContain(`signs in as pattern_dotenv (SURREAL_USER in ${envFile}), the very user it was asked to replace; nothing was changed`);
    expect(said).toMatch(/--username root, with its password in SURREAL_PASS in the environment/);
    expect(said).not.toMatch(/lose its OWNER role|Pick another name/);
    // The .env's password is its own user's: --username root alone does not take it for root's.
    const rootWithoutPassword = await runPatternDb(['user', 'create', 'pattern_dotenv', '--replace', '--write-env', '--username', server.username, '--target', server.url, '--json'], { cwd, env: { SURREAL_USER: undefined, SURREAL_PASS: undefined } });
    expect(rootWithoutPassword.result?.error).toMatchObject({ code: 'E_NEEDS_INPUT', message: `The server password for "${server.username}" is needed and there is no terminal to ask on.` });
    expect(readEnvVars(await fs.readFile(envFile, 'utf8')).SURREAL_PASS).toBe(oldPassword);
    expect(await as('pattern_dotenv', oldPassword).checkCredentials()).toBe('root');

    // What the message says to do works: the server's user and the .env lines both get the new password.
    const fixed = await runPatternDb(['user', 'create', 'pattern_dotenv', '--replace', '--write-env', '--username', server.username, '--target', server.url, '--json'], { cwd, env: { SURREAL_USER: undefined, SURREAL_PASS: server.password } });
    expect(fixed.exitCode, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.result?.user).toMatchObject({ name: 'pattern_dotenv', replaced: true });
    const vars = readEnvVars(await fs.readFile(envFile, 'utf8'));
    expect(vars.SURREAL_USER).toBe('pattern_dotenv');
    expect(vars.SURREAL_PASS).not.toBe(oldPassword);
    expect(await as('pattern_dotenv', vars.SURREAL_PASS!).checkCredentials()).toBe('root');
  }, 60_000);
});
