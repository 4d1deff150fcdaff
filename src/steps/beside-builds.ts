// The full-text indexes built while the held-back records go in (core/import-lanes.ts). Whoever sends the first
// held-back chunk starts them (the import the export step began, or the import step): a table's one after the other
// (two on one table conflict: "Transaction conflict … can be retried"), different tables' at once, so msg's long build
// need not wait for mem's three (with `--driver cli`, a `surreal import` each: 5,000 messages in 4.43 s against 4.54 s,
// medians of 6 alternating pairs). The import step waits for each when it reaches that index's own chunk, at the end as
// for every deferred index.
// Vector (HNSW) indexes are not among them. A vector index defined while a full-text index of its table builds makes
// that build fail with a retryable conflict. Defined CONCURRENTLY just before it, both were ready after 104.1 s, against
// 99.3 s one after the other (msg at 100,000 messages, a 3.3.5 memory server, one run each).
import { isAlreadyExistsError, isRetryableConflict, type BesideIndex, type ImportChunk } from '../core/import-chunks.js';
import type { IndexDefinition } from '../core/index-definition.js';
import type { SurrealHttp } from '../surreal/http.js';
import { importChunk, sendBesideIndex } from './import-send.js';
import type { StepContext } from './step.js';

type Outcome = { errors: string[] } | { thrown: unknown };

const keyOf = (index: IndexDefinition): string => `${index.table}\u0000${index.name}`;

export class BesideBuilds {
  private readonly controller = new AbortController();
  /** The run's context, with a signal that stop() also aborts. */
  private readonly ctx: StepContext;
  private readonly outcomes = new Map<string, Promise<Outcome>>();
  /** Each table's last build: a table's builds go one after the other, different tables' at once. */
  private readonly lastOfTable = new Map<string, Promise<unknown>>();
  private heldRecords = 0;

  constructor(
    ctx: StepContext,
    private readonly http: SurrealHttp,
    private readonly url: string,
  ) {
    this.ctx = { ...ctx, signal: AbortSignal.any([ctx.signal, this.controller.signal]) };
  }

  /** Whether a build was started: the index chunks may then be in the target already. */
  get begun(): boolean {
    return this.outcomes.size > 0;
  }

  /** `replay`: an earlier run may have built them already ("already exists" then does not count). */
  start(indexes: readonly BesideIndex[], { replay = false } = {}): void {
    for (const index of indexes) {
      const { table } = index.definition;
      const n = this.outcomes.size;
      const outcome = (this.lastOfTable.get(table) ?? Promise.resolve()).then(() => this.build(index.body, n, replay));
      this.outcomes.set(keyOf(index.definition), outcome);
      this.lastOfTable.set(table, outcome);
    }
  }

  /** A held-back chunk went in while they built. */
  heldSent(chunk: ImportChunk): void {
    this.heldRecords += chunk.records;
  }

  /** What the server said of the build of this chunk's index, once built; undefined if none was started. */
  async errorsOf(chunk: ImportChunk): Promise<string[] | undefined> {
    const outcome = chunk.definesIndex && (await this.outcomes.get(keyOf(chunk.definesIndex)));
    if (!outcome) return undefined;
    if ('thrown' in outcome) throw outcome.thrown;
    return outcome.errors;
  }

  /** What was built beside which records, once every build is done. */
  summary(): string | undefined {
    if (!this.begun) return undefined;
    const names = [...this.outcomes.keys()].map((key) => key.split('\u0000').reverse().join(' on '));
    return `Built ${names.join(', ')} while ${this.heldRecords} records of tables without a full-text index went in.`;
  }

  /** Stops the builds still running (a failed import) and waits for them. */
  async stop(): Promise<void> {
    this.controller.abort(new Error('The import stopped.'));
    await Promise.all(this.lastOfTable.values());
  }

  private async build(body: string, n: number, replay: boolean): Promise<Outcome> {
    try {
      this.ctx.signal.throwIfAborted();
      const errors = await sendBesideIndex(this.ctx, this.http, this.url, body, n, replay);
      return { errors: replay ? errors.filter((e) => !isAlreadyExistsError(e)) : errors };
    } catch (thrown) {
      return { thrown };
    }
  }
}

/**
 * Sends a chunk; for an index built beside the held-back records, waits for that build instead. A build refused only
 * with conflicts the server calls retryable is sent again, as a replay.
 */
export async function importOrAwaitBuilt(ctx: StepContext, http: SurrealHttp, url: string, chunk: ImportChunk, replay: boolean, beside: BesideBuilds): Promise<string[]> {
  const built = chunk.builtBeside ? await beside.errorsOf(chunk) : undefined;
  if (built !== undefined && !(built.length > 0 && built.every(isRetryableConflict))) return built;
  return importChunk(ctx, http, url, chunk, replay || built !== undefined);
}
