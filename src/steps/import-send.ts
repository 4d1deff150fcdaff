// Sends import chunks to the target and says which of the server's statement errors count; cuts a dump into those chunks.
import { promises as fs, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PatternDbError } from '../core/errors.js';
import { chunkStatements, isAlreadyExistsError, isRetryableConflict, type ImportChunk } from '../core/import-chunks.js';
import { HOLD_BYTES, holdBackUnindexed } from '../core/import-lanes.js';
import { cutInserts } from '../core/insert-cuts.js';
import { HeldStatementsFile } from '../files/held-statements-file.js';
import type { StatementRepairer } from '../core/statement-repairs.js';
import { scanStatements, type Statement } from '../core/surql-scan.js';
import { cliImport } from '../surreal/cli.js';
import type { SurrealHttp } from '../surreal/http.js';
import { programOf } from './programs.js';
import type { StepContext } from './step.js';

const IMPORT_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The most bytes of statements in one import request. PATTERN_DB_IMPORT_CHUNK_BYTES, a test hook like
 * PATTERN_DB_PAUSE_AT, cuts a small store into many chunks.
 */
function importChunkBytes(env: Record<string, string | undefined> = process.env): number {
  const asked = Number(env.PATTERN_DB_IMPORT_CHUNK_BYTES);
  return Number.isInteger(asked) && asked > 0 ? asked : IMPORT_CHUNK_BYTES;
}

/** Where --driver cli writes a chunk for its `surreal import`. */
function chunkFile(ctx: StepContext, chunk: ImportChunk): string {
  return path.join(ctx.options.stateDir, `import-chunk-${chunk.index}.surql`);
}
/** Where it writes the `n`th index built beside the held-back records (different tables' build at once). */
const besideIndexFile = (n: number): string => `import-beside-index-${n}.surql`;

/** Removes the chunk files a killed run left behind (it never reached its cleanup): they hold records. */
export async function removeLeftChunkFiles(stateDir: string): Promise<void> {
  const names = await fs.readdir(stateDir).catch(() => [] as string[]);
  const left = names.filter((name) => /^import-(chunk|beside-index)-\d+\.surql$/.test(name));
  for (const name of left) await fs.rm(path.join(stateDir, name), { force: true });
}

/** Sends one chunk; returns the statement errors the server reported. */
function sendChunk(ctx: StepContext, http: SurrealHttp, url: string, chunk: ImportChunk, replay: boolean): Promise<string[]> {
  return sendBody(ctx, http, url, chunk.body, chunkFile(ctx, chunk), replay);
}

/** Sends the DEFINE INDEX of the `n`th index built beside the held-back records (beside-builds.ts), as its chunk would go. */
export function sendBesideIndex(ctx: StepContext, http: SurrealHttp, url: string, body: string, n: number, replay: boolean): Promise<string[]> {
  return sendBody(ctx, http, url, body, path.join(ctx.options.stateDir, besideIndexFile(n)), replay);
}

