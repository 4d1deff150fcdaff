// The import's work plan, read from the export before anything is sent: a dump defines each table's indexes next to
// that table's data, so the last index is known only at the end of the file, but the time left needs it up front.
import { createReadStream } from 'node:fs';
import { ExportIndexReader, type ExportIndexes } from '../core/export-indexes.js';
import { planImportWork, type ImportWork } from '../core/import-work.js';
import type { Major } from '../core/route.js';
import { scanStatements } from '../core/surql-scan.js';

/**
 * `major`: the target's, when the run knows it (a restore does not); else the export's own syntax says it (full-text
 * is SEARCH in 2.x, FULLTEXT in 3.x), else 2, whose estimates are the longer.
 */
export async function importWorkOf(file: string, major?: Major): Promise<ImportWork> {
  const recordsByTable: Record<string, number> = Object.create(null) as Record<string, number>;
  const indexes = new ExportIndexReader();
  for await (const statement of scanStatements(createReadStream(file, { encoding: 'utf8' }))) {
    if (statement.records > 0 && statement.table !== undefined) recordsByTable[statement.table] = (recordsByTable[statement.table] ?? 0) + statement.records;
    indexes.add(statement);
  }
  return importWorkFrom(recordsByTable, indexes.result(), major);
}

/** The plan from what the export step read of the file as it checked it: the same plan, without reading it again. */
export function importWorkFrom(recordsByTable: Readonly<Record<string, number>>, indexes: ExportIndexes, major?: Major): ImportWork {
  return planImportWork(recordsByTable, indexes.definitions, major ?? indexes.syntax ?? 2);
}
