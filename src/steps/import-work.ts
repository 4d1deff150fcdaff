// The import's work plan, read from the export before anything is sent: a dump defines each table's indexes next to
// that table's data, so the last index is known only at the end of the file, but the time left needs it up front.
import { createReadStream } from 'node:fs';
import { parseIndexDefinition, type IndexDefinition } from '../core/index-definition.js';
import { planImportWork, type ImportWork } from '../core/import-work.js';
import type { Major } from '../core/route.js';
import { scanStatements } from '../core/surql-scan.js';

/**
 * `major`: the target's, when the run knows it (a restore does not); else the export's own syntax says it (full-text
 * is SEARCH in 2.x, FULLTEXT in 3.x), else 2, whose estimates are the longer.
 */
export async function importWorkOf(file: string, major?: Major): Promise<ImportWork> {
  const recordsByTable: Record<string, number> = Object.create(null) as Record<string, number>;
  const indexes: IndexDefinition[] = [];
  let syntax: Major | undefined;
  for await (const statement of scanStatements(createReadStream(file, { encoding: 'utf8' }))) {
    if (statement.records > 0 && statement.table !== undefined) recordsByTable[statement.table] = (recordsByTable[statement.table] ?? 0) + statement.records;
    const index = statement.kind === 'define' ? parseIndexDefinition(statement.text) : undefined;
    if (!index) continue;
    indexes.push(index);
    syntax ??= /\sFULLTEXT\s+ANALYZER\b/i.test(statement.text) ? 3 : /\sSEARCH\s+ANALYZER\b/i.test(statement.text) ? 2 : undefined;
  }
  return planImportWork(recordsByTable, indexes, major ?? syntax ?? 2);
}
