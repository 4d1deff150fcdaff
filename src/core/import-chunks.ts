// Groups dump statements into /import request bodies of a bounded size.
import { PatternDbError } from './errors.js';
import { parseIndexDefinition, type IndexDefinition } from './index-definition.js';
import type { LanedStatement } from './import-lanes.js';

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
  /** Records held back (core/import-lanes.ts): sent one at a time, the server's other core building indexes. */
  heldBack?: true;
  /**
   * On the first held-back chunk: the full-text indexes to start building, one after the other, once every chunk before
   * it is in. Their own chunks come later, as for every deferred index, marked `builtBeside`.
   */
  startsBeside?: BesideIndex[];
  /** A full-text index the first held-back chunk started building: its chunk waits for that build, not send it. */
  builtBeside?: true;
}

export interface BesideIndex {
  definition: IndexDefinition;
  /** The request body, the same as its own chunk's. */
  body: string;
}

export interface ChunkOptions {
  maxBytes: number;
  /**
   * Hold DEFINE INDEX back until all data is in (building full-text and HNSW indexes once is faster), then send each
   * in a chunk of its own: an index can take minutes to build, and its chunk's end is the only progress it shows.
   * Measured against a 3.3.5 memory server at 100,000 messages (2 cores): with msg's full-text index defined before
   * its records, they took 131 s to go in; without it, about 13 s, and the index then built in 69-97 s. Defined
   * CONCURRENTLY before them (the server queues each write for its builder), it was ready 186 s after the import began.
   */
  deferIndexes?: boolean;
}

// A 3.0.4+ server wants this first in every request body, and only once.
const HEADER = 'OPTION IMPORT;\n';

export async function* chunkStatements(
  statements: AsyncIterable<LanedStatement> | Iterable<LanedStatement>,
  opts: ChunkOptions,
): AsyncGenerator<ImportChunk> {
  if (!(opts.maxBytes > 0)) {
    throw new PatternDbError('E_USAGE', `The import chunk size must be a positive number of bytes, not ${opts.maxBytes}.`);
  }
  let index = 0;
  let offset = 0;
  let open = new OpenChunk();
  const deferred: LanedStatement[] = [];
  const beside = new Set<LanedStatement>();
  let besideChosen = false;

  const close = (): ImportChunk => {
    offset += open.bytes;
    const chunk = open.finish(index++, offset);
    open = new OpenChunk();
    return chunk;
  };
  const sizeOf = (statement: LanedStatement): number => Buffer.byteLength(statement.text, 'utf8') + 1;
  function* place(statement: LanedStatement): Generator<ImportChunk> {
    const size = sizeOf(statement);
    if (open.statements > 0 && (open.size + size > opts.maxBytes || open.held !== Boolean(statement.held))) yield close();
    if (statement.held && open.statements === 0) startBesideOnFirstHeld();
    open.add(statement, size);
  }
  function startBesideOnFirstHeld(): void {
    if (besideChosen || !opts.deferIndexes) return;
    besideChosen = true;
    const fullText = deferred.filter((statement) => parseIndexDefinition(statement.text)?.kind === 'full-text');
    for (const statement of fullText) beside.add(statement);
    open.startsBeside = fullText.map((statement) => ({ definition: parseIndexDefinition(statement.text)!, body: HEADER + statement.text }));
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
    yield definesIndex ? { ...chunk, definesIndex, ...(beside.has(statement) ? { builtBeside: true as const } : {}) } : chunk;
  }
}

class OpenChunk {
  private readonly texts: string[] = [];
  private readonly byTable: Record<string, number> = Object.create(null) as Record<string, number>;
  private readonly tables = new Set<string>();
  private records = 0;
  private onlyInserts = true;
  held = false;
  startsBeside: BesideIndex[] | undefined;
  /** Body bytes so far: the header's newline doubles as the first separator. */
  size = HEADER.length - 1;
  bytes = 0;

  get statements(): number {
    return this.texts.length;
  }

  add(statement: LanedStatement, size: number): void {
    if (this.texts.length === 0) this.held = Boolean(statement.held);
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
      ...(this.held ? { heldBack: true as const } : {}),
      ...(this.startsBeside?.length ? { startsBeside: this.startsBeside } : {}),
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
