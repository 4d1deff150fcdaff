// A rename is durable only once its folder is synced: a power cut could otherwise lose it after later work relied on it.
import { promises as fs } from 'node:fs';

export async function syncFolder(dir: string): Promise<void> {
  // Windows cannot open a folder to sync it; its renames are not journaled this way.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
