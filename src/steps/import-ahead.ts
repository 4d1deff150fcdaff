// The import's records, sent while `surreal export` is still writing them: the export step starts this on the file
// being written, and the import step takes it over at the first deferred index (all records are in by then), once the
// export is written and checked. Held in memory only: the export step journals that it started, so that a resumed
// run, which cannot know what reached the server, sends every chunk again as a replay.
import { createHash } from 'node:crypto';
import { PatternDbError } from '../core/errors.js';
import { chunkStatements, type ImportChunk } from '../core/import-chunks.js';
import { isUpgrade } from '../core/route.js';
import { importRepairer, type StatementRepairer } from '../core/statement-repairs.js';
import { scanStatements } from '../core/surql-scan.js';
import { pauseAt } from '../files/pause-at.js';
import { tailFile } from '../files/tail-file.js';
import { SurrealHttp } from '../surreal/http.js';
import { CHUNKS_IN_FLIGHT, sendThroughWindow } from './chunks-in-flight.js';
import { runTargetUrl } from './earlier-steps.js';
import { importChunk, importChunkBytes, repairedStatements } from './import-send.js';
import type { RunShared } from './run-shared.js';
import type { StepContext } from './step.js';

/** What the import step is handed. */
export type AheadOutcome = (
  | {
      kind: 'handed';
      /** Of every byte it read: the import step holds it against the export's own. */
      sha256: string;
      /** Chunks 0 to done - 1 are in the target. */
      done: number;
      /** The chunks still to send (the deferred indexes), from chunk `done` on. */
      rest: AsyncIterator<ImportChunk>;
      /** It saw every statement: its repairs are the import's. */
      repairer: StatementRepairer;
    }
  | {
      kind: 'stopped';
      error: Error;
    }
) & {
  /** Chunks from 0 to sentBelow - 1 may be in the target, in part or in full. */
  sentBelow: number;
};

export interface AheadProgress {
  skipped(chunk: ImportChunk): void;
  finished(chunk: ImportChunk): void;
}

/** Where PATTERN_DB_PAUSE_AT=import-ahead waits: past the chunks a resume replays anyway (CHUNKS_IN_FLIGHT). */
const PAUSE_AFTER_CHUNK = CHUNKS_IN_FLIGHT;

export class ImportAhead {
  private readonly controller = new AbortController();
  private readonly work: Promise<AheadOutcome>;
  private written: number | undefined;
  private sentBelow = 0;
  /** The chunks done, in order, without their bodies. */
  private readonly done: ImportChunk[] = [];
  private progress: AheadProgress | undefined;
  private taken = false;

  /** `file`: where the export is being written, created anew before its writer started. */
  constructor(ctx: StepContext, file: string) {
    this.work = this.run(ctx, file);
  }

  /** The export is written, `size` bytes long, and checked. */
  exportWritten(size: number): void {
    this.written = size;
    this.recordsWhenWritten = this.recordsDone();
  }

  /** Records in the target when the export was written: what the import gained by starting with it. */
  recordsWhenWritten = 0;

  private recordsDone(): number {
    return this.done.reduce((sum, chunk) => sum + chunk.records, 0);
  }

  /** The export failed or is written by another writer now: nothing more is sent. */
  stop(): void {
    this.controller.abort(new Error('The export it followed stopped.'));
  }

  /** Waits until every record chunk is done (or the sending stopped); `progress` hears of each chunk. */
  async take(progress: AheadProgress): Promise<AheadOutcome> {
    this.taken = true;
    for (const chunk of this.done) progress.skipped(chunk);
    this.progress = progress;
    return this.work;
  }

  /** Stops what still runs, unless the import step took it. */
  async end(): Promise<void> {
    if (!this.taken) this.stop();
    await this.work;
  }

  private async run(ctx: StepContext, file: string): Promise<AheadOutcome> {
    const signal = AbortSignal.any([ctx.signal, this.controller.signal]);
    const sendCtx: StepContext = { ...ctx, signal };
    const url = runTargetUrl(ctx);
    const { options } = ctx;
    const http = new SurrealHttp({ url, username: options.username, password: options.password, namespace: options.namespace, database: options.database });
    const hash = createHash('sha256');
    const repairer = importRepairer();
    const written = () => this.written;
    async function* bytes(): AsyncGenerator<Buffer> {
      for await (const piece of tailFile(file, { finalSize: written, signal })) {
        hash.update(piece);
        yield piece;
      }
    }
    const chunks = chunkStatements(repairedStatements(scanStatements(bytes()), repairer), { maxBytes: importChunkBytes(), deferIndexes: true });
    let firstIndex: ImportChunk | undefined;
    async function* recordChunks(): AsyncGenerator<ImportChunk> {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        if (next.value.definesIndex) {
          firstIndex = next.value;
          return;
        }
        yield next.value;
      }
    }
    try {
      // POST /import does not create the namespace or database.
      await http.ensureDatabase({ signal });
      await sendThroughWindow(recordChunks(), {
        width: CHUNKS_IN_FLIGHT,
        send: async (chunk) => {
          this.sentBelow = Math.max(this.sentBelow, chunk.index + 1);
          const errors = await importChunk(sendCtx, http, url, chunk, false);
          if (errors.length) throw new PatternDbError('E_STATEMENT', `The server refused a statement in chunk ${chunk.index + 1}.`, { evidence: errors.slice(0, 3).join('\n') });
        },
        prefixDone: async (chunk) => {
          const summary = { ...chunk, body: '' };
          this.done.push(summary);
          this.progress?.finished(summary);
          if (chunk.index === PAUSE_AFTER_CHUNK) await pauseAt('import-ahead', ctx.options.stateDir);
        },
      });
    } catch (error) {
      await chunks.return(undefined).catch(() => undefined);
      return { kind: 'stopped', error: error instanceof Error ? error : new Error(String(error)), sentBelow: this.sentBelow };
    }
    return { kind: 'handed', sha256: hash.digest('hex'), done: this.done.length, rest: continuing(firstIndex, chunks), repairer, sentBelow: this.sentBelow };
  }
}

async function* continuing(first: ImportChunk | undefined, rest: AsyncGenerator<ImportChunk>): AsyncGenerator<ImportChunk> {
  if (first) yield first;
  yield* rest;
}

const started = new WeakMap<RunShared, ImportAhead>();

/**
 * Whether this run's export may feed its import as it is written: an import over HTTP into a server already running
 * (with --start-server it starts only after the export) follows in this run, from the very file (an upgrade repairs
 * and validates the whole file first), and the target was checked empty (a resumed run's may hold a part).
 */
export function mayImportAhead(ctx: StepContext): boolean {
  const { shared, options } = ctx;
  const route = ctx.state.preflight?.route;
  return Boolean(shared?.has('import') && !shared.has('server') && route && !isUpgrade(route) && !options.dryRun && !options.resume && options.driver !== 'cli');
}

export function startImportAhead(ctx: StepContext, file: string): ImportAhead | undefined {
  const shared = ctx.shared;
  if (!shared || started.has(shared)) return undefined;
  const ahead = new ImportAhead(ctx, file);
  started.set(shared, ahead);
  shared.onEnd(() => ahead.end());
  return ahead;
}

/** The import an earlier step of this run started, if one did. */
export function importAheadOf(ctx: StepContext): ImportAhead | undefined {
  return ctx.shared ? started.get(ctx.shared) : undefined;
}
