// A folder the test's own user cannot write into, root included: mode 0555, or for root the immutable attribute.
import { promises as fs } from 'node:fs';
import { execa } from 'execa';

/** Runs `work` while `dir` cannot be written, then makes it writable again (a temp folder must stay removable). */
export async function whileUnwritable<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await execa('chattr', ['+i', dir]);
  else await fs.chmod(dir, 0o555);
  try {
    return await work();
  } finally {
    if (asRoot) await execa('chattr', ['-i', dir]);
    else await fs.chmod(dir, 0o755);
  }
}
