import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import {
  classifySurrealError,
  cliExport,
  cliImport,
  locateSurreal,
  parseSurrealVersion,
  runSurreal,
  surrealEnv,
} from '../../src/surreal/cli.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { freePort, startTestServer, surrealBin, surrealVersion, tempDir, type TestServer } from '../helpers/surreal.js';

let bin: string;
let server: TestServer;
let work: string;

async function caught(promise: Promise<unknown>): Promise<PatternDbError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PatternDbError);
  return error as PatternDbError;
}

beforeAll(async () => {
  bin = await surrealBin();
  server = await startTestServer();
  work = await tempDir();
});

afterAll(async () => {
  await server?.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe('parseSurrealVersion', () => {
  it.each([
    ['3.0.5 for linux on x86_64', '3.0.5', 3],
    ['3.0.5+20250812.abcdef for linux on x86_64\n', '3.0.5', 3],
    ['SurrealDB command-line interface and server 2.3.7 for linux on x86_64', '2.3.7', 2],
    ['3.1.0-beta.2 for macos on aarch64', '3.1.0-beta.2', 3],
  ])('reads %j', (output, version, major) => {
    expect(parseSurrealVersion(output)).toEqual({ version, major });
  });
  it('returns null for other output', () => {
    expect(parseSurrealVersion('command not found')).toBeNull();
    expect(parseSurrealVersion('')).toBeNull();
  });
});

describe('surrealEnv and locateSurreal', () => {
  it('sets credentials only when given', () => {
    const base = { PATH: '/bin', SURREAL_USER: 'inherited', SURREAL_PASS: 'inherited', RUST_LOG: 'trace' };
    expect(surrealEnv({}, base)).toEqual({ PATH: '/bin', SURREAL_ONLINE_VERSION_CHECK: 'false' });
    expect(surrealEnv({ username: 'u', password: 'p' }, base)).toMatchObject({ SURREAL_USER: 'u', SURREAL_PASS: 'p' });
  });
  it('prefers SURREAL_BIN and finds nothing where there is nothing', async () => {
    expect(await locateSurreal({ SURREAL_BIN: bin })).toMatchObject({ path: bin, version: await surrealVersion(), major: 3, source: 'SURREAL_BIN' });
    expect(await locateSurreal({ PATH: work, XDG_CACHE_HOME: work, HOME: work })).toBeNull();
    expect(await locateSurreal({ PATH: path.dirname(bin), XDG_CACHE_HOME: work })).toMatchObject({ source: 'PATH' });
  });
});

describe('classifySurrealError', () => {
  it.each([
    ['ERROR surrealdb_server::cli: There was an error processing a remote HTTP request: error sending request for url (http://127.0.0.1:1/health)', 'E_CONN_REFUSED'],
    ['ERROR surrealdb_server::cli: There was a problem with authentication', 'E_AUTH'],
    ['ERROR surrealdb_server::cli: Database at /x/LOCK is already locked by another process', 'E_STORE_LOCKED'],
    ['ERROR surrealdb_server::cli: The data stored on disk is out-of-date with this version (Expected: 3, Actual: 2)', 'E_STORE_FORMAT'],
    ['ERROR surrealdb_server::cli: IO error: failed to fill whole buffer', 'E_STORE_FORMAT'],
    ['ERROR surrealdb_server::cli: server version `2.3.10` does not match the range supported by the client `>=3.0.0-alpha.1, <4.0.0`', 'E_SURREAL_FAILED'],
    ['ERROR surrealdb_server::cli: something new', 'E_SURREAL_FAILED'],
    // As SurrealDB 3.3.5 words them.
    ['ERROR surrealdb_server::cli: error sending request for url (http://127.0.0.1:1/health)', 'E_CONN_REFUSED'],
    ['ERROR surrealdb_server::cli: DNS resolution failed for no-such-host.invalid:8000; failed to lookup address information: Name or service not known', 'E_HOST_NOT_FOUND'],
    ['ERROR surrealdb_server::cli: There was a problem with the datastore: Other error: Database at /x/LOCK is already locked by another process', 'E_STORE_LOCKED'],
    ['ERROR surrealdb_server::cli: There was a problem with the datastore: Failed to load manifest: Unsupported manifest format version: 0', 'E_STORE_FORMAT'],
    ['ERROR surrealdb_server::cli: HTTP status client error (400 Bad Request) for url (http://127.0.0.1:8000/rpc)', 'E_SURREAL_FAILED'],
    // A client of the other major over ws://: 2.6.5 → 3.3.5, then 3.3.5 → 2.6.5.
    ['ERROR surreal::cli: There was a problem with the database: There was an error processing a remote WS request: WebSocket protocol error: SubProtocol error: Server sent no subprotocol', 'E_SURREAL_FAILED'],
    ['ERROR surrealdb_server::cli: WebSocket error: WebSocket protocol error: SubProtocol error: Server sent no subprotocol', 'E_SURREAL_FAILED'],
  ])('%s', (line, code) => {
    const error = classifySurrealError(['2025-01-01T00:00:00Z  WARN other: noise', line, 'Caused by:', '    detail']);
    expect(error.code).toBe(code);
    expect(error.evidence).toContain(line);
  });
  it('explains the major-version lock', () => {
    const error = classifySurrealError(['ERROR x: server version `2.3.10` does not match the range supported by the client `>=3.0.0-alpha.1, <4.0.0`']);
    expect(error.fix).toMatch(/major version/);
    const overWs = classifySurrealError(['ERROR surrealdb_server::cli: WebSocket error: WebSocket protocol error: SubProtocol error: Server sent no subprotocol']);
    expect(overWs.message).toMatch(/another major version/);
    expect(overWs.fix).toMatch(/major version/);
  });
});

describe('surreal CLI against a real server', () => {
  const data = "OPTION IMPORT;\nDEFINE TABLE person SCHEMALESS;\nCREATE person:ada SET name = 'Ada';\nCREATE person:alan SET name = 'Alan';\n";

  it('imports a file over HTTP', async () => {
    const file = path.join(work, 'people.surql');
    await fs.writeFile(file, data);
    const lines: string[] = [];
    await cliImport({
      bin,
      endpoint: server.url,
      namespace: 'pattern',
      database: 'cli',
      file,
      username: server.username,
      password: server.password,
      onLine: (_stream, line) => lines.push(line),
    });
    const http = new SurrealHttp({ ...server, namespace: 'pattern', database: 'cli' });
    expect(await http.sql('SELECT VALUE name FROM person ORDER BY name')).toEqual([['Ada', 'Alan']]);
  });

  it('reports a wrong password as E_AUTH', async () => {
    const file = path.join(work, 'people.surql');
    await fs.writeFile(file, data);
    const error = await caught(
      cliImport({ bin, endpoint: server.url, namespace: 'pattern', database: 'cli', file, username: server.username, password: 'wrong-pass' }),
    );
    expect(error.code).toBe('E_AUTH');
    expect(`${error.message}${error.evidence}`).not.toContain('wrong-pass');
    console.log(`cli wrong password:\n${error.evidence}`);
  });

  it('reports nothing listening as E_CONN_REFUSED', async () => {
    const file = path.join(work, 'people.surql');
    await fs.writeFile(file, data);
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const error = await caught(cliImport({ bin, endpoint, namespace: 'pattern', database: 'cli', file }));
    expect(error.code).toBe('E_CONN_REFUSED');
    console.log(`cli nothing listening:\n${error.evidence}`);
  });

  it('reports a failing statement as E_IMPORT with the server text', async () => {
    const file = path.join(work, 'dup.surql');
    await fs.writeFile(file, "OPTION IMPORT;\nCREATE person:ada SET name = 'Ada';\n");
    const error = await caught(
      cliImport({ bin, endpoint: server.url, namespace: 'pattern', database: 'cli', file, username: server.username, password: server.password }),
    );
    expect(error.code).toBe('E_IMPORT');
    expect(error.message).toContain('Database record `person:ada` already exists');
    console.log(`cli failing statement:\n${error.evidence}`);
  });

  it('refuses to import over ws://', async () => {
    const error = await caught(
      cliImport({ bin, endpoint: server.url.replace('http', 'ws'), namespace: 'pattern', database: 'cli', file: 'x.surql' }),
    );
    expect(error.code).toBe('E_IMPORT');
    expect(error.evidence).toContain('does not support backups');
    expect(error.fix).toContain(server.url);
  });

  it('exports a remote database to a file', async () => {
    const file = path.join(work, 'export.surql');
    await cliExport({ bin, endpoint: server.url, namespace: 'pattern', database: 'cli', file, username: server.username, password: server.password });
    const text = await fs.readFile(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^--/);
    expect(text).toContain('OPTION IMPORT;');
    expect(text).toContain('Alan');
    await expect(fs.access(`${file}.partial`)).rejects.toThrow();
  });

  it('reports a surrealkv folder held by a running server as E_STORE_LOCKED and leaves no file', async () => {
    const held = await startTestServer({ storage: 'surrealkv://data' });
    try {
      const file = path.join(work, 'locked.surql');
      const error = await caught(
        cliExport({ bin, endpoint: held.state.storage, namespace: 'pattern', database: 'pattern', file }),
      );
      expect(error.code).toBe('E_STORE_LOCKED');
      await expect(fs.access(file)).rejects.toThrow();
      await expect(fs.access(`${file}.partial`)).rejects.toThrow();
      console.log(`cli locked store:\n${error.evidence}`);
    } finally {
      await held.stop();
    }
  });

  it('reports a server of the other major version as such, with the fix naming the major-version lock', async () => {
    const other = await startTestServer({ major: 2 });
    try {
      const file = path.join(work, 'other-major.surql');
      const error = await caught(
        cliExport({ bin, endpoint: other.url, namespace: 'pattern', database: 'pattern', file, username: other.username, password: other.password }),
      );
      expect(error.code).toBe('E_SURREAL_FAILED');
      expect(error.message).toMatch(/major version/);
      expect(error.fix).toMatch(/its own major version/);
      console.log(`cli against a server of the other major:\n${error.evidence}`);
    } finally {
      await other.stop();
    }
  });

  it('kills the child when cancelled', async () => {
    const controller = new AbortController();
    const run = runSurreal(bin, ['start', '--no-banner', '--bind', `127.0.0.1:${await freePort()}`, 'memory'], {
      env: surrealEnv(),
      signal: controller.signal,
      onLine: () => controller.abort(),
    });
    const error = await caught(run);
    expect(error.code).toBe('E_CANCELLED');
  });
});
