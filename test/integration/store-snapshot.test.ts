// The snapshot of a live store: copied under the store's lock, refused when anything opens or changes the store while
// it is copied (a real surreal 2.x or 3.x started on it in the middle of the copy), never holding a link back into the
// store, and made once per run: the export reads the run's snapshot, not the store again.
import { execa } from 'execa';
import { promises as fs, watch } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { reporterFor } from '../../src/core/events.js';
import { DEFAULTS, type RunOptions } from '../../src/core/options.js';
import { exportStep } from '../../src/steps/export.js';
import { nonInteractivePrompter } from '../../src/steps/prompter.js';
import type { PreflightResult, RunState } from '../../src/steps/run-state.js';
import { startManagedServer, stopManagedServer } from '../../src/surreal/server.js';
import { holdStoreLock } from '../../src/surreal/store-lock.js';
import { inspectStore, snapshotStore } from '../../src/surreal/store.js';
import { copyStoreFiles } from '../../src/surreal/store-copy.js';
import { folderDigest, patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { freePort, killOnExit, startTestServer, surrealBin, surrealVersion, tempDir } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** Starts a real surreal of `major` on the store folder and waits until it serves it (or fails to). */
async function serveStore(storePath: string, major: 2 | 3): Promise<number> {
  const stateDir = await tempDir('pattern-db-holder-');
  cleanups.push(() => stopManagedServer(stateDir));
  const state = await startManagedServer({ bin: await surrealBin(major), storage: `surrealkv://${storePath}`, bind: `127.0.0.1:${await freePort()}`, username: 'root', password: 'holder-pass-1', stateDir });
  killOnExit(state.pid);
  return state.pid;
}

/** The copy the snapshot makes, and then a holder started on the store before the snapshot's checks run again. */
function copyThenServe(major: 2 | 3, started: { pid?: number; error?: unknown }) {
  return async (from: string, to: string) => {
    await copyStoreFiles(from, to);
    await serveStore(from, major).then((pid) => (started.pid = pid), (error: unknown) => (started.error = error));
  };
}

async function snapshotsIn(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch(() => []);
}

describe('a store that starts being held while it is copied', () => {
  it.each([2, 3] as const)('a surreal %i started on the store during the copy: E_STORE_LOCKED naming it, the copy removed', async (major) => {
    const folder = await patternFolder(300, 1, PATTERN_TOML, major);
    const snapshots = path.join(folder.dir, 'snapshots');
    const started: { pid?: number; error?: unknown } = {};
    const refused = await snapshotStore(await inspectStore(folder.storePath), snapshots, copyThenServe(major, started)).catch((error: unknown) => error);
    expect(started.error).toBeUndefined();
    expect(refused).toBeInstanceOf(PatternDbError);
    expect((refused as PatternDbError).code).toBe('E_STORE_LOCKED');
    expect((refused as PatternDbError).message).toContain('while it was being copied');
    expect((refused as PatternDbError).message).toContain(String(started.pid));
    expect((refused as PatternDbError).fix).toContain('Stop Pattern');
    expect(await snapshotsIn(snapshots)).toEqual([]);
  }, 180_000);

  it('a store with SurrealDB 3\'s LOCK file is locked for the whole copy: a surreal 3 cannot open it meanwhile, and can afterwards', async () => {
    const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
    const digest = await folderDigest(folder.storePath);
    // What a store Pattern has had open looks like: SurrealDB 3 leaves its LOCK file behind (the copy leaves it out).
    await fs.writeFile(path.join(folder.storePath, 'LOCK'), '');
    const snapshots = path.join(folder.dir, 'snapshots');
    const started: { pid?: number; error?: unknown } = {};
    const snapshot = await snapshotStore(await inspectStore(folder.storePath), snapshots, copyThenServe(3, started));
    expect(started.pid).toBeUndefined();
    // SurrealDB's own refusal: "Database at …/LOCK is already locked by another process".
    expect((started.error as PatternDbError).code).toBe('E_STORE_LOCKED');
    expect(await snapshotsIn(snapshots)).toEqual([path.basename(snapshot)]);
    expect(await folderDigest(snapshot)).toBe(digest);
    // The lock went with the copy.
    expect((await execa('flock', ['--nonblock', path.join(folder.storePath, 'LOCK'), 'true'], { reject: false })).exitCode).toBe(0);
  }, 180_000);
});

describe('the lock itself', () => {
  it('a LOCK another program holds is refused with E_STORE_LOCKED naming it, and is not taken', async () => {
    const folder = await patternFolder(30);
    const lockFile = path.join(folder.storePath, 'LOCK');
    await fs.writeFile(lockFile, '');
    const holder = execa('flock', ['--exclusive', lockFile, 'sleep', '30'], { reject: false });
    cleanups.push(async () => holder.kill('SIGKILL'));
    while (!(await fs.readFile('/proc/locks', 'utf8')).includes(`:${(await fs.stat(lockFile)).ino} `)) await new Promise((r) => setTimeout(r, 20));
    const refused = await holdStoreLock(folder.storePath).catch((error: unknown) => error);
    expect((refused as PatternDbError).code).toBe('E_STORE_LOCKED');
    expect((refused as PatternDbError).evidence).toContain('already locked');
    expect((refused as PatternDbError).fix).toContain('Stop Pattern');
  });

  it('a store without a LOCK file (SurrealDB 2) gets none: nothing is created in it', async () => {
    const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
    expect(await holdStoreLock(folder.storePath)).toBeNull();
    await expect(fs.stat(path.join(folder.storePath, 'LOCK'))).rejects.toThrow();
  });
});

describe('a disk without room', () => {
  it.each(['ENOSPC', 'EDQUOT'])('a copy refused with %s is E_DISK_FULL, says how much room it needs, and leaves no partial copy', async (code) => {
    const folder = await patternFolder(300);
    const snapshots = path.join(folder.dir, 'snapshots');
    const fullAfterCopying = async (from: string, to: string) => {
      await copyStoreFiles(from, to);
      throw Object.assign(new Error(`${code}: no room, write`), { code });
    };
    const info = await inspectStore(folder.storePath);
    const before = await folderDigest(folder.storePath);
    const refused = (await snapshotStore(info, snapshots, fullAfterCopying).catch((error: unknown) => error)) as PatternDbError;
    expect(refused).toMatchObject({ code: 'E_DISK_FULL', fix: expect.stringContaining(`Free at least ${Math.ceil(info.bytes / 1e6)} MB`) });
    expect(await snapshotsIn(snapshots)).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(before);
  });
});

describe('links', () => {
  it('a symbolic link inside the store is refused with E_STORE_LINK, and nothing is copied', async () => {
    const folder = await patternFolder(300);
    const outside = path.join(folder.dir, 'elsewhere');
    await fs.writeFile(outside, 'not the store');
    await fs.symlink(outside, path.join(folder.storePath, 'sstables', 'linked.sst'));
    const snapshots = path.join(folder.dir, 'snapshots');
    const refused = await snapshotStore(await inspectStore(folder.storePath), snapshots).catch((error: unknown) => error);
    expect((refused as PatternDbError).code).toBe('E_STORE_LINK');
    expect((refused as PatternDbError).message).toContain(path.join('sstables', 'linked.sst'));
    expect((refused as PatternDbError).fix).toContain('cp -rL');
    expect(await snapshotsIn(snapshots)).toEqual([]);
  });

  it('a store folder reached through a link is copied as a folder, not as a link to the live store', async () => {
    const folder = await patternFolder(300);
    const link = path.join(folder.dir, 'pattern-link.db');
    await fs.symlink(folder.storePath, link);
    const snapshot = await snapshotStore(await inspectStore(link), path.join(folder.dir, 'snapshots'));
    expect((await fs.lstat(snapshot)).isDirectory()).toBe(true);
    expect(await folderDigest(snapshot)).toBe(await folderDigest(folder.storePath));
  });
});

/** The export step alone, as the run gives it the preflight's result. */
async function exportFrom(folder: PatternFolder, preflight: PreflightResult): Promise<RunState> {
  const options: RunOptions = { ...DEFAULTS, cwd: folder.dir, exportFile: path.join(folder.dir, 'export.surql'), stateDir: path.join(folder.dir, '.pattern-db'), yes: true, dryRun: false, resume: false, writeEnv: false };
  const state: RunState = { preflight };
  state.export = await exportStep.run({ options, report: reporterFor('export', () => undefined), signal: new AbortController().signal, state, prompter: nonInteractivePrompter, checkpoint: async () => undefined });
  return state;
}

describe('one snapshot per run', () => {
  it('a whole migration copies the store once (the folders made under snapshots/ are watched)', async () => {
    const folder = await patternFolder(300);
    const server = await startTestServer();
    cleanups.push(server.stop);
    const snapshots = path.join(folder.dir, '.pattern-db', 'snapshots');
    await fs.mkdir(snapshots, { recursive: true });
    const made = new Set<string>();
    const watcher = watch(snapshots, (_event, name) => void (name && made.add(name)));
    try {
      const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.result?.export?.driver).toBe('cli');
    } finally {
      watcher.close();
    }
    expect([...made].filter((name) => /^snapshot-\d+-\d+$/.test(name))).toHaveLength(1);
  }, 300_000);


  it.each([
    ['a SurrealDB 2 store', 2, 'surrealkv-2'],
    ['a SurrealDB 3.0 store', 3, 'surrealkv-3.0'],
  ] as const)('surreal export of %s reads the run\'s snapshot, not the store again', async (_name, major, format) => {
    const folder = await patternFolder(300, 1, PATTERN_TOML, major);
    const info = await inspectStore(folder.storePath);
    const snapshot = await snapshotStore(info, path.join(folder.dir, '.pattern-db', 'snapshots'));
    // Whatever happens to the live store after the preflight's copy, the export is that copy's.
    await fs.rm(folder.storePath, { recursive: true });
    const program = { path: await surrealBin(major), version: await surrealVersion(major), major };
    const state = await exportFrom(folder, {
      driver: 'cli',
      storePath: folder.storePath,
      snapshot,
      store: { format, bytes: info.bytes, files: info.files },
      sourceCounts: folder.counts,
      ...(major === 2 ? { surreal2: program } : { surreal: program }),
      route: { source: major, target: major },
    });
    expect(state.export?.driver).toBe('cli');
    expect(state.export?.recordsByTable).toEqual(Object.fromEntries(Object.entries(folder.counts).filter(([, n]) => n > 0)));
    expect(await snapshotsIn(path.join(folder.dir, '.pattern-db', 'snapshots'))).toEqual([path.basename(snapshot)]);
  }, 300_000);
});
