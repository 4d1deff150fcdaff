// The import's work plan, read from the export before anything is sent: a dump defines each table's indexes next to
// that table's data, so the last index is known only at the end of the file, but the time left needs it up front.
import { createReadStream } from 'node:fs';
import { parseIndexDefinition, type IndexDefinition } from '../core/index-definition.js';
import { planImportWork, type ImportWork } from '../core/import-work.js';
import type { Major } from '../core/route.js';
import { scanStatements } from '../core/surql-scan.js';

export async function importWorkOf(file: string, major: Major): Promise<ImportWork> {
  const recordsByTable: Record<string, number> = Object.create(null) as Record<string, number>;
  const indexes: IndexDefinition[] = [];
  for await (const statement of scanStatements(createReadStream(file, { encoding: 'utf8' }))) {
    if (statement.records > 0 && statement.table !== undefined) recordsByTable[statement.table] = (recordsByTable[statement.table] ?? 0) + statement.records;
    const index = statement.kind === 'define' ? parseIndexDefinition(statement.text) : undefined;
    if (index) indexes.push(index);
  }
  return planImportWork(recordsByTable, indexes, major);
}
