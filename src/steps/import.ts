// Loads the export into the target over HTTP, in chunks (a few in flight at once), checking every statement and
// checkpointing the chunks done.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import type { ImportChunk } from '../core/import-chunks.js';
import { importRepairer, repairDiagnostics } from '../core/statement-repairs.js';
import { databaseExists, listTables, rootClient } from '../surreal/server-catalog.js';
import { pauseAt } from '../files/pause-at.js';
import { sha256File } from '../files/sha256-file.js';
import { CHUNKS_IN_FLIGHT, sendThroughWindow } from './chunks-in-flight.js';
import { runTargetClient, runTargetUrl } from './earlier-steps.js';
import { ImportProgress } from './import-progress.js';
import { importAheadOf, type AheadOutcome } from './import-ahead.js';
import { BesideBuilds, importOrAwaitBuilt } from './beside-builds.js';
import { chunkingOf, importChunks, refusedChunk, removeLeftChunkFiles } from './import-send.js';
import { importWorkFrom, importWorkOf } from './import-work.js';
import type { ImportWork } from '../core/import-work.js';
import type { ImportResult } from './run-state.js';
import { needingManagedServer } from './managed-server-stopped.js';
import type { Step, StepContext } from './step.js';
import { startVerifyAhead } from './verify-ahead.js';

interface Checkpoint {
  chunksDone: number;
  records: number;
  /** The export file the chunks are cut from: a resume must load the same file, or its chunk numbers mean nothing. */
  exportSha256: string;
  /** Chunks below this may be in the target already, sent by the import the export step began (import-ahead.ts). */
  replayBelow?: number;
  /** Full-text indexes began to build beside the held-back records (beside-builds.ts): any index chunk may be in. */
  indexesBegun?: true;
  /** How the file was cut (chunkingOf): the chunk numbers above count only under the same cut. */
  chunking: string;
}

/** Every chunk: what the import the export step began sent is not known. */
const REPLAY_ALL = Number.MAX_SAFE_INTEGER;

function exportFileOf(ctx: StepContext): string {
  return ctx.state.export?.file ?? path.resolve(ctx.options.cwd, ctx.options.exportFile);
}

/** A failed INFO is not taken for an empty target (a resume would then start over on top of the data). */
async function targetIsEmpty(ctx: StepContext, url: string): Promise<boolean> {
  const { username, password, namespace, database } = ctx.options;
  const root = rootClient({ url, username, ...(password !== undefined ? { password } : {}) });
  if (!(await databaseExists(root, namespace, database))) return true;
  return (await listTables(root, namespace, database)).length === 0;
}

/** The export's checksum: the export step's (checked on resume like its file), else the file's own. */
async function exportChecksum(ctx: StepContext, file: string): Promise<string> {
  return ctx.state.export?.file === file ? ctx.state.export.sha256 : sha256File(file);
}

/** The import's plan, from what the export step read of this very file when it checked it, else from a read of it. */
async function importWorkFor(ctx: StepContext, file: string): Promise<ImportWork> {
  const major = ctx.state.preflight?.route?.target;
  const exported = ctx.state.export;
  return exported?.file === file && exported.indexes ? importWorkFrom(exported.recordsByTable, exported.indexes, major) : importWorkOf(file, major);
}

function assertSameExport(file: string, saved: Partial<Checkpoint>, exportSha256: string): void {
  // A journal written before the checksum was kept cannot be checked.
  if (saved.exportSha256 === undefined || saved.exportSha256 === exportSha256) return;
  throw new PatternDbError('E_JOURNAL', `The export file ${file} is not the one the interrupted import was loading: its checksum changed.`, {
    evidence: `journaled sha256: ${saved.exportSha256}\nnow: ${exportSha256}`,
    fix: 'Put back the file the interrupted run was loading and run with --resume again, or load this file into an empty database without --resume.',
  });
}

/** What a request to a server that stopped answering fails with. */
const SERVER_GONE = ['E_CONN_LOST', 'E_CONN_REFUSED', 'E_TIMEOUT'];

/** `work`, with a server that stops answering meanwhile reported as such, with the records imported by then. */
async function whileServerAnswers<T>(work: () => Promise<T>, progress: ImportProgress, total: number): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PatternDbError && SERVER_GONE.includes(error.code)) throw lostServer(error, progress.recordsDone, total);
    throw error;
  }
}

function lostServer(error: PatternDbError, records: number, total: number): PatternDbError {
  return new PatternDbError(error.code, `The server stopped answering during the import, after ${records} of ${total} records.`, {
    evidence: error.evidence ?? error.message,
    fix: 'Start the server again (pattern-db server start …, or check it), then run the same command with --resume: it continues from the last finished chunk.',
  });
}

/**
 * The records the import begun by the export step sent, once it has sent them all; undefined when it began none. Its
 * chunks count only if it read the very export file this step checked (else, or when it stopped, this step starts
 * from the file's first chunk and replays what it sent).
 */
