import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import {
  isProcessAlive,
  managedServerStatus,
  startManagedServer,
  stopManagedServer,
} from '../../src/surreal/server.js';
import { freePort, killOnExit, surrealBin, surrealVersion, tempDir } from '../helpers/surreal.js';

const password = 'pw-' + Math.random().toString(36).slice(2);
let bin: string;
const dirs: string[] = [];

async function stateDir(): Promise<string> {
  const dir = await tempDir();
  dirs.push(dir);
  return dir;
}

async function start(dir: string, storage = 'memory', port?: number) {
  const bind = `127.0.0.1:${port ?? (await freePort())}`;
  const state = await startManagedServer({ bin, storage, bind, username: 'tester', password, stateDir: dir });
  killOnExit(state.pid);
  return state;
}

async function caught(promise: Promise<unknown>): Promise<PatternDbError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PatternDbError);
  return error as PatternDbError;
}

/** Processes whose command line binds this address: what a failed start might have left behind. */
async function processesBinding(bind: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of (await fs.readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(bind)) found.push(Number(pid));
  }
  return found;
}

beforeAll(async () => {
  bin = await surrealBin();
});

afterAll(async () => {
  for (const dir of dirs) {
    await stopManagedServer(dir).catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  }
});

describe('managed server', () => {
  it('starts a memory server, reports it, and stops it', async () => {
    const dir = await stateDir();
    const started = Date.now();
    const state = await start(dir);
    console.log(`memory server healthy after ${Date.now() - started} ms`);
    const version = await surrealVersion();
    expect(state.version).toBe(version);
    expect(state.storage).toBe('memory');

    const status = await managedServerStatus(dir);
    expect(status).toMatchObject({ running: true, healthy: true, version });

    const cmdline = await fs.readFile(`/proc/${state.pid}/cmdline`, 'utf8');
    expect(cmdline).not.toContain(password);
    expect(cmdline.split('\0')).toContain('start');
    const stateFile = path.join(dir, 'server.json');
    expect(await fs.readFile(stateFile, 'utf8')).not.toContain(password);
    expect((await fs.stat(stateFile)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(state.logFile, 'utf8')).toMatch(/Started web server on/);

    expect(await stopManagedServer(dir)).toMatchObject({ stopped: true, pid: state.pid });
    expect(isProcessAlive(state.pid)).toBe(false);
    expect(await managedServerStatus(dir)).toEqual({ running: false });
    expect(await stopManagedServer(dir)).toEqual({ stopped: false });
  });

  it('keeps surrealkv data across a stop and a start', async () => {
    const dir = await stateDir();
    const storage = `surrealkv://${dir}/data`;
    const started = Date.now();
    const first = await start(dir, storage);
    console.log(`surrealkv server healthy after ${Date.now() - started} ms`);
    expect(first.storage).toBe(`surrealkv://${dir}/data`);
    expect((await fs.stat(`${dir}/data`)).mode & 0o777, 'the new folder holds data: others may not enter it').toBe(0o700);
    const db = () =>
      new SurrealHttp({ url: first.url, username: 'tester', password, namespace: 'pattern', database: 'pattern' });
    await db().ensureDatabase();
    await db().sql("CREATE note:1 SET text = 'kept'");
    const stop = await stopManagedServer(dir);
    console.log(`surrealkv server stop: ${JSON.stringify(stop)}`);

    await start(dir, storage, Number(new URL(first.url).port));
    expect(await db().sql('SELECT text FROM note:1')).toEqual([[{ text: 'kept' }]]);
    await stopManagedServer(dir);
  });

  it('refuses a taken port and leaves nothing running', async () => {
    const dir = await stateDir();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const error = await caught(start(dir, 'memory', port));
      expect(error.code).toBe('E_PORT_IN_USE');
      expect(error.fix).toMatch(/--bind/);
      expect(await processesBinding(`127.0.0.1:${port}`)).toEqual([]);
      expect(await managedServerStatus(dir)).toEqual({ running: false });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('refuses a second server in the same state folder', async () => {
    const dir = await stateDir();
    const state = await start(dir);
    const error = await caught(start(dir));
    expect(error.code).toBe('E_SERVER_START');
    expect(error.fix).toMatch(/pattern-db server stop/);
    expect(isProcessAlive(state.pid)).toBe(true);
    await stopManagedServer(dir);
  });

  it('reports a store held by another server as E_STORE_LOCKED and leaves nothing running', async () => {
    const [first, second] = [await stateDir(), await stateDir()];
    const storage = `surrealkv://${first}/data`;
    await start(first, storage);
    const port = await freePort();
    const error = await caught(start(second, storage, port));
    expect(error.code).toBe('E_STORE_LOCKED');
    expect(error.evidence).toContain('LOCK is already locked by another process');
    expect(await processesBinding(`127.0.0.1:${port}`)).toEqual([]);
    expect(await managedServerStatus(second)).toEqual({ running: false });
    await stopManagedServer(first);
  });

  it('removes a stale server.json', async () => {
    const dir = await stateDir();
    const stale = { pid: 2 ** 22 + 17, url: 'http://127.0.0.1:1', bind: '127.0.0.1:1', storage: 'memory' };
    await fs.writeFile(path.join(dir, 'server.json'), JSON.stringify(stale));
    expect((await managedServerStatus(dir)).running).toBe(false);
    expect(await stopManagedServer(dir)).toEqual({ stopped: false, gone: stale });
    await expect(fs.access(path.join(dir, 'server.json'))).rejects.toThrow();
  });
});
