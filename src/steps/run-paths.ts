// The places a run writes to (its state folder, the export file, a new server's storage) stay clear of the store.
import path from 'node:path';
import type { RunOptions } from '../core/options.js';
import { assertOutsideStore } from '../files/store-overlap.js';
import { normaliseStorage, storageFolder } from '../surreal/server.js';

export async function assertRunPathsOutsideStore(options: RunOptions, store: string): Promise<void> {
  await assertOutsideStore(path.resolve(options.cwd, options.stateDir), store, '--state-dir');
  await assertOutsideStore(path.resolve(options.cwd, options.exportFile), store, '--export-file');
  const folder = options.startServer ? storageFolder(normaliseStorage(options.startServer, options.cwd)) : null;
  if (folder) await assertOutsideStore(folder, store, "The new server's storage (--start-server)");
}
