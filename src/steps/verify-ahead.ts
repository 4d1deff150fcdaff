// The verification's record comparison, started by the export or the import so that it overlaps what the server does
// anyway. The source (another process) reads its range digests first; once every record is in, the records are
// compared while the server builds the indexes (an index build never changes a record). The verify step then compares
// the definitions, which need the indexes, and takes the records' comparison from here. Held in memory only: a
// resumed run, or an import that kept an earlier run's data, leaves the verify step to do it all.
import type { DatabaseInfo } from '../surreal/embedded-protocol.js';
import { readDatabaseInfo } from '../surreal/server-catalog.js';
import type { SourceStore } from '../surreal/source-store.js';
import type { VerifyMethod } from '../core/verify-report.js';
import { deferred } from '../core/deferred.js';
import { requirePreflight, runTargetClient } from './earlier-steps.js';
import { takeKeptSource } from './kept-source.js';
import { SourceRangesAhead } from './source-ranges-ahead.js';
import type { RunShared } from './run-shared.js';
import type { StepContext } from './step.js';
import { VERIFY_PAGE, verifyAllRecords, type RecordsCompared } from './verify-records.js';
import { openSnapshot } from './source-census.js';
import { verifyMethodFor } from './verify-source.js';

export interface VerifiedAhead {
  /** Open; whoever takes it closes it. */
  source: SourceStore;
  targetVersion: string;
  method: VerifyMethod;
  sourceInfo: DatabaseInfo;
  records: RecordsCompared;
}

export class VerifyAhead {
  private readonly controller = new AbortController();
  private readonly dataIn = deferred();
  private loading = false;
  private recordsIn = false;
  private readonly work: Promise<VerifiedAhead>;
  private source?: SourceStore;
  private taken = false;

  /**
   * Starts reading the source at once; with `pauseFrom`, the source waits from when it resolves until `dataLoaded()`.
   * The target is read only after `dataLoaded()`.
   */
  constructor(ctx: StepContext, pauseFrom?: Promise<unknown>) {
    const stop = () => this.controller.abort();
    if (ctx.signal.aborted) stop();
    else ctx.signal.addEventListener('abort', stop, { once: true });
    pauseFrom?.then(() => (this.loading = true), () => undefined);
    this.work = this.run(ctx);
    this.work.catch(() => undefined);
  }

  /** Every record is in the target: the comparison may start. */
  dataLoaded(): void {
    this.recordsIn = true;
    this.dataIn.resolve();
  }

  /** What was verified ahead, handed over with its open source; or why it could not be (the caller does it again). */
  async take(): Promise<VerifiedAhead | Error> {
    this.taken = true;
    return this.work.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }

  /** Stops what is still running and lets go of the source, unless it was taken. */
  async end(): Promise<void> {
    if (this.taken) return;
    this.controller.abort();
    await this.work.catch(() => undefined);
    await this.source?.close().catch(() => undefined);
  }

  private async run(ctx: StepContext): Promise<VerifiedAhead> {
    const signal = this.controller.signal;
    const target = runTargetClient(ctx);
    try {
      const targetVersion = await target.version({ signal });
      this.source = takeKeptSource(ctx) ?? (await openSnapshot(ctx, requirePreflight(ctx), signal));
      const source = this.source;
      const method = verifyMethodFor(source, targetVersion);
      const sourceInfo = await source.info();
      const notWhileLoading = () => (this.loading && !this.recordsIn ? this.whenDataIn(signal) : Promise.resolve());
      const sourceRanges = method.records === 'hash' ? await SourceRangesAhead.read(source, sourceInfo.tables, VERIFY_PAGE, signal, notWhileLoading) : undefined;
      await this.whenDataIn(signal);
      const targetInfo = await readDatabaseInfo(target);
      const records = await verifyAllRecords(method.records, { source, target, signal, ...(sourceRanges ? { sourceRanges } : {}) }, { source: sourceInfo, target: targetInfo });
      return { source, targetVersion, method, sourceInfo, records };
    } catch (error) {
      await this.source?.close().catch(() => undefined);
      this.source = undefined;
      throw error;
    }
  }

  private whenDataIn(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      void this.dataIn.promise.then(resolve);
    });
  }
}

const started = new WeakMap<RunShared, VerifyAhead>();
/**
 * Starts the record comparison when a verification of the run's snapshot follows in this run; undefined when none
 * does (`import` alone, or a restore, whose own step named verify compares with its backup).
 */
export function startVerifyAhead(ctx: StepContext, pauseFrom?: Promise<unknown>): VerifyAhead | undefined {
  const shared = ctx.shared;
  if (!shared?.has('verify') || ctx.options.dryRun || !ctx.state.preflight?.snapshot) return undefined;
  const begun = started.get(shared);
  if (begun) return begun;
  const ahead = new VerifyAhead(ctx, pauseFrom);
  started.set(shared, ahead);
  shared.onEnd(() => ahead.end());
  return ahead;
}

/**
 * Starts it from the export step, once the census has read the snapshot, when the target is a server that already
 * runs: the source's range digests are then read while `surreal export` still writes, on the core the census used.
 * Once the export is written (`written`), the import the export step began sends the records: what is left of the
 * digests waits until every record is in. A small store's census outlasts the export, and digests read while the
 * records loaded slowed both (README, "the import starts the verification's record comparison"). Started by the
 * import step (the in-process export), they wait until every record is in as well (import.ts).
 */
export function startVerifyAheadDuringExport(ctx: StepContext, written: Promise<unknown>): void {
  if (ctx.state.preflight?.target && !ctx.shared?.has('server')) startVerifyAhead(ctx, written);
}

/** The comparison an earlier step of this run started, if one did. */
export function verifyAheadOf(ctx: StepContext): VerifyAhead | undefined {
  return ctx.shared ? started.get(ctx.shared) : undefined;
}
