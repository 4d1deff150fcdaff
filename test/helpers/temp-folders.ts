// The temporary folders a test file makes through the helpers (tempDir, patternFolder): store copies, state folders,
// servers' storage. remove-temp-folders.ts removes them when the file ends, after its own afterAll hooks; before, a
// full suite left about 60 of them (a gigabyte) in the temp folder. They keep their names and place: the end-to-end
// tests' screens show these paths, wrapped at 80 columns.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made = new Set<string>();

export function removeWhenFileEnds(dir: string): string {
  made.add(dir);
  return dir;
}

/** A new folder in the temporary folder, removed when the test file ends. */
export async function tempDir(prefix = 'pattern-db-test-'): Promise<string> {
  return removeWhenFileEnds(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
}

export async function removeMadeFolders(): Promise<void> {
  for (const dir of made) await fs.rm(dir, { recursive: true, force: true });
  made.clear();
}
