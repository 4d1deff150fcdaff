import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { cliExport, cliImport, locateBothMajors, locateSurreal, runSurreal, surrealEnv } from '../../src/surreal/cli.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { isProcessAlive } from '../../src/surreal/server.js';
import { countingSurreal } from '../helpers/counting-surreal.js';
import { processesLeftMentioning, processesMentioning, programsMentioning } from '../helpers/processes.js';
import { repoRoot } from '../helpers/pattern-db.js';
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

describe('locateSurreal', () => {
  it('prefers SURREAL_BIN and finds nothing where there is nothing', async () => {
    expect(await locateSurreal({ SURREAL_BIN: bin })).toMatchObject({ path: bin, version: await surrealVersion(), major: 3, source: 'SURREAL_BIN' });
    expect(await locateSurreal({ PATH: work, XDG_CACHE_HOME: work, HOME: work })).toBeNull();
    expect(await locateSurreal({ PATH: path.dirname(bin), XDG_CACHE_HOME: work })).toMatchObject({ source: 'PATH' });
  });

  it('asks each program its version once when it looks for both majors, and asks again once the file is replaced', async () => {
    const three = await countingSurreal(bin);
    const two = await countingSurreal(await surrealBin(2));
    // scripts/ensure-surreal's cache holding both, SURREAL_BIN naming the 3.x in it (as the bench runs).
    const cache = path.join(work, 'cache-both');
    const inCache = async (entry: string, program: string) => {
      await fs.mkdir(path.join(cache, 'pattern-db', entry), { recursive: true });
      const file = path.join(cache, 'pattern-db', entry, 'surreal');
      await fs.symlink(program, file);
      return file;
    };
    const cached3 = await inCache('surreal-test', three.bin);
    await inCache('surreal2-test', two.bin);
    const env = { SURREAL_BIN: cached3, XDG_CACHE_HOME: cache, HOME: work, PATH: '' };
    const [found3, found2] = await locateBothMajors(env);
    expect(found3).toMatchObject({ major: 3, source: 'SURREAL_BIN' });
    expect(found2).toMatchObject({ major: 2, source: 'cache' });
    expect(await three.commands()).toEqual(['version']);
    expect(await two.commands()).toEqual(['version']);
    // A surreal upgraded in place (another program at the same path) is asked anew.
    await fs.rm(cached3);
    await fs.symlink(two.bin, cached3);
    expect(await locateSurreal({ SURREAL_BIN: cached3 })).toMatchObject({ major: 2, source: 'SURREAL_BIN' });
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
    const bind = `127.0.0.1:${await freePort()}`;
    // Cancelled once the server has said something and is seen running: then it must be gone.
    let running: Promise<number[]> | undefined;
    const run = runSurreal(bin, ['start', '--no-banner', '--bind', bind, 'memory'], {
      env: surrealEnv(),
      signal: controller.signal,
      onLine: () => {
        running ??= programsMentioning(bin, bind).then((pids) => {
          controller.abort();
          return pids;
        });
      },
    });
    const error = await caught(run);
    expect(error.code).toBe('E_CANCELLED');
    const pids = await running!;
    expect(pids).toHaveLength(1);
    expect(isProcessAlive(pids[0]!)).toBe(false);
    expect(await processesMentioning(bind)).toEqual([]);
  });

  it('says a surreal killed from outside (SIGKILL, as the out-of-memory killer sends) was, and names memory', async () => {
    const bind = `127.0.0.1:${await freePort()}`;
    let killed: Promise<number[]> | undefined;
    const run = runSurreal(bin, ['start', '--no-banner', '--bind', bind, 'memory'], {
      env: surrealEnv(),
      onLine: () => {
        killed ??= programsMentioning(bin, bind).then((pids) => {
          for (const pid of pids) process.kill(pid, 'SIGKILL');
          return pids;
        });
      },
    });
    const error = await caught(run);
    expect(await killed).toHaveLength(1);
    expect(error.code).toBe('E_SURREAL_KILLED');
    expect(error.message).toMatch(/^surreal was killed \(SIGKILL\) while running surreal start .+, not by pattern-db: most likely the system ran out of memory\.$/);
    expect(error.evidence).toMatch(/memory: \d+ MB in all, \d+ MB available now/);
    expect(error.fix).toMatch(/Close programs that use memory/);
  });

  /**
   * Runs `program args` through runSurreal in a process of its own, kills that process (SIGKILL) once the program has
   * said something, and returns the program's pid and what still mentions `marker` after `withinMs`.
   */
  async function killParentOf(program: string, args: string[], marker: string, withinMs: number): Promise<{ pids: number[]; left: number[] }> {
    const module = path.join(repoRoot, 'dist/src/surreal/cli.js');
    const script = `const { runSurreal, surrealEnv } = await import(${JSON.stringify(module)}); void runSurreal(${JSON.stringify(program)}, ${JSON.stringify(args)}, { env: surrealEnv(), onLine: () => console.log('said something') });`;
    const parent = execa(process.execPath, ['--input-type=module', '-e', script], { reject: false, buffer: false });
    await new Promise<void>((resolve) => parent.stdout!.once('data', () => resolve()));
    const pids = await programsMentioning(program, marker);
    parent.kill('SIGKILL');
    await parent;
    return { pids, left: await processesLeftMentioning(marker, withinMs) };
  }

  it('leaves no surreal running when the program that started it is killed outright (SIGKILL)', async () => {
    const bind = `127.0.0.1:${await freePort()}`;
    // A long-running surreal, started as an export or an import is; then its parent dies without a word.
    const { pids, left } = await killParentOf(bin, ['start', '--no-banner', '--bind', bind, 'memory'], bind, 10_000);
    expect(pids).toHaveLength(1);
    expect(left).toEqual([]);
    expect(isProcessAlive(pids[0]!)).toBe(false);
  });

  it('kills a surreal that ignores SIGTERM once the grace is over, its parent killed outright', async () => {
    // As a surrealkv server can hang after "Bye!": it must still be gone, SIGKILLed 3 s after the SIGTERM.
    const stubborn = path.join(await tempDir('stubborn-surreal-'), 'surreal');
    await fs.writeFile(stubborn, '#!/bin/sh\ntrap "" TERM\necho "INFO started"\nwhile :; do sleep 0.2; done\n', { mode: 0o755 });
    const { pids, left } = await killParentOf(stubborn, [], stubborn, 10_000);
    expect(pids).toHaveLength(1);
    expect(left).toEqual([]);
    expect(isProcessAlive(pids[0]!)).toBe(false);
  });
});
