// Before anything moves: the config step at the end of a migration will be able to rewrite the config, and to write
// it (a new file and a backup beside it), so a run is not stopped there after the data has moved.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { rewriteDatabaseSection } from '../core/config-rewrite.js';
import { PatternDbError } from '../core/errors.js';
import { patternUrlFor, targetUrl, type RunOptions } from '../core/options.js';
import type { LoadedConfig } from '../files/config-files.js';

/** Stands in for a server the wizard has not asked for yet: the rewrite's shape does not depend on the URL. */
const ANY_SERVER = 'http://127.0.0.1:8000';

export async function assertConfigRewritable(config: LoadedConfig, options: RunOptions): Promise<void> {
  rewriteDatabaseSection(config.text, { url: patternUrlFor(targetUrl(options) ?? ANY_SERVER), namespace: options.namespace, database: options.database });
  const folder = path.dirname(await fs.realpath(config.path));
  const writable = await fs.access(folder, fs.constants.W_OK | fs.constants.X_OK).then(() => true, () => false);
  if (!writable) {
    throw new PatternDbError('E_NOT_WRITABLE', `The config's folder ${folder} cannot be written, so the migration could not point Pattern at the server at its end (the new config and a backup of the old one are written there). Nothing was changed.`, {
      fix: `Run pattern-db as a user who may write ${folder} (its owner), or give this user that right, then run again.`,
    });
  }
}
