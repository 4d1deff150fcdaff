// vitest's globalSetup: every temporary folder of one test run (os.tmpdir() in the tests, and in the programs they
// start) goes into a folder of its own, removed when the run ends. Tests copy stores into fresh folders and start
// servers on them; before this, runs left their folders in /tmp (16 GB of them on the development machine). The
// generated stores stay cached between runs where they always were (fixture-store.ts reads PATTERN_DB_TEST_CACHE).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Short: the wizard's screens in the end-to-end tests (and the README's captures of them) show these paths. */
const runFolder = (pid: number) => `pdbt-${pid}`;
/** In every run's folder: only a folder holding it is ever removed as an abandoned run's. */
const MARKER = '.pattern-db-test-run';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The folders of earlier runs killed before their teardown (whose pid is in the name, and gone). */
async function removeAbandoned(base: string): Promise<void> {
  for (const name of await fs.readdir(base).catch(() => [] as string[])) {
    const pid = Number(/^pdbt-(\d+)$/.exec(name)?.[1]);
    const ours = await fs.access(path.join(base, name, MARKER)).then(() => true, () => false);
    if (pid && ours && !alive(pid)) await fs.rm(path.join(base, name), { recursive: true, force: true });
  }
}

/** Points TMPDIR at a new folder under `base`; the function returned removes it and points TMPDIR back. */
export async function useRunTempDir(base = os.tmpdir()): Promise<() => Promise<void>> {
  const before = process.env.TMPDIR;
  process.env.PATTERN_DB_TEST_CACHE ??= path.join(base, 'pattern-db-test-fixtures');
  await removeAbandoned(base);
  const dir = path.join(base, runFolder(process.pid));
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { mode: 0o700 });
  await fs.writeFile(path.join(dir, MARKER), `${process.pid}\n`);
  process.env.TMPDIR = dir;
  return async () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    await fs.rm(dir, { recursive: true, force: true });
  };
}

/** vitest calls it with its project, which is not a folder. */
export default function setup(): Promise<() => Promise<void>> {
  return useRunTempDir();
}
