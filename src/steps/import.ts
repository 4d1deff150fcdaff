// Loads the export into the target over HTTP, in chunks (a few in flight at once), checking every statement and
// checkpointing the chunks done.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PatternDbError } from '../core/errors.js';
import { chunkStatements, isAlreadyExistsError, isRetryableConflict, type ImportChunk } from '../core/import-chunks.js';
import { importRepairer, repairDiagnostics, type StatementRepairer } from '../core/statement-repairs.js';
import { scanStatements, type Statement } from '../core/surql-scan.js';
import { cliImport } from '../surreal/cli.js';
import { SurrealHttp } from '../surreal/http.js';
import { databaseExists, listTables, rootClient } from '../surreal/server-catalog.js';
import { pauseAt } from '../files/pause-at.js';
import { sha256File } from '../files/sha256-file.js';
import { CHUNKS_IN_FLIGHT, sendThroughWindow } from './chunks-in-flight.js';
import { runTargetUrl } from './earlier-steps.js';
import { ImportProgress } from './import-progress.js';
import { importWorkOf } from './import-work.js';
import { programOf } from './programs.js';
import type { ImportResult } from './run-state.js';
import { needingManagedServer } from './managed-server-stopped.js';
import type { Step, StepContext } from './step.js';
import { startVerifyAhead } from './verify-ahead.js';

export const IMPORT_CHUNK_BYTES = 4 * 1024 * 1024;

interface Checkpoint {
  chunksDone: number;
  records: number;
  /** The export file the chunks are cut from: a resume must load the same file, or its chunk numbers mean nothing. */
  exportSha256: string;
}

function exportFileOf(ctx: StepContext): string {
  return ctx.state.export?.file ?? path.resolve(ctx.options.cwd, ctx.options.exportFile);
}

function chunkFile(ctx: StepContext, chunk: ImportChunk): string {
  return path.join(ctx.options.stateDir, `import-chunk-${chunk.index}.surql`);
}

/** Chunk files a killed run left behind (it never reached its cleanup); they hold records, so they do not stay. */
async function removeLeftChunkFiles(stateDir: string): Promise<void> {
  const names = await fs.readdir(stateDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => /^import-chunk-\d+\.surql$/.test(n))) await fs.rm(path.join(stateDir, name), { force: true });
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

function assertSameExport(file: string, saved: Partial<Checkpoint>, exportSha256: string): void {
  // A journal written before the checksum was kept cannot be checked.
  if (saved.exportSha256 === undefined || saved.exportSha256 === exportSha256) return;
  throw new PatternDbError('E_JOURNAL', `The export file ${file} is not the one the interrupted import was loading: its checksum changed.`, {
    evidence: `journaled sha256: ${saved.exportSha256}\nnow: ${exportSha256}`,
    fix: 'Put back the file the interrupted run was loading and run with --resume again, or load this file into an empty database without --resume.',
  });
}

/** Sends one chunk; returns the statement errors the server reported. */
async function sendChunk(ctx: StepContext, http: SurrealHttp, url: string, chunk: ImportChunk, replay: boolean): Promise<string[]> {
  // Only --driver cli imports with `surreal import`: POST /import loads the same chunks a quarter faster (the server
  // spends more of its CPU on a CLI's import; bench/import-streams.ts). `surreal import` stops at the first error, so
  // a replayed chunk (whose statements may already exist) goes over HTTP. The CLI only talks to servers of its own major.
  const pre = ctx.state.preflight;
  const cli = pre?.route && ctx.options.driver === 'cli' ? programOf(pre, pre.route.target) : undefined;
  if (replay || !cli) return (await http.importBody(chunk.body, { signal: ctx.signal })).errors.map((e) => e.message);
  const file = chunkFile(ctx, chunk);
  await fs.writeFile(file, chunk.body, { mode: 0o600 });
  try {
    await cliImport({
      bin: cli.path,
      endpoint: url,
      namespace: ctx.options.namespace,
      database: ctx.options.database,
      file,
      username: ctx.options.username,
      ...(ctx.options.password ? { password: ctx.options.password } : {}),
      signal: ctx.signal,
      onLine: (stream, line) => ctx.report.log(line, stream),
    });
    return [];
  } catch (error) {
    if (error instanceof PatternDbError && error.code === 'E_IMPORT') return [error.evidence ?? error.message];
    throw error;
  } finally {
    await fs.rm(file, { force: true });
  }
}

/** Pauses before each new attempt at a chunk the server refused only with retryable conflicts. */
const CONFLICT_PAUSES_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

/**
 * Sends a chunk and returns the errors that count. A replayed chunk (in flight when an earlier run stopped) may be
 * partly applied already, so "already exists" does not count there. A chunk refused only with conflicts the server
 * calls retryable is sent again, as a replay, after a pause: after pattern-db itself is killed, the server still runs
 * the import it was sent (2.6.5 finishes an /import whose client has gone), and the resumed run's replay of the same
 * chunk collides with it.
 */
