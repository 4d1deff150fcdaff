// What the wizard's last screen offers to do at once: Pattern's own user (into .env) and the first backup.
import path from 'node:path';
import type { SummaryLine } from '../core/done-summary.js';
import { reporterFor, type Emit } from '../core/events.js';
import type { RunOptions } from '../core/options.js';
import { writeEnvFile } from '../files/config-files.js';
import { createAppUser } from '../ops/app-user.js';
import { runBackup } from '../ops/backup.js';
import { DEFAULT_KEEP } from './backup.js';
import { DEFAULT_APP_USER } from './user.js';
import { megabytes } from '../core/byte-size.js';

/** The server the data went to, signed in as its root user. */
export interface AdminAccess {
  url: string;
  username: string;
  password: string;
}

export async function createPatternUser(admin: AdminAccess, options: RunOptions): Promise<SummaryLine> {
  const user = await createAppUser({ ...admin, name: DEFAULT_APP_USER, replace: false });
  const envFile = await writeEnvFile(options.cwd, { SURREAL_USER: user.name, SURREAL_PASS: user.password });
  return { label: 'Pattern signs in as', value: `${user.name} (root EDITOR); SURREAL_USER/SURREAL_PASS in ${envFile} (mode 0600)` };
}

export async function makeFirstBackup(admin: AdminAccess, options: RunOptions, emit: Emit): Promise<SummaryLine> {
  const backup = await runBackup({
    source: { kind: 'remote', ...admin, namespace: options.namespace, database: options.database },
    dir: path.join(options.cwd, 'backups'),
    keep: DEFAULT_KEEP,
    report: reporterFor('backup', emit),
  });
  return { label: 'First backup', value: `${backup.file} (${megabytes(backup.bytes)}, ${backup.records} records, verified)` };
}
