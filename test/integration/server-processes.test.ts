// The managed server's process: only ours is ever signalled, none is left behind unrecorded, and it gets an
// allow-listed environment (as do private servers).
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { servePrivately } from '../../src/surreal/private-server.js';
import { isProcessAlive, startManagedServer, stopManagedServer } from '../../src/surreal/server.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { processesMentioning } from '../helpers/processes.js';
import { freePort, killOnExit, surrealBin, tempDir } from '../helpers/surreal.js';
import { waitFor } from '../helpers/wait-for.js';

let bin: string;
const dirs: string[] = [];
const cleanups: Array<() => void> = [];

async function dir(): Promise<string> {
  const created = await tempDir();
  dirs.push(created);
  return created;
}

async function waitUntilFound<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const value = await waitFor(probe, timeoutMs, 50);
  if (value === undefined) throw new Error(`timed out waiting for ${what}`);
  return value;
}

const environOf = (pid: number) => fs.readFile(`/proc/${pid}/environ`, 'utf8').then((text) => text.split('\0'));

beforeAll(async () => {
  bin = await surrealBin();
});

afterAll(async () => {
  for (const cleanup of cleanups) cleanup();
  for (const d of dirs) {
    await stopManagedServer(d).catch(() => undefined);
    await fs.rm(d, { recursive: true, force: true });
  }
});

describe('server stop and status signal only the server pattern-db started', () => {
  /** An unrelated process whose command line holds `start`, as a surreal server's does. */
  function bystander(): number {
    const child = spawn('bash', ['-c', 'exec -a start sleep 1000'], { stdio: 'ignore', detached: true });
    child.unref();
    cleanups.push(() => child.kill('SIGKILL'));
    return child.pid!;
  }

  const states = {
    'a state file without the process identity (an older pattern-db)': {},
    'a state file whose identity is another process': { identity: { exe: '/opt/surreal/bin/surreal', startTime: '12345' } },
  };

  for (const [name, extra] of Object.entries(states)) {
    it(`leaves a live unrelated pid alone: ${name}`, async () => {
      const stateDir = await dir();
      const pid = bystander();
      await waitUntilFound(async () => ((await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).startsWith('start\0') ? true : undefined), 'the bystander');
      const stateFile = path.join(stateDir, 'server.json');
      const state = { pid, url: 'http://127.0.0.1:1', bind: '127.0.0.1:1', storage: 'memory', logFile: path.join(stateDir, 'server.log'), startedAt: '', version: '3.3.5', username: 'root', ...extra };
      await fs.writeFile(stateFile, JSON.stringify(state));

      const bind = `127.0.0.1:${await freePort()}`;
      for (const command of [['stop'], ['status'], ['start', '--bind', bind]]) {
        const run = await runPatternDb(['server', ...command, '--state-dir', stateDir, '--json'], { cwd: stateDir, env: { SURREAL_PASS: 'bystander-pass' } });
        expect(run.exitCode, run.stdout + run.stderr).toBe(1);
        expect(run.result?.error?.code).toBe('E_SERVER_NOT_RUNNING');
        expect(run.result?.error?.message).toContain(`Process ${pid} is no longer the server pattern-db started`);
        expect(run.result?.error?.fix).toContain(`Remove ${stateFile} if the server is gone`);
      }
      expect(await processesMentioning(bind)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(isProcessAlive(pid)).toBe(true);
      expect(JSON.parse(await fs.readFile(stateFile, 'utf8'))).toEqual(state);
    });
  }

  it('records the server\'s executable and start time, and stops it by them', async () => {
    const stateDir = await dir();
    const state = await startManagedServer({ bin, storage: 'memory', bind: `127.0.0.1:${await freePort()}`, username: 'root', password: 'identity-pass', stateDir });
    killOnExit(state.pid);
    expect(state.identity?.exe).toBe(await fs.realpath(bin));
    expect(state.identity?.startTime).toMatch(/^\d+$/);
    expect(JSON.parse(await fs.readFile(path.join(stateDir, 'server.json'), 'utf8')).identity).toEqual(state.identity);
    const run = await runPatternDb(['server', 'stop', '--state-dir', stateDir, '--json'], { cwd: stateDir });
    expect(run.result).toMatchObject({ ok: true, stopped: true, pid: state.pid });
    expect(isProcessAlive(state.pid)).toBe(false);
  });
});

describe('a recorded server that died', () => {
  it('status names it, its log and how to start it again, and keeps its record; stop says it had stopped and removes it', async () => {
    const stateDir = await dir();
    const state = await startManagedServer({ bin, storage: 'memory', bind: `127.0.0.1:${await freePort()}`, username: 'admin', password: 'died-pass-1', stateDir });
    process.kill(state.pid, 'SIGKILL');
    await waitFor(async () => (isProcessAlive(state.pid) ? undefined : true), 10_000, 20);

    const status = await runPatternDb(['server', 'status', '--state-dir', stateDir], { cwd: stateDir });
    expect(status.exitCode).toBe(1);
    const said = status.stdout.replace(/\s+/g, ' ');
    expect(said).toContain(`Not running. The server started here (pid ${state.pid}, ${state.url}, memory) has stopped; its log, which says why: ${state.logFile}.`);
    expect(said).toContain(`Start it again with: SURREAL_PASS=… pattern-db server start --storage memory --bind ${state.bind} --username admin --state-dir ${stateDir}`);
    await fs.access(path.join(stateDir, 'server.json'));

    const stop = await runPatternDb(['server', 'stop', '--state-dir', stateDir], { cwd: stateDir });
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout.replace(/\s+/g, ' ')).toContain(`The server started here (pid ${state.pid}, ${state.url}, memory) has stopped; its log, which says why: ${state.logFile}. Its record is removed.`);
    await expect(fs.access(path.join(stateDir, 'server.json'))).rejects.toThrow();
  });
});

