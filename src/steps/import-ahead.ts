// The import's records, sent as soon as the export (`surreal export`, or the in-process one) has written the file: the
// export step starts this, and while it checks the file (and the import step reads its plan), the records go in. The
// import step takes it over at the first deferred index, all records being in by then, and with it the full-text
// builds it began beside the records it held back (beside-builds.ts).
// It reads the file and cuts its first chunks while the export still writes it, so the first one leaves as soon
// as the file is written (20–160 ms after it, against 220–400 ms when cut after). It sends nothing before: on 2 cores
// the export and the server then share the CPU, and a 100,000-message run took 10 s longer (125.99 s against
// 116.13 s), a 5,000-message one 0.15 s (the median of 8 alternating pairs).
// Held in memory only: the export step journals that it may start, so a resumed run, which cannot know what reached
// the server, sends every chunk again as a replay.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { ImportChunk } from '../core/import-chunks.js';
import { deferred } from '../core/deferred.js';
import { importRepairer, type StatementRepairer } from '../core/statement-repairs.js';
import { followFile } from '../files/follow-file.js';
import { pauseAt } from '../files/pause-at.js';
import { CHUNKS_IN_FLIGHT, sendThroughWindow } from './chunks-in-flight.js';
import { runTargetClient, runTargetUrl } from './earlier-steps.js';
import { BesideBuilds } from './beside-builds.js';
import { importChunk, importChunks, refusedChunk, removeLeftChunkFiles } from './import-send.js';
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
      /** The full-text indexes it began to build, going on. */
      beside: BesideBuilds;
    }
  | {
      kind: 'stopped';
      error: Error;
      /** It began to build full-text indexes (stopped since): any index chunk may be in the target. */
      indexesBegun: boolean;
    }
) & {
  /** Chunks from 0 to sentBelow - 1 may be in the target, in part or in full. */
  sentBelow: number;
};

/**
 * A census of the snapshot read while the export runs: `opened` settles once its reader has opened the snapshot (a
 * damaged store is refused then), `counted` once the census is taken; each rejects when it fails.
 */
export interface CensusBeside {
  opened: Promise<unknown>;
  counted: Promise<unknown>;
}

/** A census taken before the export began. */
export const CENSUS_TAKEN: CensusBeside = { opened: Promise.resolve(), counted: Promise.resolve() };

export interface AheadProgress {
  skipped(chunk: ImportChunk): void;
  finished(chunk: ImportChunk): void;
}

/** Where PATTERN_DB_PAUSE_AT=import-ahead waits: past the chunks a resume replays anyway (CHUNKS_IN_FLIGHT). */
const PAUSE_AFTER_CHUNK = CHUNKS_IN_FLIGHT;

export class ImportAhead {
  private readonly controller = new AbortController();
  private readonly work: Promise<AheadOutcome>;
  private sentBelow = 0;
  /** The chunks done, in order, without their bodies. */
  private readonly done: ImportChunk[] = [];
  private progress: AheadProgress | undefined;
  private taken = false;

  /**
   * `file`: the export, open (the export step renames it once checked); `written` resolves once its writer is done, and
   * rejects if the export fails. The chunks are cut as the file grows; the first is sent once it is written. `census`:
   * one still being read; nothing is sent before its reader has opened the snapshot, nor before it is taken or a chunk
   * holds a record.
   */
  constructor(ctx: StepContext, file: fs.FileHandle, written: Promise<unknown>, census: CensusBeside = CENSUS_TAKEN) {
    this.work = this.run(ctx, file, written, census);
  }