async function takeImportAhead(ctx: StepContext, progress: ImportProgress, total: number, exportSha256: string, url: string): Promise<AheadOutcome | undefined> {
  const ahead = importAheadOf(ctx);
  if (!ahead) return undefined;
  const outcome = await ahead.take(progress);
  if (outcome.kind === 'stopped' && outcome.error instanceof PatternDbError && SERVER_GONE.includes(outcome.error.code)) {
    throw lostServer(outcome.error, progress.recordsDone, total);
  }
  // A replay would take the statement's "already exists" for its own earlier write: the refusal stands.
  if (outcome.kind === 'stopped' && outcome.error instanceof PatternDbError && outcome.error.code === 'E_STATEMENT') throw outcome.error;
  if (outcome.kind === 'stopped') {
    ctx.report.log(`The import the export step began stopped (${outcome.error.message}); starting from the first chunk, sending again the ${outcome.sentBelow} chunk(s) it sent.`, 'stderr');
    return outcome;
  }
  const startOver = async (error: Error, sentBelow: number): Promise<AheadOutcome> => {
    await outcome.beside.stop();
    return { kind: 'stopped', error, indexesBegun: outcome.beside.begun, sentBelow };
  };
  if (outcome.sha256 !== exportSha256) {
    ctx.report.log('The import the export step began read other bytes than the export file holds now; starting from the first chunk, sending every chunk again.', 'stderr');
    return startOver(new Error('another file'), REPLAY_ALL);
  }
  if (outcome.done > 0 && (await whileServerAnswers(() => targetIsEmpty(ctx, url), progress, total))) {
    ctx.report.diagnostic({ level: 'warn', code: 'W_TARGET_RESET', message: 'The target no longer holds the records the export step began to send (a memory server restarted?): importing from the start.' });
    return startOver(new Error('target reset'), outcome.sentBelow);
  }
  ctx.report.diagnostic({
    level: 'info',
    code: 'I_IMPORT_AHEAD',
    message: `The import began once the export file was written, while it was checked: ${progress.recordsDone} records in ${outcome.done} chunks went in.`,
  });
  return outcome;
}