async function importChunk(ctx: StepContext, http: SurrealHttp, url: string, chunk: ImportChunk, replay: boolean): Promise<string[]> {
  const counted = (errors: string[], replayed: boolean) => (replayed ? errors.filter((e) => !isAlreadyExistsError(e)) : errors);
  let errors = counted(await sendChunk(ctx, http, url, chunk, replay), replay);
  for (const pause of CONFLICT_PAUSES_MS) {
    if (errors.length === 0 || !errors.every(isRetryableConflict)) return errors;
    ctx.report.log(`Chunk ${chunk.index + 1}: ${errors.length} statement(s) collided with another write to the same records (the server says it "can be retried"); sending the chunk again in ${pause / 1000} s.`, 'stderr');
    await sleep(pause, undefined, { signal: ctx.signal }).catch(() => {
      throw new PatternDbError('E_CANCELLED', `Cancelled while waiting to send chunk ${chunk.index + 1} again.`);
    });
    errors = counted(await sendChunk(ctx, http, url, chunk, true), true);
  }
  return errors;
}

function lostServer(error: PatternDbError, records: number, total: number): PatternDbError {
  return new PatternDbError(error.code, `The server stopped answering during the import, after ${records} of ${total} records.`, {
    evidence: error.evidence ?? error.message,
    fix: 'Start the server again (pattern-db server start …, or check it), then run the same command with --resume: it continues from the last finished chunk.',
  });
}

/** The statements as the server should get them (see core/export-repair.ts). */
async function* repairedStatements(statements: AsyncIterable<Statement>, repairer: StatementRepairer): AsyncGenerator<Statement> {
  for await (const statement of statements) {
    const text = repairer.repair(statement);
    if (text !== null) yield text === statement.text ? statement : { ...statement, text };
  }
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
    const http = new SurrealHttp({ url, username: options.username, password: options.password, namespace: options.namespace, database: options.database });
    const file = exportFileOf(ctx);
    const total = ctx.state.export?.records ?? Object.values(ctx.state.preflight?.sourceCounts ?? {}).reduce((a, b) => a + b, 0);
    const saved = ctx.resumedFrom as Partial<Checkpoint> | undefined;
    const exportSha256 = await exportChecksum(ctx, file);
    if (saved) assertSameExport(file, saved, exportSha256);
    let skip = saved?.chunksDone ?? 0;
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
    // `surreal import` may still be running, and land its statements after this look.
    const replayBelow = options.resume ? skip + CHUNKS_IN_FLIGHT : -1;
    await removeLeftChunkFiles(options.stateDir);
    await ctx.checkpoint({ chunksDone: skip, records: skip > 0 ? (saved?.records ?? 0) : 0, exportSha256 } satisfies Checkpoint);
    // POST /import does not create the namespace or database (`surreal import` does): define them first.
    await http.ensureDatabase({ signal: ctx.signal });
    const verifyAhead = startVerifyAhead(ctx);
    let recordsIn = false;
    const allRecordsIn = async () => {
      if (recordsIn) return;
      recordsIn = true;
      await pauseAt('records-in', options.stateDir);
      verifyAhead?.dataLoaded();
    };
    const started = Date.now();
    const progress = new ImportProgress(report, await importWorkOf(file, ctx.state.preflight?.route?.target), total);
    let chunks = 0;
    let checkpointedRecords = 0;
    const repairer = importRepairer();
    const statements = repairedStatements(scanStatements(createReadStream(file, { encoding: 'utf8' })), repairer);
    async function* unfinished(): AsyncGenerator<ImportChunk> {
      for await (const chunk of chunkStatements(statements, { maxBytes: IMPORT_CHUNK_BYTES, deferIndexes: true })) {
        chunks = chunk.index + 1;
        if (chunk.index >= skip) yield chunk;
        else {
          progress.skipped(chunk);
          checkpointedRecords += chunk.records;
        }
      }
    }
    await sendThroughWindow(unfinished(), {
      width: CHUNKS_IN_FLIGHT,
      send: async (chunk) => {
        // Deferred indexes come after every record, and a chunk of them starts only once all before it are done.
        if (chunk.definesIndex) await allRecordsIn();
        progress.starting(chunk);
        let errors: string[];
        try {
          errors = await importChunk(ctx, http, url, chunk, chunk.index < replayBelow);
        } catch (error) {
          if (error instanceof PatternDbError && ['E_CONN_LOST', 'E_CONN_REFUSED', 'E_TIMEOUT'].includes(error.code)) {
            throw lostServer(error, progress.recordsDone, total);
          }
          throw error;
        }
        if (errors.length) {
          throw new PatternDbError('E_STATEMENT', `The server refused a statement in chunk ${chunk.index + 1} of the import.`, {
            evidence: errors.slice(0, 3).join('\n'),
            fix: 'Read the server\'s message above. Earlier chunks stay imported; fix the cause, then run again with --resume.',
          });
        }
        progress.finished(chunk);
      },
      prefixDone: async (chunk) => {
        checkpointedRecords += chunk.records;
        await ctx.checkpoint({ chunksDone: chunk.index + 1, records: checkpointedRecords, exportSha256 } satisfies Checkpoint);
      },
    });
    await allRecordsIn();
    for (const diagnostic of repairDiagnostics(repairer.repairs, 'Adjusted on the way in')) ctx.report.diagnostic(diagnostic);
    const records = progress.recordsDone;
    report.diagnostic({ level: 'info', code: 'I_IMPORTED', message: `Imported ${records} records in ${chunks} chunks into ${url}` });
    return { url, chunks, records, ms: Date.now() - started, exportFile: file, exportSha256, ...(earlier ? { startedOver: true } : {}) };
  },
});
