// Real SurrealDB for integration tests: the binary from scripts/ensure-surreal and throwaway managed servers.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { startManagedServer, stopManagedServer, type ManagedServerState } from '../../src/surreal/server.js';
import { tempDir } from './temp-folders.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binaries = new Map<number, Promise<string>>();

/** The path of a surreal of that major (default 3); the first call may wait for a build (ensure-surreal waits on cargo's lock). */
export function surrealBin(major: 2 | 3 = 3): Promise<string> {
  let binary = binaries.get(major);
  if (!binary) {
    binary = execa(path.join(root, 'scripts/ensure-surreal'), [String(major)], { stderr: 'inherit' }).then((r) => r.stdout.trim());
    binaries.set(major, binary);
  }
  return binary;
}

/** The version `surreal version` reports for the binary under test (e.g. "3.3.5"): what its servers report too. */
export async function surrealVersion(major: 2 | 3 = 3): Promise<string> {
  const { stdout } = await execa(await surrealBin(major), ['version'], { env: { ...process.env, SURREAL_ONLINE_VERSION_CHECK: 'false' } });
  const version = /^(\d+\.\d+\.\d+\S*?)(?:\+\S+)?\s/m.exec(stdout)?.[1];
  if (!version) throw new Error(`surreal version printed no version: ${stdout}`);
  return version;
}

/** A surreal 2.x (the vendored 2.6.5 build, or SURREAL2_BIN). */
export function surreal2Bin(): Promise<string> {
  return surrealBin(2);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// tempDir (removed when the test file ends) is imported from here by most tests.
export { tempDir };

export interface TestServer {
  url: string;
  username: string;
  password: string;
  stateDir: string;
  state: ManagedServerState;
  /** Stops the server and removes its state folder (and a storage folder inside it). */
  stop(): Promise<void>;
}

// A failing test must not leave a detached server behind once vitest exits.
const running = new Set<number>();

/** Kills `pid` when the test process exits, for servers a test starts itself with startManagedServer. */
export function killOnExit(pid: number): void {
  running.add(pid);
}

process.once('exit', () => {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * A managed server on a free port with a random root password. `storage` defaults to memory; a relative
 * `surrealkv://NAME` is placed inside the temporary state folder.
 */
export async function startTestServer(
  opts: { storage?: string; username?: string; password?: string; major?: 2 | 3 } = {},
): Promise<TestServer> {
  const stateDir = await tempDir();
  const username = opts.username ?? 'tester';
  const password = opts.password ?? randomBytes(12).toString('hex');
  const storage = opts.storage?.replace(/^surrealkv:\/\/(?!\/)/, `surrealkv://${stateDir}/`) ?? 'memory';
  const bind = `127.0.0.1:${await freePort()}`;
  const state = await startManagedServer({ bin: await surrealBin(opts.major ?? 3), storage, bind, username, password, stateDir });
  running.add(state.pid);
  return {
    url: state.url,
    username,
    password,
    stateDir,
    state,
    async stop() {
      await stopManagedServer(stateDir);
      running.delete(state.pid);
      await fs.rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** A surreal server started on a store folder, holding its LOCK as Pattern would while running. */
export async function holdStore(storePath: string): Promise<{ pid: number; release: () => Promise<void> }> {
  const port = await freePort();
  const holder = spawn(await surrealBin(), ['start', '--no-banner', '--bind', `127.0.0.1:${port}`, `surrealkv://${storePath}`], {
    env: { ...process.env, SURREAL_USER: 'root', SURREAL_PASS: 'holder-pass', SURREAL_ONLINE_VERSION_CHECK: 'false' },
    stdio: 'ignore',
  });
  running.add(holder.pid!);
  for (let i = 0; i < 100 && !(await fs.stat(path.join(storePath, 'LOCK')).catch(() => null)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    pid: holder.pid!,
    release: async () => {
      holder.kill('SIGKILL');
      running.delete(holder.pid!);
    },
  };
}