describe('no server outlives a start that did not finish', () => {
  it.each(['once', 'twice'] as const)('Ctrl-C (pressed %s) during the readiness wait stops the server and leaves no state file', async (times) => {
    const stateDir = await dir();
    // A real surreal that is slow to start: the wrapper waits before it becomes the server.
    const slow = path.join(stateDir, 'slow-surreal');
    await fs.writeFile(slow, `#!/bin/sh\nif [ "$1" = start ]; then sleep 3; fi\nexec '${bin}' "$@"\n`, { mode: 0o755 });
    const bind = `127.0.0.1:${await freePort()}`;
    let patternDb = 0;
    const running = runPatternDb(['server', 'start', '--bind', bind, '--state-dir', stateDir, '--json'], {
      cwd: stateDir,
      env: { SURREAL_BIN: slow, SURREAL_PASS: 'ctrl-c-pass' },
      onSpawn: (pid) => (patternDb = pid),
    });
    const [serverPid] = await waitUntilFound(async () => {
      const pids = (await processesMentioning(bind)).filter((pid) => pid !== patternDb);
      return pids.length ? pids : undefined;
    }, 'the server process');
    killOnExit(serverPid!);
    process.kill(patternDb, 'SIGINT');
    // The second once the first is being handled (two sent at once arrive as one).
    if (times === 'twice') setTimeout(() => process.kill(patternDb, 'SIGINT'), 20);
    const run = await running;
    expect(run.exitCode, run.stdout + run.stderr).toBe(130);
    expect(run.result?.error?.code).toBe('E_CANCELLED');
    if (times === 'twice') expect(run.stderr).toContain('Stopping: pattern-db ends what it started before it exits.');
    expect(isProcessAlive(serverPid!)).toBe(false);
    expect((await processesMentioning(bind)).filter((pid) => pid !== patternDb)).toEqual([]);
    expect(await fs.readdir(stateDir)).not.toContain('server.json');
  });

  it('a failure after the server started (its state file cannot be written) stops it', async () => {
    const stateDir = await dir();
    await fs.mkdir(path.join(stateDir, 'server.json'));
    const bind = `127.0.0.1:${await freePort()}`;
    const error = await startManagedServer({ bin, storage: 'memory', bind, username: 'root', password: 'fail-pass', stateDir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PatternDbError);
    expect((error as PatternDbError).code).toBe('E_NOT_WRITABLE');
    expect((error as PatternDbError).message).toContain('server.json');
    expect(await processesMentioning(bind)).toEqual([]);
  });

  it('a server that does not become ready in time is stopped and not recorded', async () => {
    const stateDir = await dir();
    const bind = `127.0.0.1:${await freePort()}`;
    // A real surreal that never answers where it was asked to: the wrapper moves it to another port and becomes it.
    let elsewhere = bind;
    while (elsewhere === bind) elsewhere = `127.0.0.1:${await freePort()}`;
    const astray = path.join(stateDir, 'astray-surreal');
    await fs.writeFile(astray, `#!/bin/bash\nexec '${bin}' "\${@/${bind}/${elsewhere}}"\n`, { mode: 0o755 });
    const error = await startManagedServer({ bin: astray, storage: 'memory', bind, username: 'root', password: 'slow-pass', stateDir, readyTimeoutMs: 1_500 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as PatternDbError).code).toBe('E_SERVER_START');
    expect((error as PatternDbError).message).toContain('did not become healthy within 1500 ms');
    expect(await processesMentioning(elsewhere)).toEqual([]);
    expect(await fs.readdir(stateDir)).not.toContain('server.json');
  });
});

describe('servers get an allow-listed environment', () => {
  const probe = 'PATTERN_DB_TEST_SECRET_TOKEN';

  beforeAll(() => {
    process.env[probe] = 'do-not-pass-me';
    process.env.SURREAL_UNAUTHENTICATED = 'true';
  });
  afterAll(() => {
    delete process.env[probe];
    delete process.env.SURREAL_UNAUTHENTICATED;
  });

  it('the managed server', async () => {
    const stateDir = await dir();
    const state = await startManagedServer({ bin, storage: 'memory', bind: `127.0.0.1:${await freePort()}`, username: 'root', password: 'env-pass', stateDir });
    killOnExit(state.pid);
    const environ = await environOf(state.pid);
    expect(environ.filter((entry) => entry.startsWith(`${probe}=`) || entry.startsWith('SURREAL_UNAUTHENTICATED='))).toEqual([]);
    expect(environ).toContain(`PATH=${process.env.PATH}`);
    expect(environ).toContain('SURREAL_PASS=env-pass');
    await stopManagedServer(stateDir);
  });

  it('a private server (and the shell that watches it)', async () => {
    const folder = path.join(await dir(), 'private.db');
    const server = await servePrivately({ bin, folder, auth: 'none' });
    try {
      const pids = await processesMentioning(folder);
      expect(pids.length).toBeGreaterThan(0);
      for (const pid of pids) {
        const environ = await environOf(pid);
        expect(environ.filter((entry) => entry.startsWith(`${probe}=`) || entry.startsWith('SURREAL_UNAUTHENTICATED='))).toEqual([]);
      }
    } finally {
      await server.close();
    }
  });
});

describe('a private server on a snapshot about to be removed', () => {
  it('is discarded at once: killed, not asked to close its store and waited for', async () => {
    const folder = path.join(await dir(), 'snapshot.db');
    const server = await servePrivately({ bin, folder, auth: 'none', stopGraceMs: 30_000 });
    const named = await processesMentioning(folder);
    const serverPid = await waitUntilFound(async () => {
      for (const pid of named) if ((await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).startsWith(bin)) return pid;
      return undefined;
    }, 'the server process');
    // Stopped, it cannot act on SIGTERM: only a kill ends it before the 30 s grace.
    process.kill(serverPid, 'SIGSTOP');
    const started = Date.now();
    await server.discard();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await processesMentioning(folder)).toEqual([]);
  }, 60_000);
});
