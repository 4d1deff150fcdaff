// Dumps the source database to a file: through the surreal binary, or in-process through the embedded engine.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { scanStatements } from '../core/surql-scan.js';
import { watchExportProgress } from '../files/watch-export.js';
import { sha256File } from '../runner.js';
import { cliExport, cliPartialPath } from '../surreal/cli.js';
import { EmbeddedStore, EMBEDDED_ENGINE } from '../surreal/embedded.js';
import { inspectStore, snapshotStore } from '../surreal/store.js';
import type { ExportResult, PreflightResult } from './run-state.js';
import type { Step, StepContext } from './step.js';

export function requirePreflight(ctx: StepContext): PreflightResult {
  const preflight = ctx.state.preflight;
  if (!preflight) throw new PatternDbError('E_INTERNAL', 'The preflight step did not run before this step.');
  return preflight;
}

/** The CLI reads its own snapshot: opening a store can rewrite its files, and the embedded engine keeps the other. */
async function exportWithCli(ctx: StepContext, pre: PreflightResult, partial: string): Promise<void> {
  const { options, report, signal } = ctx;
  const snapshot = await snapshotStore(await inspectStore(pre.storePath!), path.join(options.stateDir, 'snapshots'));
  const total = Object.values(pre.sourceCounts ?? {}).reduce((a, b) => a + b, 0);
  const stop = watchExportProgress(cliPartialPath(partial), (records, table) => report.progress(records, 'records', total, table));
  try {
    await cliExport({
      bin: pre.surreal!.path,
      endpoint: `surrealkv://${snapshot}`,
      namespace: options.namespace,
      database: options.database,
      file: partial,
      signal,
      onLine: (stream, line) => report.log(line, stream),
    });
  } finally {
    stop();
    await fs.rm(snapshot, { recursive: true, force: true });
  }
}

async function exportWithSdk(ctx: StepContext, pre: PreflightResult, partial: string): Promise<void> {
  const total = Object.values(pre.sourceCounts ?? {}).reduce((a, b) => a + b, 0);
  const before: Record<string, number> = {};
  let offset = 0;
  for (const table of pre.sourceTables ?? []) {
    before[table] = offset;
    offset += pre.sourceCounts?.[table] ?? 0;
  }
  const store = await EmbeddedStore.open(pre.snapshot!, { namespace: ctx.options.namespace, database: ctx.options.database });
  try {
    await store.export(partial, {
      signal: ctx.signal,
      onProgress: (p) => ctx.report.progress((before[p.table] ?? 0) + p.records, 'records', total, p.table),
    });
  } finally {
    store.close();
  }
}

/** Counts what the file really holds: an export can end "successfully" with records missing. */
async function countRecords(file: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const statement of scanStatements(createReadStream(file, { encoding: 'utf8' }))) {
    if (statement.records && statement.table) counts[statement.table] = (counts[statement.table] ?? 0) + statement.records;
  }
  return counts;
}

function assertComplete(expected: Record<string, number>, actual: Record<string, number>, file: string): void {
  const short = Object.entries(expected).filter(([table, n]) => (actual[table] ?? 0) !== n);
  if (!short.length) return;
  throw new PatternDbError('E_EXPORT', `The export ${file} does not hold every record of the source.`, {
    evidence: short.map(([table, n]) => `${table}: ${actual[table] ?? 0} in the file, ${n} in the store`).join('\n'),
    fix: 'Run the export again; if it repeats, try --driver sdk (or --driver cli) and report the difference.',
  });
}

async function chooseAndExport(ctx: StepContext, pre: PreflightResult, partial: string): Promise<'cli' | 'sdk'> {
  const cliUsable = pre.surreal?.major === 3;
  if (pre.driver === 'sdk' || !cliUsable) {
    await exportWithSdk(ctx, pre, partial);
    return 'sdk';
  }
  try {
    await exportWithCli(ctx, pre, partial);
    return 'cli';
  } catch (error) {
    const canFallBack = pre.driver === 'auto' && error instanceof PatternDbError && ['E_STORE_FORMAT', 'E_SURREAL_FAILED'].includes(error.code);
    if (!canFallBack) throw error;
    ctx.report.diagnostic({
      level: 'warn',
      code: 'W_DRIVER_FALLBACK',
      message: `surreal ${pre.surreal!.version} could not read the store; exporting in-process with ${EMBEDDED_ENGINE} instead.`,
      evidence: error.evidence ?? error.message,
      fix: 'Nothing to do: the in-process export reads the store with the engine that wrote it.',
    });
    await fs.rm(partial, { force: true });
    await exportWithSdk(ctx, pre, partial);
    return 'sdk';
  }
}

export const exportStep: Step<ExportResult> = {
  name: 'export',
  title: 'Export the embedded store',
  artifacts: (result) => [result.file],
  async run(ctx) {
    const pre = requirePreflight(ctx);
    if (!pre.snapshot || !pre.storePath) throw new PatternDbError('E_INTERNAL', 'No store snapshot to export.');
    const file = path.resolve(ctx.options.cwd, ctx.options.exportFile);
    const partial = `${file}.partial`;
    await fs.rm(partial, { force: true });
    const started = Date.now();
    try {
      const driver = await chooseAndExport(ctx, pre, partial);
      const recordsByTable = await countRecords(partial);
      assertComplete(pre.sourceCounts ?? {}, recordsByTable, file);
      await fs.rename(partial, file);
      const { size } = await fs.stat(file);
      const records = Object.values(recordsByTable).reduce((a, b) => a + b, 0);
      ctx.report.progress(records, 'records', records);
      ctx.report.diagnostic({ level: 'info', code: 'I_EXPORTED', message: `Exported ${records} records (${(size / 1e6).toFixed(1)} MB) to ${file} with the ${driver} driver` });
      return { file, sha256: await sha256File(file), bytes: size, records, recordsByTable, driver, ms: Date.now() - started };
    } catch (error) {
      await fs.rm(partial, { force: true });
      // The embedded engine's child reports errors as text, so a full disk arrives as a message, not an errno.
      const diskFull = (error as NodeJS.ErrnoException).code === 'ENOSPC' || /ENOSPC|No space left/i.test(String((error as Error).message));
      if (diskFull) {
        throw new PatternDbError('E_DISK_FULL', `The disk filled up while writing ${file}; the partial file was removed.`, {
          fix: 'Free disk space or pass --export-file on another disk, then run again.',
        });
      }
      throw error;
    }
  },
};
