// Rewrites an export file statement by statement through a StatementRepairer, streaming, into a new file.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { StatementRepairer } from '../core/statement-repairs.js';
import { scanStatements } from '../core/surql-scan.js';

/** Writes `from` repaired into `to` (created, mode 0600); returns the records per table that were written. */
export async function repairExportFile(from: string, to: string, repairer: StatementRepairer): Promise<Record<string, number>> {
  const out = createWriteStream(to, { flags: 'wx', mode: 0o600 });
  const failed = once(out, 'error').then(([error]) => Promise.reject(error as Error));
  failed.catch(() => undefined);
  const counts: Record<string, number> = {};
  for await (const statement of scanStatements(createReadStream(from, { encoding: 'utf8' }))) {
    const text = repairer.repair(statement);
    if (text === null) continue;
    if (statement.records && statement.table) counts[statement.table] = (counts[statement.table] ?? 0) + statement.records;
    if (!out.write(`${text}\n`)) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return counts;
}
