// Puts the records of tables without a full-text index after everything else, so that the full-text indexes (one
// core each, for most of the import's time) can build while those records go in. Measured on this machine (2 cores,
// a 3.3.5 memory server, generated Pattern stores): 20,000 messages loaded and indexed in 11.6 s instead of 13.6 s
// (probe at 5,000: 2.9 s instead of 3.3 s); the records of agent_messages and the small tables took 3.5 s, hidden
// behind the 8.8 s of msg's full-text index. The order between tables does not matter to the records themselves.
import { parseIndexDefinition } from './index-definition.js';
import type { Statement } from './surql-scan.js';

export interface LanedStatement extends Statement {
  /** An insert held back until every other statement: it goes in while the full-text indexes build. */
  held?: true;
}

/** Where held-back statements wait: in memory, or on disk (files/held-statements-file.ts). */
export interface StatementHold {
  add(statement: Statement): Promise<void>;
  /** What was added, in order; the hold is empty afterwards. */
  release(): AsyncIterable<Statement>;
  /** Drops what was added (the statements are not wanted any more). */
  discard(): Promise<void>;
}

export class MemoryHold implements StatementHold {
  private held: Statement[] = [];
  async add(statement: Statement): Promise<void> {
    this.held.push(statement);
  }
  async *release(): AsyncGenerator<Statement> {
    const held = this.held;
    this.held = [];
    yield* held;
  }
  async discard(): Promise<void> {
    this.held = [];
  }
}

/**
 * Records held back at most. Beyond it they are let go in the file's order, and nothing more is held: whatever the
 * store's size, the hold stays bounded. A 100,000-message Pattern store holds back about 30 MB (agent_messages).
 */
export const HOLD_BYTES = 64 * 1024 * 1024;

const sizeOf = (statement: Statement): number => statement.text.length;

/**
 * The statements, with the inserts into tables that have no full-text index (as the DEFINE INDEX statements before
 * them say: a dump defines a table before its records) held back to the end in `hold`. Anything but a definition or
 * an insert (whose effect may depend on the records before it) lets what is held go first, in order, and ends the
 * holding.
 */
export async function* holdBackUnindexed(statements: AsyncIterable<Statement>, hold: StatementHold = new MemoryHold(), holdBytes = HOLD_BYTES): AsyncGenerator<LanedStatement> {
  const fullText = new Set<string>();
  let heldBytes = 0;
  let holding = true;
  function letGo(): AsyncIterable<Statement> {
    holding = false;
    return hold.release();
  }
  try {
    for await (const statement of statements) {
      const insert = statement.kind === 'insert' || statement.kind === 'insert-relation';
      if (statement.kind === 'define') {
        const index = parseIndexDefinition(statement.text);
        if (index?.kind === 'full-text') fullText.add(index.table);
      } else if (holding && insert && statement.table !== undefined && !fullText.has(statement.table)) {
        await hold.add(statement);
        heldBytes += sizeOf(statement);
        if (heldBytes > holdBytes) yield* letGo();
        continue;
      } else if (holding && !insert && statement.kind !== 'option') yield* letGo();
      yield statement;
    }
    // Nothing builds beside them without a full-text index.
    if (fullText.size === 0) return yield* letGo();
    for await (const statement of letGo()) yield { ...statement, held: true };
  } finally {
    await hold.discard();
  }
}
