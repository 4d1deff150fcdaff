// Groups dump statements into /import request bodies of a bounded size.
import { PatternDbError } from './errors.js';
import { parseIndexDefinition, type IndexDefinition } from './index-definition.js';
import type { Statement } from './surql-scan.js';

export interface ImportChunk {
  index: number;
  /** 'OPTION IMPORT;\n' once, then the statements separated by '\n'. */
  body: string;
  statements: number;
  records: number;
  recordsByTable: Record<string, number>;
  /** Source bytes of the statements in this chunk, and of any OPTION IMPORT dropped before them. */
  bytes: number;
  /**
   * The sum of `bytes` over this and all earlier chunks. Without deferred indexes this is the source
   * offset just after the chunk's last statement; with them it is only a deterministic running total.
   */
  endOffset: number;
  /** Tables the statements define or insert into, in order of first appearance. */
  tables: string[];
  /** Every statement inserts records (INSERT, INSERT RELATION): nothing in it defines what other chunks need. */
  recordsOnly: boolean;
  /** A deferred DEFINE INDEX, sent alone: the chunk's only statement. */
  definesIndex?: IndexDefinition;
}

export interface ChunkOptions {
  maxBytes: number;
  /**
   * Hold DEFINE INDEX back until all data is in (building full-text and HNSW indexes once is faster), then send each
   * in a chunk of its own: an index can take minutes to build, and its chunk's end is the only progress it shows.
   */
  deferIndexes?: boolean;
}

// A 3.0.4+ server wants this first in every request body, and only once.
const HEADER = 'OPTION IMPORT;\n';

export async function* chunkStatements(
  statements: AsyncIterable<Statement> | Iterable<Statement>,
  opts: ChunkOptions,
): AsyncGenerator<ImportChunk> {
  if (!(opts.maxBytes > 0)) {
    throw new PatternDbError('E_USAGE', `The import chunk size must be a positive number of bytes, not ${opts.maxBytes}.`);
  }
  let index = 0;
  let offset = 0;
  let open = new OpenChunk();
  const deferred: Statement[] = [];

  const close = (): ImportChunk => {
    offset += open.bytes;
    const chunk = open.finish(index++, offset);
    open = new OpenChunk();
    return chunk;
  };
  const sizeOf = (statement: Statement): number => Buffer.byteLength(statement.text, 'utf8') + 1;
  function* place(statement: Statement): Generator<ImportChunk> {
    const size = sizeOf(statement);
    if (open.statements > 0 && open.size + size > opts.maxBytes) yield close();
    open.add(statement, size);
  }

  for await (const statement of statements) {
    if (statement.kind === 'option' && /^OPTION\s+IMPORT\b/i.test(statement.text)) open.bytes += statement.bytes;
    else if (opts.deferIndexes && statement.kind === 'define' && /^DEFINE\s+INDEX\b/i.test(statement.text)) {
      deferred.push(statement);
    } else yield* place(statement);
  }
  if (open.statements > 0) yield close();
  for (const statement of deferred) {
    open.add(statement, sizeOf(statement));
    const chunk = close();
    const definesIndex = parseIndexDefinition(statement.text);
    yield definesIndex ? { ...chunk, definesIndex } : chunk;
  }
}

class OpenChunk {
  private readonly texts: string[] = [];
  private readonly byTable: Record<string, number> = Object.create(null) as Record<string, number>;
  private readonly tables = new Set<string>();
  private records = 0;
  private onlyInserts = true;
  /** Body bytes so far: the header's newline doubles as the first separator. */
  size = HEADER.length - 1;
  bytes = 0;

  get statements(): number {
    return this.texts.length;
  }

  add(statement: Statement, size: number): void {
    this.texts.push(statement.text);
    this.size += size;
    this.bytes += statement.bytes;
    this.records += statement.records;
    if (statement.kind !== 'insert' && statement.kind !== 'insert-relation') this.onlyInserts = false;
    const table = statement.table;
    if (table === undefined) return;
    this.tables.add(table);
    if (statement.records > 0) this.byTable[table] = (this.byTable[table] ?? 0) + statement.records;
  }

  finish(index: number, endOffset: number): ImportChunk {
    return {
      index,
      body: HEADER + this.texts.join('\n'),
      statements: this.texts.length,
      records: this.records,
      recordsByTable: this.byTable,
      bytes: this.bytes,
      endOffset,
      tables: [...this.tables],
      recordsOnly: this.onlyInserts,
    };
  }
}

/** Whether a server error only says that a record or definition is already there, as on a resumed import. */
export function isAlreadyExistsError(text: string): boolean {
  return /already\s+exists/i.test(text);
}

/**
 * Whether a server error is a transaction conflict SurrealDB itself calls retryable: another writer committed the same
 * keys first. 2.6.5, to a DEFINE INDEX replayed while the import an interrupted run left behind still built it: "The
 * query was not executed due to a failed transaction. Failed to commit transaction due to a read or write conflict.
 * This transaction can be retried".
 */
export function isRetryableConflict(text: string): boolean {
  return /can be retried/i.test(text);
}
