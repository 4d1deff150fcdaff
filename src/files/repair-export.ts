// Rewrites an export statement by statement through a StatementRepairer, streaming, into a new file.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { StatementRepairer } from '../core/statement-repairs.js';
import { ExportIndexReader } from '../core/export-indexes.js';
import { scanStatements } from '../core/surql-scan.js';
import type { ExportTally } from './export-tally.js';
import { privateWriteStream } from './private-files.js';

/** Hears each statement as written (its text and newline), and may hold the writing back while it catches up. */
export interface WrittenStatements {
  add(statement: Buffer): Promise<void>;
}

export interface RepairListeners {
  onRecords?: (records: number, table: string) => void;
  /** Hears every statement written. */
  alsoTo?: WrittenStatements;
  /** Called once `to` exists, before anything is written to it (a reader may then follow it as it grows). */
  onCreated?: () => Promise<void>;
}

/**
 * Writes a dump as it arrives (a server's export body, a file another process writes) repaired into `to` (created, mode
 * 0600), so it is written once; returns the records per table, the indexes and the checksum of what was written.
 */
export async function repairExport(
  dump: AsyncIterable<string | Uint8Array>,
  to: string,
  repairer: StatementRepairer,
  { onRecords, alsoTo, onCreated }: RepairListeners = {},
): Promise<ExportTally> {
  const out = privateWriteStream(to);
  const failed = once(out, 'error').then(([error]) => Promise.reject(error as Error));
  failed.catch(() => undefined);
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  let records = 0;
  let bytes = 0;
  const indexes = new ExportIndexReader();
  try {
    if (onCreated) {
      await once(out, 'open');
      await onCreated();
    }
    for await (const statement of scanStatements(dump)) {
      const text = repairer.repair(statement);
      if (text === null) continue;
      indexes.add({ ...statement, text });
      if (statement.records && statement.table) {
        counts[statement.table] = (counts[statement.table] ?? 0) + statement.records;
        records += statement.records;
        onRecords?.(records, statement.table);
      }
      const line = Buffer.from(`${text}\n`);
      hash.update(line);
      bytes += line.length;
      if (!out.write(line)) await Promise.race([once(out, 'drain'), failed]);
      await alsoTo?.add(line);
    }
  } catch (error) {
    // The file descriptor is not left open until the stream is collected; the caller removes the half file.
    out.destroy();
    throw error;
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { recordsByTable: counts, records, sha256: hash.digest('hex'), bytes, indexes: indexes.result() };
}
