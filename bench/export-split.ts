// The fast by-hand path's one trick: an export cut into its statements (core/surql-scan.ts), every DEFINE INDEX moved
// to a second file, so that `surreal import` loads the data first and builds each index once, after it.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseIndexDefinition } from '../src/core/index-definition.js';
import { scanStatements, type Statement } from '../src/core/surql-scan.js';

export type ExportPart = 'data' | 'indexes';

export interface SplitCounts {
  /** Statements written to each part, the OPTIONs written to both not counted. */
  data: number;
  indexes: number;
}

/** The parts a statement goes to: an OPTION to both (3.x's /import refuses a file that does not start with `OPTION IMPORT;`). */
export function partsOf(statement: Statement): ExportPart[] {
  if (statement.kind === 'option') return ['data', 'indexes'];
  return statement.kind === 'define' && parseIndexDefinition(statement.text) ? ['indexes'] : ['data'];
}

/** Sends each statement of the export, in order, to its parts, one statement a line; counts the DEFINE INDEXes moved. */
export async function splitExport(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  write: (part: ExportPart, text: string) => void | Promise<void>,
): Promise<SplitCounts> {
  const counts: SplitCounts = { data: 0, indexes: 0 };
  for await (const statement of scanStatements(source)) {
    const parts = partsOf(statement);
    if (parts.length === 1) counts[parts[0]!] += 1;
    for (const part of parts) await write(part, `${statement.text}\n`);
  }
  return counts;
}

async function writeTo(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function closed(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/** The export file split into `dataFile` and `indexFile`, streamed: memory stays one statement. */
export async function splitExportFile(exportFile: string, dataFile: string, indexFile: string): Promise<SplitCounts> {
  const out = { data: createWriteStream(dataFile), indexes: createWriteStream(indexFile) };
  try {
    return await splitExport(createReadStream(exportFile), (part, text) => writeTo(out[part], text));
  } finally {
    await Promise.all([closed(out.data), closed(out.indexes)]);
  }
}
