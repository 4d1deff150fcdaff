// `pattern-db inspect URL --query`: the console's rule, tested without a terminal against real servers of both majors.
// Read-only is the server's doing: the text runs as a VIEWER (defined for the run and removed after it), so a custom
// function that deletes records deletes nothing, however the call is spelled.
import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { READONLY_USER_PREFIX, ReadOnlyUser } from '../../src/surreal/inspect-readonly-user.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { client } from '../helpers/pattern-server.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.each([2, 3] as const)('inspect --query on a SurrealDB %i server', (major) => {
  let server: TestServer;
  let http: SurrealHttp;
  let cwd: string;

  const run = (args: string[], user = { SURREAL_USER: server.username, SURREAL_PASS: server.password }) =>
    runPatternDb(['inspect', server.url, ...args], { cwd, env: { ...user, XDG_STATE_HOME: cwd }, timeoutMs: 120_000 });
  const itemIds = async () => ((await http.sql('SELECT VALUE id FROM item ORDER BY id'))[0] as unknown[]).map((id) => String(id).replace(/^item:/, ''));
  const readOnlyUsers = async () => {
    const [root] = (await client(server).sql('INFO FOR ROOT')) as Array<{ users: Record<string, string> }>;
    return Object.keys(root!.users).filter((name) => name.startsWith(READONLY_USER_PREFIX));
  };

  beforeAll(async () => {
    server = await startTestServer({ major });
    cleanups.push(() => server.stop());
    cwd = await tempDir();
    cleanups.push(() => fs.rm(cwd, { recursive: true, force: true }));
    http = client(server, 'pattern', 'pattern');
    await http.ensureDatabase();
    await http.sql(
      [
        'CREATE item:1 SET n = 1',
        'CREATE item:2 SET n = 2',
        'CREATE item:3 SET n = 3',
        "DEFINE FUNCTION fn::purge() { DELETE item; RETURN 'purged'; }",
        "DEFINE FUNCTION fn::plant() { INSERT INTO item { id: 99 }; RETURN 'planted'; }",
        "DEFINE USER watcher ON ROOT PASSWORD 'watcher-secret' ROLES VIEWER",
        "DEFINE USER helper ON ROOT PASSWORD 'helper-secret' ROLES EDITOR",
      ].join(';\n') + ';',
    );
  });

  it("refuses RETURN fn::purge() with E_READ_ONLY (exit 1), and the records are all still there", async () => {
    const refused = await run(['--query', 'RETURN fn::purge()', '--json']);
    expect(refused.exitCode).toBe(1);
    expect(refused.result).toMatchObject({ ok: false, error: { code: 'E_READ_ONLY', fix: expect.stringContaining('--write') } });
    expect(await itemIds()).toEqual(['1', '2', '3']);
  });

  it.each([
    'RETURN fn :: purge();',
    'RETURN fn/* c */::purge()',
    'RETURN fn -- c\n::purge()',
    'RETURN fn::`purge`()',
    'RETURN fn::⟨plant⟩()',
  ])('refuses %j too (the server reads it as the same call), and nothing changes', async (text) => {
    const refused = await run(['--query', text, '--json']);
    expect(refused.result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_READ_ONLY' } });
    expect(await itemIds()).toEqual(['1', '2', '3']);
  });

  it.each([
    "RETURN 'x' = /'/; INSERT INTO planted { a: 1 }; RETURN 'x' = /'/;",
    'RETURN /--/; UPSERT planted:1 SET a = 1;',
    'RETURN function() { -- }; RELATE item:1->planted->item:2; RETURN { a: 1\n};',
  ])('refuses %j, whose write SurrealDB reads outside any string or comment (a regex, a JavaScript body), before the server sees it', async (text) => {
    const refused = await run(['--query', text, '--json']);
    expect(refused.result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_READ_ONLY', message: expect.stringMatching(/^Not run: statement \d is refused because .*, wherever it stands: the text holds /) } });
    const [db] = (await http.sql('INFO FOR DB')) as Array<{ tables: Record<string, string> }>;
    expect(Object.keys(db!.tables)).toEqual(['item']);
    expect(await itemIds()).toEqual(['1', '2', '3']);
  });

  it('a statement the scan lets through but the read-only session may not run is refused in the server\'s own words', async () => {
    const refused = await run(['--query', 'SLEEP 1ms; RETURN 1', '--json']);
    expect(refused.result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_READ_ONLY', message: expect.stringContaining('Not enough permissions') } });
  });

  it('the session itself holds, whatever the text: a VIEWER calls the writing functions and writes, and nothing changes', async () => {
    const user = new ReadOnlyUser(server.url, { username: server.username, password: server.password }, 30_000);
    const viewer = new SurrealHttp({ url: server.url, ...(await user.credentials()), namespace: 'pattern', database: 'pattern' });
    expect((await user.credentials()).username).toMatch(new RegExp(`^${READONLY_USER_PREFIX}`));
    const answers = await viewer.sqlResults("RETURN fn::purge(); RETURN fn::plant(); DELETE item; INSERT INTO item { id: 98 }; UPDATE item SET n = 0; DEFINE TABLE planted; DEFINE USER more ON ROOT PASSWORD 'x' ROLES OWNER");
    expect(answers.slice(5).map((a) => a.status)).toEqual(['ERR', 'ERR']);
    expect(await itemIds()).toEqual(['1', '2', '3']);
    expect(((await http.sql('SELECT n FROM item ORDER BY n'))[0] as Array<{ n: number }>).map((r) => r.n)).toEqual([1, 2, 3]);
    await user.remove();
    expect(await readOnlyUsers()).toEqual([]);
    expect(await viewer.signin((await user.credentials()))).toBe(false);
  });

  it('--query SELECT … --json returns the rows, and the read-only user it defined is gone afterwards', async () => {
    const rows = await run(['--query', 'SELECT n FROM item ORDER BY n; RETURN 7', '--json']);
    expect(rows.exitCode, rows.stderr).toBe(0);
    expect(rows.result).toMatchObject({ ok: true, statements: [{ status: 'OK', result: [{ n: 1 }, { n: 2 }, { n: 3 }] }, { status: 'OK', result: 7 }] });
    const text = await run(['--query', 'SELECT n FROM item WHERE n = 2']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('"n": 2');
    expect(await readOnlyUsers()).toEqual([]);
  });

  it('a VIEWER user is used as it is; an EDITOR, which cannot define one, is refused with a clear message', async () => {
    const watcher = new ReadOnlyUser(server.url, { username: 'watcher', password: 'watcher-secret' }, 30_000);
    expect(await watcher.credentials()).toEqual({ username: 'watcher', password: 'watcher-secret' });
    const asWatcher = await run(['--query', 'SELECT VALUE n FROM item ORDER BY n', '--json'], { SURREAL_USER: 'watcher', SURREAL_PASS: 'watcher-secret' });
    expect(asWatcher.result).toMatchObject({ ok: true, statements: [{ result: [1, 2, 3] }] });
    const asHelper = await run(['--query', 'RETURN 1', '--json'], { SURREAL_USER: 'helper', SURREAL_PASS: 'helper-secret' });
    expect(asHelper.result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_READ_ONLY', message: expect.stringContaining('helper may not define one') } });
    expect(await readOnlyUsers()).toEqual([]);
  });

  it('INFO FOR ROOT shows the users without their password hashes (2.x sends them whole), as the tree does', async () => {
    for (const args of [['--query', 'INFO FOR ROOT'], ['--query', 'INFO FOR ROOT', '--json']]) {
      const info = await run(args);
      expect(info.exitCode, info.stderr).toBe(0);
      expect(info.stdout).toContain('DEFINE USER watcher ON ROOT PASSHASH');
      expect(info.stdout).not.toMatch(/\$argon2|\$pbkdf2|\$scrypt|\$2b\$/);
    }
  });

  it('a failed statement makes the exit code, after every statement is shown', async () => {
    const failed = await run(['--query', "THROW 'boom'; RETURN 2", '--json']);
    expect(failed.result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_STATEMENT', message: expect.stringContaining('boom') }, statements: [{ status: 'ERR' }, { status: 'OK', result: 2 }] });
  });

  it('a run ended by SIGTERM mid-query removes the read-only user it defined', async () => {
    let pid = 0;
    const ended = runPatternDb(['inspect', server.url, '--query', 'RETURN sleep(20s)', '--json'], {
      cwd,
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password, XDG_STATE_HOME: cwd },
      onSpawn: (spawned) => (pid = spawned),
    });
    for (let i = 0; i < 150 && (await readOnlyUsers()).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await readOnlyUsers()).toHaveLength(1);
    process.kill(pid, 'SIGTERM');
    expect((await ended).exitCode).toBe(130);
    expect(await readOnlyUsers()).toEqual([]);
  });

  it('--write --query runs a write: the flag is the consent', async () => {
    const wrote = await run(['--write', '--query', 'CREATE item:4 SET n = 4', '--json']);
    expect(wrote.result, wrote.stderr).toMatchObject({ ok: true, statements: [{ status: 'OK', result: [{ id: 'item:4', n: 4 }] }] });
    expect(await itemIds()).toEqual(['1', '2', '3', '4']);
    await http.sql('DELETE item:4');
  });

  it('an answer holding a regex, which the wire has no encoding for, says so and how to get it as text, not a generic HTTP error', async () => {
    const regex = await run(['--query', 'RETURN /a/', '--json']);
    expect(regex.exitCode, regex.stderr).toBe(1);
    expect(regex.result).toMatchObject({
      ok: false,
      error: { code: 'E_STATEMENT', message: expect.stringContaining('ran the query but could not send its answer'), fix: expect.stringContaining('RETURN <string> /a/') },
    });
    expect(regex.result?.error.message).toMatch(/regex/);
    const plain = await run(['--query', 'RETURN /a/']);
    expect(plain.stdout + plain.stderr).not.toMatch(/E_HTTP|answered 400|Parse error/);
    const asText = await run(['--query', 'RETURN <string> /a/', '--json']);
    expect(asText.result).toMatchObject({ ok: true, statements: [{ status: 'OK', result: '/a/' }] });
    expect(await readOnlyUsers()).toEqual([]);

    // The answer is lost after the statements ran: a write is kept, as the message says.
    const wrote = await run(['--write', '--query', 'CREATE item:5 SET r = /a/', '--json']);
    expect(wrote.result).toMatchObject({ ok: false, error: { code: 'E_STATEMENT', message: expect.stringContaining('Changes the query made are kept') } });
    expect(await itemIds()).toContain('5');
    await http.sql('DELETE item:5');
  });
});