  /** The export failed its checks or is written again by another writer: nothing more is sent. */
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
    const outcome = await this.work;
    // Once taken, its index builds are the import step's to end.
    if (!this.taken && outcome.kind === 'handed') await outcome.beside.stop();
  }

  private async run(ctx: StepContext, file: fs.FileHandle, written: Promise<unknown>, census: CensusBeside): Promise<AheadOutcome> {
    const signal = AbortSignal.any([ctx.signal, this.controller.signal]);
    const sendCtx: StepContext = { ...ctx, signal };
    const url = runTargetUrl(ctx);
    const http = runTargetClient(ctx);
    const hash = createHash('sha256');
    const repairer = importRepairer();
    async function* bytes(): AsyncGenerator<Buffer> {
      for await (const piece of followFile(file, written, signal)) {
        hash.update(piece);
        yield piece;
      }
    }
    const chunks = importChunks(ctx, bytes(), repairer);
    const beside = new BesideBuilds(sendCtx, http, url);
    let firstIndex: ImportChunk | undefined;
    const holdsRecord = deferred();
    async function* recordChunks(): AsyncGenerator<ImportChunk> {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        if (next.value.definesIndex) {
          firstIndex = next.value;
          return;
        }
        if (next.value.records > 0) holdsRecord.resolve();
        yield next.value;
      }
    }
    try {
      await removeLeftChunkFiles(ctx.options.stateDir);
      // Nothing reaches the server before the export is written, nor before the census's reader has opened the snapshot
      // (it refuses a store SurrealDB read only up to damage in its log, which the export's own copy cannot tell), nor
      // before the store is known to hold the database and its records: the census says so, or the file holds a record.
      // POST /import does not create the namespace or database: the first thing sent.
      const ready = written.then(() => Promise.all([census.opened, Promise.race([census.counted, holdsRecord.promise])])).then(() => http.ensureDatabase({ signal }));
      ready.catch(() => undefined);
      await sendThroughWindow(recordChunks(), {
        width: CHUNKS_IN_FLIGHT,
        send: async (chunk) => {
          await ready;
          this.sentBelow = Math.max(this.sentBelow, chunk.index + 1);
          if (chunk.startsBeside) {
            beside.start(chunk.startsBeside);
            await pauseAt('indexes-beside', ctx.options.stateDir);
          }
          const errors = await importChunk(sendCtx, http, url, chunk, false);
          if (errors.length) throw refusedChunk(chunk, errors);
          if (chunk.heldBack) beside.heldSent(chunk);
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
      await beside.stop();
      return { kind: 'stopped', error: error instanceof Error ? error : new Error(String(error)), indexesBegun: beside.begun, sentBelow: this.sentBelow };
    } finally {
      await file.close().catch(() => undefined);
    }
    return { kind: 'handed', sha256: hash.digest('hex'), done: this.done.length, rest: continuing(firstIndex, chunks), repairer, beside, sentBelow: this.sentBelow };
  }
}

async function* continuing(first: ImportChunk | undefined, rest: AsyncGenerator<ImportChunk>): AsyncGenerator<ImportChunk> {
  if (first) yield first;
  yield* rest;
}

const started = new WeakMap<RunShared, ImportAhead>();

/**
 * Whether the export step may begin this run's import: an import into a server already running (with --start-server it
 * starts only after the export) follows in this run, from the very file, and the target was checked empty (a resumed
 * run's may hold a part). An upgrade's file is repaired and validated as it is written. `--driver cli` begins here only
 * into a 3.x server, sending its chunks by `surreal import`: from a 3.x store, 5,000 messages then took 0.98 of the
 * by-hand path's time (5 rounds) against 1.03 (3 rounds) when its import began after the export. Into a 2.x server, the
 * run's time is the server's full-text build.
 */
export function mayImportAhead(ctx: StepContext): boolean {
  const { shared, options } = ctx;
  const route = ctx.state.preflight?.route;
  return Boolean(shared?.has('import') && !shared.has('server') && route && !options.dryRun && !options.resume && (options.driver !== 'cli' || route.target === 3));
}

/**
 * Opens `file` at once, before the export step can rename it; `written` and `census` as for the ImportAhead (`written`
 * already resolved for a file written in full).
 */
export async function startImportAhead(ctx: StepContext, file: string, written: Promise<unknown> = Promise.resolve(), census?: CensusBeside): Promise<void> {
  // Its failure is seen where the import awaits it, which may be later than it happens (even before the file opens):
  // never unhandled.
  written.catch(() => undefined);
  const shared = ctx.shared;
  if (!shared || started.has(shared)) return;
  const ahead = new ImportAhead(ctx, await fs.open(file, 'r'), written, census);
  started.set(shared, ahead);
  shared.onEnd(() => ahead.end());
}

/** An export that failed before it was written takes its import with it: nothing was sent, and another export may follow. */
export async function dropImportAhead(ctx: StepContext): Promise<void> {
  const ahead = importAheadOf(ctx);
  if (!ahead) return;
  started.delete(ctx.shared!);
  await ahead.end();
}

/** The import an earlier step of this run started, if one did. */
export function importAheadOf(ctx: StepContext): ImportAhead | undefined {
  return ctx.shared ? started.get(ctx.shared) : undefined;
}