/** Sends one request body; `file` is where `surreal import` reads it from. */
async function sendBody(ctx: StepContext, http: SurrealHttp, url: string, body: string, file: string, replay: boolean): Promise<string[]> {
  // Only --driver cli imports with `surreal import`: POST /import loads the same chunks a quarter faster (the server
  // spends more of its CPU on a CLI's import; bench/import-streams.ts). `surreal import` stops at the first error, so
  // a replayed chunk (whose statements may already exist) goes over HTTP. The CLI only talks to servers of its own major.
  const pre = ctx.state.preflight;
  const cli = pre?.route && ctx.options.driver === 'cli' ? programOf(pre, pre.route.target) : undefined;
  if (replay || !cli) return (await http.importBody(body, { signal: ctx.signal })).errors.map((e) => e.message);
  // Written at once: fs.promises.writeFile takes a turn of the event loop per 512 KiB, each waiting behind the cutting
  // of the next chunk, and a 4 MB chunk reached its `surreal import` 0.1 s later than this.
  writeFileSync(file, body, { mode: 0o600 });
  const importFile = (credentials: { token: string } | { username: string; password?: string }) =>
    cliImport({
      bin: cli.path,
      endpoint: url,
      namespace: ctx.options.namespace,
      database: ctx.options.database,
      file,
      ...credentials,
      signal: ctx.signal,
      onLine: (stream, line) => ctx.report.log(line, stream),
    });
  const password = { username: ctx.options.username, ...(ctx.options.password ? { password: ctx.options.password } : {}) };
  try {
    // Signed in with the run's root session: 5,000 messages in 5.13-5.42 s against 5.39-5.63 s with a password per
    // `surreal import` (6 alternating pairs), the server then checking one hash per chunk and index.
    const token = await http.sessionToken(ctx.signal);
    try {
      await importFile(token ? { token } : password);
    } catch (error) {
      // A token that lapsed since the sign-in (a root user's last an hour by default) is refused before anything is
      // imported: the chunk goes again with the password, which then says whether the credentials themselves are wrong.
      if (!token || !(error instanceof PatternDbError && error.code === 'E_AUTH')) throw error;
      http.forgetSessionToken(token);
      await importFile(password);
    }
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
export async function importChunk(ctx: StepContext, http: SurrealHttp, url: string, chunk: ImportChunk, replay: boolean): Promise<string[]> {
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

/** A chunk with a statement the server refused: the run stops there. */
export function refusedChunk(chunk: ImportChunk, errors: string[]): PatternDbError {
  return new PatternDbError('E_STATEMENT', `The server refused a statement in chunk ${chunk.index + 1} of the import.`, {
    evidence: errors.slice(0, 3).join('\n'),
    fix: 'Read the server\'s message above. Earlier chunks stay imported; fix the cause, then run again with --resume.',
  });
}

/**
 * Whether the import holds back the records of tables without a full-text index (core/import-lanes.ts), to send them
 * while those indexes build: measured with 3.x servers only.
 */
function holdsBackRecords(ctx: StepContext): boolean {
  return ctx.state.preflight?.route?.target === 3;
}

/**
 * How the import cuts an export into chunks: a resume counts the chunks the stopped run finished only under the same
 * cut. The leading number goes up whenever chunkStatements, the lanes (core/import-lanes.ts) or the cutting of long
 * INSERTs (core/insert-cuts.ts) cut differently.
 */
export function chunkingOf(ctx: StepContext): string {
  return `2 ${importChunkBytes()} bytes, ${holdsBackRecords(ctx) ? `up to ${HOLD_BYTES} bytes held back` : 'in file order'}`;
}

/** Where the records held back wait, on disk: at most one import of a run cuts the export at a time. */
function heldRecordsFile(ctx: StepContext): string {
  return path.join(ctx.options.stateDir, 'import-held-records.jsonl');
}

/**
 * The import's chunks of a dump's bytes, long INSERTs cut (core/insert-cuts.ts) and statements repaired on the way (see
 * core/statement-repairs.ts), indexes held to the end, and when the run holds back records (holdsBackRecords), the
 * records of tables without a full-text index just before them, set aside in heldRecordsFile meanwhile.
 */
export function importChunks(ctx: StepContext, dump: AsyncIterable<string | Uint8Array>, repairer: StatementRepairer): AsyncGenerator<ImportChunk> {
  const repaired = repairedStatements(cutInserts(scanStatements(dump)), repairer);
  const laned = holdsBackRecords(ctx) ? holdBackUnindexed(repaired, new HeldStatementsFile(heldRecordsFile(ctx))) : repaired;
  return chunkStatements(laned, { maxBytes: importChunkBytes(), deferIndexes: true });
}

/** The statements as the server should get them (see core/export-repair.ts). */
async function* repairedStatements(statements: AsyncIterable<Statement>, repairer: StatementRepairer): AsyncGenerator<Statement> {
  for await (const statement of statements) {
    const text = repairer.repair(statement);
    if (text !== null) yield text === statement.text ? statement : { ...statement, text };
  }
}
