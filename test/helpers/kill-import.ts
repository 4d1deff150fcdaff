// Kills pattern-db in the middle of an import: as soon as its `surreal import` of a given chunk runs (Linux /proc).
import { promises as fs } from 'node:fs';

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** The pid of `pid`'s child running `surreal import` of chunk file `import-chunk-<index>.surql`, if there is one. */
export async function importChild(pid: number, index: number): Promise<number | undefined> {
  const tasks = await fs.readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  for (const task of tasks) {
    const children = await fs.readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
      const command = await fs.readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '');
      if (command.includes('\0import\0') && command.includes(`import-chunk-${index}.surql`)) return child;
    }
  }
  return undefined;
}

/**
 * SIGKILLs pattern-db `pid` as soon as its `surreal import` of chunk `index` runs, and returns that child's pid: it
 * outlives pattern-db (as do the statements the server was sent), which the resumed run has to live with.
 */
export async function killWhileImporting(pid: number, index: number, before?: (child: number) => void): Promise<number> {
  const child = await waitForImportChild(pid, index);
  if (child === undefined) throw new Error(`pattern-db never ran surreal import of chunk ${index + 1}`);
  before?.(child);
  signal(pid, 'SIGKILL');
  return child;
}

/** Waits (polling /proc every 10 ms) for pattern-db `pid` to run `surreal import` of chunk `index`. */
export async function waitForImportChild(pid: number, index: number, timeoutMs = 120_000): Promise<number | undefined> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10))) {
    const child = await importChild(pid, index);
    if (child !== undefined) return child;
  }
  return undefined;
}

/** Resolves once process `pid` (not a child of this one) is gone. */
export async function exited(pid: number): Promise<void> {
  while (await fs.stat(`/proc/${pid}`).then(() => true, () => false)) await new Promise((r) => setTimeout(r, 20));
}
