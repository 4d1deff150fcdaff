// Dumps the source database to a file: through the surreal binary, or in-process through the embedded engine.
import { promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import path from 'node:path';
import { diskFilledWhileWriting, isDiskFull, PatternDbError } from '../core/errors.js';
import { watchExportProgress } from '../files/watch-export.js';
import { tallyFile, type ExportTally } from '../files/export-tally.js';
import { cliExport, cliPartialPath } from '../surreal/cli.js';
import { EmbeddedStore, EMBEDDED_ENGINE } from '../surreal/embedded.js';
import { dueCompaction } from '../surreal/surrealkv-compaction.js';
import { embeddedEngineOf, storeMajor, writeAsItIs, type SourceStore } from '../surreal/source-store.js';
import { linkedCopy } from '../surreal/store.js';
import { exportReaderEnv } from '../surreal/store-reader-env.js';
import { repairDiagnostics, type AppliedRepair } from '../core/statement-repairs.js';
import { isUpgrade } from '../core/route.js';
import { followFile } from '../files/follow-file.js';
import { pauseAt } from '../files/pause-at.js';
import { UpgradeWhileWritten } from './upgrade-while-written.js';
import { requirePreflight } from './earlier-steps.js';
import { programOf, requireProgram } from './programs.js';
import type { ExportResult, PreflightResult, ProgramRef, SourceCensus } from './run-state.js';
import { censusOf, earlierCensus, openSnapshot, takeCensus } from './source-census.js';
import { CENSUS_TAKEN, dropImportAhead, importAheadOf, mayImportAhead, startImportAhead, type CensusBeside } from './import-ahead.js';
import { keepSourceForVerify, takeKeptSource } from './kept-source.js';
import { startVerifyAheadDuringExport, verifyAheadOf } from './verify-ahead.js';
import { V3IssueReader, type V3Issue } from '../core/v3-issues.js';
import type { Step, StepContext } from './step.js';
import { megabytes } from '../core/byte-size.js';
import { deferred } from '../core/deferred.js';

/** The folder `surreal export` reads, and whether that process is the only one that opens it. */
interface CliSource {
  dir: string;
  /** A throwaway copy only the export opens: the census may read the snapshot meanwhile. */
  own: boolean;
  dispose: () => Promise<void>;
}

/**
 * The run's snapshot (the store is copied once per run, under its lock). Some stores are exported from a throwaway copy
 * of that snapshot instead, so the census's reader may open the snapshot meanwhile and stay open for the verification:
 * - a store in the 3.0 format: a surreal 3.1+ stamps whatever it opens with its storage version, and the in-process
 *   engine that reads the snapshot later (verify) could not read it. That copy shares the snapshot's table files
 *   (linkedCopy); the export fails if any of them changed.
 * - a store written by SurrealDB 3.1 or later (`--driver cli`), copied the same way: `surreal export` does the index
 *   work the store left queued and leaves it in the log of what it read (103 MB at 100,000 messages), which the private
 *   server reading the snapshot would then replay. That server takes the census beside the export and stays open for
 *   the verification.
 * - a store written by SurrealDB 2: 2.x takes no lock and writes into what it opens, so its `surreal export` and the
 *   private server the census opens never share a folder. Its snapshot leaves out the index entries: the copy is
 *   small (15 MB at 5,000 messages).
 */
async function snapshotForCli(pre: PreflightResult): Promise<CliSource> {
  const snapshot = pre.snapshot!;
  const format = pre.store?.format;
  if (format === undefined || format === 'unknown') return { dir: snapshot, own: false, dispose: async () => undefined };
  const dir = `${snapshot}-export`;
  await fs.rm(dir, { recursive: true, force: true });
  const copy = await linkedCopy(snapshot, dir);
  return {
    dir,
    own: true,
    dispose: async () => {
      const changed = await copy.changedShared();
      await fs.rm(dir, { recursive: true, force: true });
      if (changed.length) {
        throw new PatternDbError('E_INTERNAL', `surreal export changed table files of the run's snapshot (${changed.join(', ')}), which its throwaway copy shared.`, {
          fix: 'Run again (every run copies the store anew) and report this: the verification reads that snapshot.',
        });
      }
    },
  };
}

/** The export's progress: records so far, out of the census's total once it is known. */
class ExportProgress {
  private total: number | undefined;

  constructor(private readonly report: StepContext['report']) {}

  know(census: SourceCensus): void {
    this.total = Object.values(census.counts).reduce((a, b) => a + b, 0);
  }

  records(records: number, table?: string): void {
    this.report.progress(records, 'records', this.total, table);
  }
}

interface Exported {
  driver: 'cli' | 'sdk';
  /** The file as the export wrote it, tallied while it was written; null when it must be read again. */
  written: ExportTally | null;
  /** Set when the upgrade's repairs were applied as the file was written (`written` then tallies the repaired file). */
  repaired?: AppliedRepair[];
  /** The version of the surreal that parsed the upgrade's file as it was written. */
  validatedBy?: string;
}

/**
 * Runs an export whose writer says when its file exists (`onCreated`): the import may begin then (import-ahead.ts),
 * cutting chunks as the file grows and sending them once the export resolves and `sendAfter` has (and, with a census
 * still being read, once its reader has opened the snapshot, and the census is taken or the file holds a record). An
 * export that fails takes that import with it, nothing sent.
 */
async function exportBeginningImport<T>(
  ctx: StepContext,
  run: (onCreated?: (file: string) => Promise<void>) => Promise<T>,
  census?: CensusBeside,
  sendAfter?: Promise<unknown>,
): Promise<T> {
  const written = deferred();
  written.promise.catch(() => undefined);
  const sendable = sendAfter ? Promise.all([written.promise, sendAfter]) : written.promise;
  sendable.catch(() => undefined);
  const result = await run(mayImportAhead(ctx) ? (file) => startImportAhead(ctx, file, sendable, census) : undefined).catch(async (error: unknown) => {
    written.reject(error);
    await dropImportAhead(ctx);
    throw error;
  });
  written.resolve();
  return result;
}

async function exportWithCli(ctx: StepContext, source: CliSource, partial: string, program: ProgramRef, progress: ExportProgress, census?: CensusBeside): Promise<Exported> {
  const { options, report, signal } = ctx;
  const watch = watchExportProgress(cliPartialPath(partial), (records, table) => progress.records(records, table));
  try {
    await exportBeginningImport(ctx, (onCreated) =>
      cliExport({
        bin: program.path,
        endpoint: `surrealkv://${source.dir}`,
        namespace: options.namespace,
        database: options.database,
        file: partial,
        ...(onCreated ? { onCreated } : {}),
        throwaway: source.own,
        env: exportReaderEnv(program.major),
        signal,
        onLine: (stream, line) => report.log(line, stream),
      }),
      census,
    );
    return { driver: 'cli', written: await watch.finish(partial) };
  } finally {
    watch.stop();
  }
}

/**
 * An upgrade's `surreal export --v3`: the dump surreal writes is followed as it grows, repaired into `partial` and parsed
 * by the target's surreal meanwhile (as exportServed does), not in two passes once written; surreal's own file is
 * removed after. The import cuts its chunks as the repaired file is written, and sends them once all of it parsed.
 * Either side failing stops the other, and its error is the one reported.
 */
async function exportUpgradeWithCli(ctx: StepContext, pre: PreflightResult, source: CliSource, partial: string, program: ProgramRef, progress: ExportProgress, census: CensusBeside): Promise<Exported> {
  const { options, report } = ctx;
  const dump = `${partial}.dump`;
  const local = new AbortController();
  const signal = AbortSignal.any([ctx.signal, local.signal]);
  const upgrade = new UpgradeWhileWritten(programOf(pre, 3), options.stateDir, signal);
  const written = deferred();
  written.promise.catch(() => undefined);
  let followed: fs.FileHandle | undefined;
  let repairing: Promise<ExportTally> | undefined;
  try {
    // The import follows the repaired file, not surreal's: it is sent once that is written whole and parsed.
    const tally = await exportBeginningImport(ctx, async (onCreated) => {
      const exporting = cliExport({
        bin: program.path,
        endpoint: `surrealkv://${source.dir}`,
        namespace: options.namespace,
        database: options.database,
        file: dump,
        onCreated: async (file) => {
          followed = await fs.open(file, 'r');
          const onRecords = (records: number, table: string) => progress.records(records, table);
          repairing = upgrade.write(followFile(followed, written.promise, signal), partial, onRecords, onCreated && (() => onCreated(partial)));
          repairing.catch((error: unknown) => local.abort(error));
        },
        v3: true,
        throwaway: source.own,
        env: exportReaderEnv(program.major),
        signal,
        onLine: (stream, line) => report.log(line, stream),
      });
      await exporting.then(() => written.resolve(), (error: unknown) => {
        written.reject(error);
        // A repair or a parse that failed first stopped the export: its error is the one reported.
        throw local.signal.aborted ? local.signal.reason : error;
      });
      if (!repairing) throw new PatternDbError('E_INTERNAL', 'surreal export ended without creating its file.');
      return repairing;
    }, census);
    return { driver: 'cli', written: tally, ...upgrade.outcome };
  } finally {
    await repairing?.catch(() => undefined);
    await followed?.close();
    await upgrade.abandon();
    await fs.rm(dump, { force: true });
  }
}

/** The engine reports its own progress; the file is tallied as it is written all the same, not read again after. */
async function exportWithEngine(ctx: StepContext, engine: EmbeddedStore, partial: string, progress: ExportProgress): Promise<Exported> {
  const watch = watchExportProgress(partial, () => undefined);
  try {
    await exportBeginningImport(ctx, (onCreated) =>
      engine.export(partial, {
        signal: ctx.signal,
        onProgress: (p) => progress.records(p.records, p.table),
        onCreated: async (file) => {
          await onCreated?.(file);
          await pauseAt('engine-export', ctx.options.stateDir);
        },
      }),
    );
    return { driver: 'sdk', written: await watch.finish(partial) };
  } finally {
    watch.stop();
  }
}

/** An export through an open reader of the snapshot, the census read beside it or taken before. */
type ExportThrough = (store: SourceStore, signal: AbortSignal, census: CensusBeside) => Promise<Exported>;

/**
 * One reader of the snapshot for the census (unless the preflight took it) and the export, left open for the
 * verification that follows in this run (else closed). With `alongside`, the census is read while the export runs
 * (a server answers both at once); a census that fails stops the export, and its error is the one reported. For a
 * 5,000-message 2.x store served by a private server, the export step took a median 0.53 s less that way (5
 * alternating pairs, faster in 4).
 */
async function exportThroughSnapshot(
  ctx: StepContext,
  pre: PreflightResult,
  census: SourceCensus | undefined,
  progress: ExportProgress,
  exportWith: ExportThrough,
  alongside = false,
): Promise<Exported & { census: SourceCensus }> {
  // The preflight may hand over the reader the wizard's survey opened (surveyed-source.ts).
  const store = takeKeptSource(ctx) ?? (await openSnapshot(ctx, pre));
  let kept = false;
  try {
    const exported = census || !alongside ? await censusThenExport(ctx, pre, store, census, progress, exportWith) : await censusAlongside(ctx, pre, store, progress, exportWith);
    kept = keepSourceForVerify(ctx, store);
    return exported;
  } finally {
    if (!kept) await store.close();
  }
}

async function censusThenExport(
  ctx: StepContext,
  pre: PreflightResult,
  store: SourceStore,
  census: SourceCensus | undefined,
  progress: ExportProgress,
  exportWith: ExportThrough,
): Promise<Exported & { census: SourceCensus }> {
  const found = census ?? (await censusOf(ctx, store, pre.storePath!));
  progress.know(found);
  return { ...(await exportWith(store, ctx.signal, CENSUS_TAKEN)), census: found };
}

async function censusAlongside(
  ctx: StepContext,
  pre: PreflightResult,
  store: SourceStore,
  progress: ExportProgress,
  exportWith: ExportThrough,
): Promise<Exported & { census: SourceCensus }> {
  const { census, exported } = await censusBesideExport(
    ctx.signal,
    (_signal, opened) => {
      opened();
      return censusOf(ctx, store, pre.storePath!);
    },
    progress,
    (signal, census) => exportWith(store, signal, census),
  );
  return { ...exported, census };
}

/**
 * The census and the export at the same time, the export handed the census's promises (it may wait for them; `count`
 * calls `opened` once its reader has the snapshot open): either one failing stops the other through the signal, and
 * the first failure is the one thrown. With `censusNamesDamage`, an export that fails first lets the census end, and
 * a census that fails too is the failure thrown (sideBySide).
 */
async function censusBesideExport<E>(
  signal: AbortSignal,
  count: (signal: AbortSignal, opened: () => void) => Promise<SourceCensus>,
  progress: ExportProgress,
  exporting: (signal: AbortSignal, census: CensusBeside) => Promise<E>,
  censusNamesDamage = false,
): Promise<{ census: SourceCensus; exported: E }> {
  const local = new AbortController();
  const both = AbortSignal.any([signal, local.signal]);
  let first: { error: unknown } | undefined;
  const stopAll = (error: unknown): never => {
    first ??= { error };
    local.abort(error);
    throw error;
  };
  const opened = deferred();
  const counted = count(both, opened.resolve).then((census) => {
    progress.know(census);
    return census;
  }, stopAll);
  const beside = { opened: Promise.race([opened.promise, counted]), counted };
  // A failed census is thrown below; an export that stops first (or never imports ahead) never looks at `opened`.
  beside.opened.catch(() => undefined);
  const exportFailed = async (error: unknown): Promise<never> => {
    // A census that fails meanwhile is the failure recorded first.
    if (censusNamesDamage) await counted.catch(() => undefined);
    return stopAll(error);
  };
  const [census, exported] = await Promise.allSettled([counted, exporting(both, beside).catch(exportFailed)]);
  if (first) throw first.error;
  if (census.status === 'rejected' || exported.status === 'rejected') throw new PatternDbError('E_INTERNAL', 'The export stopped without saying why.');
  return { census: census.value, exported: exported.value };
}

/** In-process: the embedded engine on the snapshot. */
function exportWithSdk(ctx: StepContext, pre: PreflightResult, partial: string, census: SourceCensus | undefined, progress: ExportProgress): Promise<Exported & { census: SourceCensus }> {
  return exportThroughSnapshot(ctx, pre, census, progress, (store, signal) => {
    const engine = embeddedEngineOf(store);
    if (!engine) throw new PatternDbError('E_INTERNAL', `The in-process export needs the embedded engine; ${store.engine} reads this store.`);
    return exportWithEngine({ ...ctx, signal }, engine, partial, progress);
  });
}

/**
 * A store only a private server reads (SurrealDB 2, 3.1+), read by one: the server that takes the census writes the
 * export too (POST /export), then stays open for the verification. A 2.x store is read whole into memory when opened,
 * so a `surreal export` of its own would load it a second time. A 3.x `surreal export` opens a store with SurrealDB's
 * own settings, whatever its environment says (store-reader-env.ts): on a 3.1+ copy of the 100,000-message store it
 * held 824-872 MB, where the private server that exported it held 189-193 MB, in the same time (4 alternating pairs).
 */
function exportServed(ctx: StepContext, pre: PreflightResult, partial: string, census: SourceCensus | undefined, v3: boolean, progress: ExportProgress): Promise<Exported & { census: SourceCensus }> {
  return exportThroughSnapshot(ctx, pre, census, progress, async (store, signal, beside) => {
    const onRecords = (records: number, table?: string) => progress.records(records, table);
    // An upgrade's file is repaired as it arrives (the server writes the dump while we repair it), not in a pass after;
    // the repairer tallies it as it goes. A file kept as it is, is tallied by a watch of the file.
    const upgrade = v3 ? new UpgradeWhileWritten(programOf(pre, 3), ctx.options.stateDir, signal) : undefined;
    const watch = upgrade ? undefined : watchExportProgress(partial, onRecords);
    try {
      let repairedTally: ExportTally | undefined;
      // The import sends nothing before the file is written whole (and an upgrade's parsed), nor before the census has
      // found the database and its records. It does not wait for the quiet moment of the server's log that the last
      // --v3 warnings are listened for.
      const write = (body: Readable, file: string) =>
        exportBeginningImport(
          ctx,
          async (onCreated) => {
            await pauseAt('served-export', ctx.options.stateDir);
            const created = onCreated && (() => onCreated(file));
            if (upgrade) repairedTally = await upgrade.write(body, file, onRecords, created);
            else await writeAsItIs(body, file, created);
          },
          undefined,
          beside.counted,
        );
      // Its --v3 warnings are lines of the server's log (read until it has been quiet a moment: only worth it for them).
      const onLine = v3 ? (line: string) => ctx.report.log(line, 'stdout') : undefined;
      await store.exportTo(partial, { signal, v3, write, ...(onLine ? { onLine } : {}) });
      const written = watch ? await watch.finish(partial) : (repairedTally ?? null);
      return { driver: 'cli', written, ...upgrade?.outcome };
    } finally {
      watch?.stop();
      await upgrade?.abandon();
    }
  }, true);
}

/** Counts what the file really holds: an export can end "successfully" with records missing. */
function assertComplete(expected: Record<string, number>, actual: Record<string, number>, file: string): void {
  const short = Object.entries(expected).filter(([table, n]) => (actual[table] ?? 0) !== n);
  if (!short.length) return;
  throw new PatternDbError('E_EXPORT', `The export ${file} does not hold every record of the source.`, {
    evidence: short.map(([table, n]) => `${table}: ${actual[table] ?? 0} in the file, ${n} in the store`).join('\n'),
    fix: 'Run the export again; if it repeats, try --driver sdk (or --driver cli) and report the difference.',
  });
}

async function cliThenFallback(ctx: StepContext, pre: PreflightResult, source: CliSource, census: CensusBeside, partial: string, cli: ProgramRef, progress: ExportProgress): Promise<Exported> {
  try {
    return await exportWithCli(ctx, source, partial, cli, progress, census);
  } catch (error) {
    const canFallBack = pre.driver === 'auto' && pre.store!.format === 'surrealkv-3.0' && error instanceof PatternDbError && ['E_STORE_FORMAT', 'E_SURREAL_FAILED'].includes(error.code);
    if (!canFallBack) throw error;
    ctx.report.diagnostic({
      level: 'warn',
      code: 'W_DRIVER_FALLBACK',
      message: `surreal ${cli.version} could not read the store; exporting in-process with ${EMBEDDED_ENGINE} instead.`,
      evidence: error.evidence ?? error.message,
      fix: 'Nothing to do: the in-process export reads the store with the engine that wrote it.',
    });
    await fs.rm(partial, { force: true });
    // One engine on the snapshot at a time: a second one would wait for its LOCK for ever. The census's goes first,
    // and with it the reader it left open for the verification (which then reads the snapshot again).
    await census.counted.catch(() => undefined);
    await verifyAheadOf(ctx)?.end();
    await takeKeptSource(ctx)?.close();
    const engine = await EmbeddedStore.open(pre.snapshot!, { namespace: ctx.options.namespace, database: ctx.options.database });
    try {
      return await exportWithEngine(ctx, engine, partial, progress);
    } finally {
      engine.close();
    }
  }
}

/** An export from a CliSource, the census read beside it or taken before. */
type Exporter = (ctx: StepContext, source: CliSource, census: CensusBeside) => Promise<Exported>;

/**
 * A `surreal export` process and the census of the same snapshot by a reader of its own (unless the preflight took
 * it), so the file can be held against the store. They run side by side when the export reads a throwaway copy (two
 * programs never open one folder at once), else one after the other. Either one failing stops the other. A census
 * begun only once the export was written left the export 0.10 s shorter but took its CPU from msg's full-text index
 * build: the 5,000-message run took 6.03 s against 5.49 s (means of 6 alternating pairs). `digestsBeside` false leaves
 * the source's range digests to the import step (an export that takes every core: see exporterFor3).
 */
async function exportWithCensus(ctx: StepContext, pre: PreflightResult, run: Exporter, census: SourceCensus | undefined, progress: ExportProgress, digestsBeside = true): Promise<Exported & { census: SourceCensus }> {
  const source = await snapshotForCli(pre);
  let outcome: Exported & { census: SourceCensus };
  try {
    if (census || !source.own) {
      const found = census ?? (await takeCensus(ctx, pre));
      progress.know(found);
      outcome = { ...(await run(ctx, source, CENSUS_TAKEN)), census: found };
    } else {
      outcome = await sideBySide(ctx, pre, source, run, progress, digestsBeside);
    }
  } finally {
    await source.dispose();
  }
  return outcome;
}

async function sideBySide(ctx: StepContext, pre: PreflightResult, source: CliSource, run: Exporter, progress: ExportProgress, digestsBeside: boolean): Promise<Exported & { census: SourceCensus }> {
  const written = deferred();
  // The export reads a throwaway copy: the census's reader may stay open on the snapshot for the verification.
  const { census, exported } = await censusBesideExport(
    ctx.signal,
    async (signal, opened) => {
      const census = await takeCensus(ctx, pre, signal, (store) => keepSourceForVerify(ctx, store), opened);
      if (digestsBeside) startVerifyAheadDuringExport(ctx, written.promise);
      return census;
    },
    progress,
    async (signal, beside) => {
      const exported = await run({ ...ctx, signal }, source, beside);
      written.resolve();
      return exported;
    },
    // The private server that reads a 3.1+ store names damage to it as it opens it (a repaired log, an empty manifest,
    // a table file failing its checksum), where `surreal export` would only fail on it: its failure is what the run says.
    pre.store?.format === 'surrealkv-3.1+',
  );
  return { ...exported, census };
}

async function chooseAndExport(ctx: StepContext, pre: PreflightResult, partial: string): Promise<Exported & { census: SourceCensus }> {
  const census = earlierCensus(pre);
  const progress = new ExportProgress(ctx.report);
  if (census) progress.know(census);
  if (storeMajor(pre.store!.format) === 2) {
    const upgrade = pre.route ? isUpgrade(pre.route) : false;
    const program = requireProgram(pre, 2, 'Exporting a store written by SurrealDB 2');
    if (pre.driver !== 'cli') return exportServed(ctx, pre, partial, census, upgrade, progress);
    if (upgrade) return exportWithCensus(ctx, pre, (c, source, beside) => exportUpgradeWithCli(c, pre, source, partial, program, progress, beside), census, progress);
    return exportWithCensus(ctx, pre, (c, source) => exportWithCli(c, source, partial, program, progress), census, progress);
  }
  if (pre.store!.format === 'surrealkv-3.1+' && pre.driver === 'auto') return exportServed(ctx, pre, partial, census, false, progress);
  const cli = programOf(pre, 3);
  if (pre.driver === 'sdk' || !cli) return exportWithSdk(ctx, pre, partial, census, progress);
  const how = await exporterFor3(ctx, pre, cli);
  if (how === 'in-process') return exportWithSdk(ctx, pre, partial, census, progress);
  return exportWithCensus(ctx, pre, (c, source, beside) => cliThenFallback(c, pre, source, beside, partial, cli, progress), census, progress, how !== 'surreal-compacting');
}

/**
 * Who exports a 3.x store the route lets surreal export. Under `auto`, a 3.0 store whose tables a surreal 3.1+ would
 * compact as it opens them is exported in-process instead: the compaction holds several times the merged tables in
 * memory (surrealkv-compaction.ts), where the engine that wrote the store reads them as they are. At 100,000 messages
 * (2 rounds each) every process of the run then stayed under 300 MB, against 3.1 GB for `surreal export`, and the run
 * took 105.0 s against 94.2 s: 0.98 of the by-hand path's time, against 0.90. Under `cli`, surreal exports it all the
 * same, and the user is warned of that memory. That export takes both cores (30 s of CPU in 16.5 s, at 100,000
 * messages), so the source's range digests are not read beside it.
 */
async function exporterFor3(ctx: StepContext, pre: PreflightResult, cli: ProgramRef): Promise<'in-process' | 'surreal' | 'surreal-compacting'> {
  if (pre.store?.format !== 'surrealkv-3.0') return 'surreal';
  const due = await dueCompaction(pre.snapshot!);
  if (!due) return 'surreal';
  const compaction = `the store's level ${due.level} of tables (${megabytes(due.levelBytes)}) is due a compaction, which surreal ${cli.version} runs as it exports, holding several times ${megabytes(due.mergedBytes)} in memory`;
  if (pre.driver === 'cli') {
    ctx.report.diagnostic({
      level: 'warn',
      code: 'W_EXPORT_COMPACTION',
      message: `Exporting with surreal ${cli.version}, as --driver cli asks: ${compaction}`,
      fix: 'Nothing to do if this machine has that memory to spare. Without --driver cli, pattern-db exports such a store in-process with the engine that wrote it, which reads its tables as they are.',
    });
    return 'surreal-compacting';
  }
  ctx.report.diagnostic({ level: 'info', code: 'I_EXPORT_IN_PROCESS', message: `Exporting in-process with ${EMBEDDED_ENGINE}, not with surreal ${cli.version}: ${compaction}` });
  return 'in-process';
}

/** The file's tally (taken as it was written, else now) and an upgrade's repairs, each reported. */
async function tallyOf(ctx: StepContext, pre: PreflightResult, partial: string, { written, repaired }: Exported): Promise<{ tally: ExportTally; repairs: AppliedRepair[] }> {
  if (pre.route && isUpgrade(pre.route) && !(repaired && written)) throw new PatternDbError('E_INTERNAL', 'The upgrade\'s export was not repaired as it was written.');
  for (const diagnostic of repairDiagnostics(repaired ?? [], 'Repaired for SurrealDB 3')) ctx.report.diagnostic(diagnostic);
  return { tally: written ?? (await tallyFile(partial)), repairs: repaired ?? [] };
}

/** Each `--v3` warning is shown with what was done about it. */
function reportV3Issues(ctx: StepContext, issues: V3Issue[], repairs: AppliedRepair[]): void {
  for (const issue of issues) {
    ctx.report.diagnostic({
      level: issue.severity === 'will_break' ? 'warn' : 'info',
      code: 'W_V3_ISSUE',
      message: `surreal export --v3: ${issue.message}${issue.severity ? ` (${issue.severity}${issue.kind ? `, ${issue.kind}` : ''})` : ''}`,
      ...(issue.location ? { evidence: issue.location } : {}),
      fix: repairs.length
        ? `Repairs applied: ${repairs.map((r) => r.id).join(', ')}. Whatever they do not cover is caught by surreal validate, the import's statement checks and the verification.`
        : 'No repair applies to it: surreal validate, the import\'s statement checks and the verification catch what it breaks.',
    });
  }
}

export const exportStep: Step<ExportResult> = {
  name: 'export',
  title: 'Export the embedded store',
  // Hashed as it was written: the runner need not read it again.
  artifacts: (result) => [{ path: result.file, sha256: result.sha256 }],
  async run(ctx) {
    const pre = requirePreflight(ctx);
    if (!pre.snapshot || !pre.storePath) throw new PatternDbError('E_INTERNAL', 'No store snapshot to export.');
    const file = path.resolve(ctx.options.cwd, ctx.options.exportFile);
    const partial = `${file}.partial`;
    await fs.rm(partial, { force: true });
    const started = Date.now();
    // Journaled before anything can reach the server: a resumed run then sends every chunk again, as a replay.
    const importStarted = mayImportAhead(ctx) || (ctx.resumedFrom as { importStarted?: boolean } | undefined)?.importStarted === true;
    if (importStarted) await ctx.checkpoint({ importStarted });
    const v3 = new V3IssueReader();
    const log: StepContext = {
      ...ctx,
      report: {
        ...ctx.report,
        log(line, stream) {
          v3.line(line);
          ctx.report.log(line, stream);
        },
      },
    };
    try {
      const exported = await chooseAndExport(log, pre, partial);
      const { driver, census } = exported;
      v3.flush();
      const issues = v3.issues;
      const { tally, repairs } = await tallyOf(ctx, pre, partial, exported);
      reportV3Issues(ctx, issues, repairs);
      assertComplete(census.counts, tally.recordsByTable, file);
      if (exported.validatedBy) ctx.report.diagnostic({ level: 'info', code: 'I_VALIDATED', message: `surreal ${exported.validatedBy} validate: the export parses as SurrealDB 3` });
      // Every record and any password hash is in it: every writer creates it 0600 (files/private-files.ts).
      await fs.rename(partial, file);
      const { size } = await fs.stat(file);
      if (size !== tally.bytes) throw new PatternDbError('E_EXPORT', `The export ${file} changed while it was checked (${tally.bytes} bytes read, ${size} now).`, { fix: 'Run the export again; nothing else should write to the export file.' });
      const records = tally.records;
      ctx.report.progress(records, 'records', records);
      ctx.report.diagnostic({ level: 'info', code: 'I_EXPORTED', message: `Exported ${records} records (${megabytes(size)}) to ${file} with the ${driver} driver` });
      return {
        file, sha256: tally.sha256, bytes: size, records, recordsByTable: tally.recordsByTable, indexes: tally.indexes, census, driver, ms: Date.now() - started,
        ...(importStarted ? { importStarted } : {}),
        ...(repairs.length ? { repairs: repairs.map(({ id, count }) => ({ id, count })) } : {}),
        ...(issues.length ? { v3Issues: issues } : {}),
      };
    } catch (error) {
      importAheadOf(ctx)?.stop();
      await fs.rm(partial, { force: true });
      // The embedded engine's child reports errors as text: isDiskFull reads those too.
      if (isDiskFull(error)) {
        throw diskFilledWhileWriting(file, '--export-file');
      }
      throw error;
    }
  },
};