// Wrapped: with its managed server gone, the step says so instead of what it saw of it.
export const importStep: Step<ImportResult> = needingManagedServer('the import', {
  name: 'import',
  title: 'Import into the server',
  // A finished import is looked at again: a memory server started again since has lost it.
  rerunOnResume: true,
  async run(ctx) {
    const { options, report } = ctx;
    const url = runTargetUrl(ctx);
    const targetHasData = !(await targetIsEmpty(ctx, url));
    const earlier = ctx.earlierResult as ImportResult | undefined;
    if (earlier && targetHasData) {
      report.diagnostic({ level: 'info', code: 'I_IMPORT_KEPT', message: `Imported by the earlier run (${earlier.records} records); ${url} still holds them.` });
      return earlier;
    }
    if (earlier) {
      report.diagnostic({
        level: 'warn',
        code: 'W_TARGET_RESET',
        message: 'The target no longer holds what the earlier run imported (a memory server started again?): importing from the start.',
      });
    }
    const http = runTargetClient(ctx);
    const file = exportFileOf(ctx);
    const total = ctx.state.export?.records ?? Object.values(ctx.state.preflight?.sourceCounts ?? {}).reduce((a, b) => a + b, 0);
    const saved = ctx.resumedFrom as Partial<Checkpoint> | undefined;
    const exportSha256 = await exportChecksum(ctx, file);
    if (saved) assertSameExport(file, saved, exportSha256);
    const chunking = chunkingOf(ctx);
    const recut = saved?.chunksDone !== undefined && saved.chunking !== chunking;
    if (recut) {
      report.diagnostic({
        level: 'warn',
        code: 'W_IMPORT_RECUT',
        message: 'The interrupted run cut the export into other chunks (an earlier pattern-db, or another chunk size): every chunk is sent again, and what is there already is no error.',
      });
    }
    let skip = recut ? 0 : (saved?.chunksDone ?? 0);
    if (skip > 0 && !targetHasData) {
      report.diagnostic({
        level: 'warn',
        code: 'W_TARGET_RESET',
        message: 'The target no longer holds the chunks imported before the interruption (a memory server restarted?): importing from the start.',
      });
      skip = 0;
    }
    // On a resumed run the chunks just after the checkpoint may be applied already, in part or in full: they were in
    // flight when the run stopped, or finished before the chunks ahead of them. Only the first CHUNKS_IN_FLIGHT can
    // have been sent (see chunks-in-flight.ts); they are replayed even when the target looks empty: the stopped run's
    // `surreal import` may still be running, and land its statements after this look. The import the export step began
    // (import-ahead.ts), stopped before this step's first checkpoint, may have sent any chunk.
    const aheadUnaccounted = ctx.state.export?.importStarted === true && saved?.chunksDone === undefined;
    let replayBelow = options.resume ? Math.max(skip + CHUNKS_IN_FLIGHT, aheadUnaccounted || recut ? REPLAY_ALL : (saved?.replayBelow ?? 0)) : -1;
    // The import the export step began removed them before it wrote its own, which may be in flight now.
    if (!importAheadOf(ctx)) await removeLeftChunkFiles(options.stateDir);
    const started = Date.now();
    // Records go in from here on: the source's range digests wait until they all are, the server having the CPU
    // meanwhile (`sdk`, 5,000 messages: 5.07-5.28 s against 5.32-5.53 s with the digests read at once, 5 alternating
    // pairs; 20,000: 16.24-16.66 s against 17.17-17.97 s, 3 pairs; `--start-server`, 5,000 messages: 5.03-5.26 s
    // against 5.31-5.35 s, 5 pairs). One the export step began goes on as it was.
    const verifyAhead = startVerifyAhead(ctx, Promise.resolve());
    const work = await importWorkFor(ctx, file);
    let progress = new ImportProgress(report, work, total);
    const ahead = await takeImportAhead(ctx, progress, total, exportSha256, url);
    if (ahead?.kind === 'handed') skip = ahead.done;
    else if (ahead) {
      progress = new ImportProgress(report, work, total);
      replayBelow = Math.max(replayBelow, ahead.sentBelow);
    }
    // An earlier run, or the import the export step began and stopped, may have built indexes: their chunks are replays.
    const indexesMayBeIn = saved?.indexesBegun === true || (ahead?.kind === 'stopped' && ahead.indexesBegun) || replayBelow === REPLAY_ALL;
    const beside = ahead?.kind === 'handed' ? ahead.beside : new BesideBuilds(ctx, http, url);
    let indexesBegun = indexesMayBeIn || beside.begun;
    const checkpoint = (chunksDone: number, records: number) =>
      ctx.checkpoint({
        chunksDone,
        records,
        exportSha256,
        chunking,
        ...(replayBelow > chunksDone + CHUNKS_IN_FLIGHT ? { replayBelow } : {}),
        ...(indexesBegun ? { indexesBegun: true as const } : {}),
      } satisfies Checkpoint);
    let checkpointedRecords = ahead?.kind === 'handed' ? progress.recordsDone : 0;
    await checkpoint(skip, skip > 0 ? (ahead?.kind === 'handed' ? checkpointedRecords : (saved?.records ?? 0)) : 0);
    // POST /import does not create the namespace or database (`surreal import` does): define them first.
    await whileServerAnswers(() => http.ensureDatabase({ signal: ctx.signal }), progress, total);
    let recordsIn = false;
    const allRecordsIn = async () => {
      if (recordsIn) return;
      recordsIn = true;
      await pauseAt('records-in', options.stateDir);
      verifyAhead?.dataLoaded();
    };
    let chunks = skip;
    const repairer = ahead?.kind === 'handed' ? ahead.repairer : importRepairer();
    const cut = ahead?.kind === 'handed'
      ? ahead.rest
      : importChunks(ctx, createReadStream(file), repairer);
    async function* unfinished(): AsyncGenerator<ImportChunk> {
      for await (const chunk of { [Symbol.asyncIterator]: () => cut }) {
        chunks = chunk.index + 1;
        if (chunk.index >= skip) yield chunk;
        else {
          progress.skipped(chunk);
          checkpointedRecords += chunk.records;
        }
      }
    }
    try {
      await sendThroughWindow(unfinished(), {
        width: CHUNKS_IN_FLIGHT,
        send: async (chunk) => {
          // Deferred indexes come after every record, and a chunk of them starts only once all before it are done.
          if (chunk.definesIndex) await allRecordsIn();
          if (chunk.startsBeside) {
            // Journaled first: a resumed run must take their chunks for replays. Held-back chunks go alone, so every
            // chunk before this one is done and checkpointed.
            indexesBegun = true;
            await checkpoint(chunk.index, checkpointedRecords);
            beside.start(chunk.startsBeside, { replay: indexesMayBeIn });
            await pauseAt('indexes-beside', options.stateDir);
          }
          progress.starting(chunk);
          const replay = chunk.index < replayBelow || (indexesMayBeIn && chunk.definesIndex !== undefined);
          const errors = await whileServerAnswers(() => importOrAwaitBuilt(ctx, http, url, chunk, replay, beside), progress, total);
          if (errors.length) throw refusedChunk(chunk, errors);
          if (chunk.heldBack) beside.heldSent(chunk);
          progress.finished(chunk);
        },
        prefixDone: async (chunk) => {
          checkpointedRecords += chunk.records;
          await checkpoint(chunk.index + 1, checkpointedRecords);
        },
      });
    } finally {
      await beside.stop();
    }
    await allRecordsIn();
    const besideSaid = beside.summary();
    if (besideSaid) report.diagnostic({ level: 'info', code: 'I_INDEXES_BESIDE', message: besideSaid });
    for (const diagnostic of repairDiagnostics(repairer.repairs, 'Adjusted on the way in')) ctx.report.diagnostic(diagnostic);
    const records = progress.recordsDone;
    report.diagnostic({ level: 'info', code: 'I_IMPORTED', message: `Imported ${records} records in ${chunks} chunks into ${url}` });
    return { url, chunks, records, ms: Date.now() - started, exportFile: file, exportSha256, ...(earlier ? { startedOver: true } : {}) };
  },
});
