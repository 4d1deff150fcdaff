// Files holding data or password hashes are the user's alone, from the moment they exist, under the usual umask 022:
// the state folder, snapshots, the export (also while `surreal export` writes it, and the dump an upgrade's `surreal
// export --v3` writes beside it) and a backup's temporary dump.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { startTestServer, surrealBin, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<unknown>> = [];
let previousUmask: number;

beforeAll(() => {
  previousUmask = process.umask(0o022);
});

afterAll(async () => {
  process.umask(previousUmask);
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Every mode seen under `dir` (the entries `pick` accepts) while `during` runs, polled as fast as the disk answers. */
type Seen = Map<string, { folder: boolean; modes: Set<string> }>;

async function modesWhile<T>(dir: string, pick: (relative: string) => boolean, during: () => Promise<T>): Promise<{ result: T; seen: Seen }> {
  const seen: Seen = new Map();
  const look = async (at: string): Promise<void> => {
    const entries = await fs.readdir(at, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(at, entry.name);
      const relative = path.relative(dir, full);
      if (!pick(relative)) continue;
      const stat = await fs.stat(full).catch(() => null);
      if (!stat) continue;
      const entryModes = seen.get(relative) ?? { folder: stat.isDirectory(), modes: new Set<string>() };
      entryModes.modes.add((stat.mode & 0o777).toString(8));
      seen.set(relative, entryModes);
      if (entry.isDirectory()) await look(full);
    }
  };
  let running = true;
  const poll = (async () => {
    while (running) await look(dir);
  })();
  try {
    return { result: await during(), seen };
  } finally {
    running = false;
    await poll;
  }
}

/**
 * The entries others could ever read: a folder not 700 or a file not 600, inside folders that were never closed to
 * them (an entry of a folder that was always 700 is out of reach whatever its own mode, e.g. while fs.cp copies).
 */
function openEntries(seen: Seen): string[] {
  const alwaysClosed = (relative: string) => [...(seen.get(relative)?.modes ?? [])].every((m) => m === '700');
  const reachable = (relative: string) => {
    const parts = relative.split(path.sep);
    return parts.slice(0, -1).every((_, i) => !alwaysClosed(parts.slice(0, i + 1).join(path.sep)));
  };
  const open: string[] = [];
  for (const [relative, { folder, modes }] of seen) {
    if (!reachable(relative)) continue;
    for (const mode of modes) if (mode !== (folder ? '700' : '600')) open.push(`${relative} ${mode}`);
  }
  return open;
}

/** `migrate --driver cli` of the Pattern folder `dir` into `server`, the modes of the run's own files watched meanwhile. */
function migrateWatched(dir: string, server: TestServer) {
  const ours = (relative: string) => relative.startsWith('.pattern-db') || relative.startsWith('pattern_export.surql');
  return modesWhile(dir, ours, () =>
    runPatternDb(['migrate', '--target', server.url, '--driver', 'cli', '--yes', '--json'], {
      cwd: dir,
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password },
    }),
  );
}

let folder: PatternFolder;
let target: TestServer;

beforeAll(async () => {
  folder = await patternFolder(200);
  target = await startTestServer();
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }), () => target.stop());
});

it('migrate: the state folder, snapshots, the journal and the export (while surreal export writes it) are never open to others', async () => {
  const { result: run, seen } = await migrateWatched(folder.dir, target);
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect(run.result?.export?.driver).toBe('cli');
  // The run's own copies were seen while it ran: the snapshot and the file surreal export was writing.
  expect([...seen.keys()].some((p) => p.startsWith(path.join('.pattern-db', 'snapshots', 'snapshot-')))).toBe(true);
  expect([...seen.keys()].some((p) => p.startsWith('pattern_export.surql.partial'))).toBe(true);
  expect(openEntries(seen).join("\n")).toBe("");
  expect((await fs.stat(path.join(folder.dir, '.pattern-db'))).mode & 0o777).toBe(0o700);
  expect((await fs.stat(path.join(folder.dir, '.pattern-db', 'journal.json'))).mode & 0o777).toBe(0o600);
  expect((await fs.stat(path.join(folder.dir, 'pattern_export.surql'))).mode & 0o777).toBe(0o600);
}, 300_000);

it('migrate --driver cli, a SurrealDB 2 store upgraded: the dump surreal export --v3 writes, the repaired export and the copy it reads are never open to others', async () => {
  const two = await patternFolder(200, 1, PATTERN_TOML, 2);
  cleanups.push(() => fs.rm(two.dir, { recursive: true, force: true }));
  const server = await startTestServer({ major: 3 });
  cleanups.push(() => server.stop());
  const { result: run, seen } = await migrateWatched(two.dir, server);
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect([...seen.keys()].some((p) => p.startsWith('pattern_export.surql.partial.dump'))).toBe(true);
  expect([...seen.keys()].some((p) => /^\.pattern-db\/snapshots\/snapshot-[^/]+-export$/.test(p))).toBe(true);
  expect(openEntries(seen).join('\n')).toBe('');
  expect((await fs.stat(path.join(two.dir, 'pattern_export.surql'))).mode & 0o777).toBe(0o600);
}, 300_000);

it('backup of a store: the snapshot and the temporary dump in the state folder, and the archive, are never open to others', async () => {
  await surrealBin(3);
  const stateDir = path.join(folder.dir, 'backup-state');
  const { result: run, seen } = await modesWhile(folder.dir, (relative) => relative.startsWith('backup-state') || relative.startsWith('backups'), () =>
    runPatternDb(['backup', '--source', folder.storePath, '--state-dir', stateDir, '--dir', 'backups', '--json'], { cwd: folder.dir }),
  );
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect([...seen.keys()].some((p) => /^backup-state\/backup-\d+-\d+\.surql$/.test(p))).toBe(true);
  expect([...seen.keys()].some((p) => p.startsWith(path.join('backup-state', 'snapshots', 'snapshot-')))).toBe(true);
  const archive = String(run.result?.backup?.file);
  // A checksum is not secret (0644), nor is the temporary file it is written through (<archive>.sha256.<pid>.partial).
  const opened = openEntries(seen).filter((entry) => !entry.startsWith(`${path.relative(folder.dir, archive)}.sha256`));
  expect(opened.join("\n")).toBe("");
  expect((await fs.stat(stateDir)).mode & 0o777).toBe(0o700);
  expect((await fs.stat(archive)).mode & 0o777).toBe(0o600);
}, 300_000);
