// Checks everything a run needs before anything is written: config, store, surreal, disk, target. The judgements
// on config, store and server are the doctor's own checks (src/steps/doctor), run through Prerequisites.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { asPatternDbError, PatternDbError } from '../core/errors.js';
import type { Reporter } from '../core/events.js';
import { targetUrl } from '../core/options.js';
import { configuredStorePath } from '../files/database-target.js';
import { chooseRoute, majorOf, routeConsequence, routeTitle, routeWarning, type Major, type Route } from '../core/route.js';
import { SurrealHttp } from '../surreal/http.js';
import { normaliseStorage, storageFolder } from '../surreal/server.js';
import { databaseDefinitions } from '../surreal/server-catalog.js';
import { startReaderAhead, storeMajor, type SourceStore } from '../surreal/source-store.js';
import { freeBytes, snapshotRoomShortfall, snapshotStoreWithDigest } from '../surreal/store.js';
import { copyStoreToRead, reportLeftOut, type LeftOut } from '../surreal/lean-store-copy.js';
import { logBytes } from '../surreal/lean-store-estimate.js';
import type { StoreFormat } from '../core/store-format.js';
import { holdsFiles } from '../files/folder-check.js';
import { pauseAt } from '../files/pause-at.js';
import { Prerequisites } from './doctor/prerequisites.js';
import { assertConfigRewritable } from './config-rewritable.js';
import { assertPortFreeForNewServer, assertServerMajor, liveManagedServer, type LiveManagedServer } from './managed-server-reuse.js';
import { findPrograms, settleDriver } from './programs.js';
import { assertRunPathsOutsideStore } from './run-paths.js';
import { keepSource } from './kept-source.js';
import { failUnlessSkipped } from './skippable-check.js';
import type { PreflightResult, SourceCensus } from './run-state.js';
import { keepCensus, takeCensus } from './source-census.js';
import { carriesOver, type SurveyedSource } from './surveyed-source.js';
import type { Step, StepContext } from './step.js';
import { startAhead, type WorkAhead } from './work-ahead.js';
import { megabytes } from '../core/byte-size.js';

export interface PreflightNeeds {
  store: boolean;
  target: boolean;
  exportFile: boolean;
  /** The target must hold no data yet (a fresh migration). */
  emptyTarget: boolean;
  /**
   * Read what the store holds now (tables, records; see steps/source-census.ts), for a screen or a report that shows
   * it before anything runs. A plan that exports leaves it to the export, which reads it alongside its own process.
   */
  census: boolean;
  /** The run ends by rewriting the config: it must be able to (steps/config-rewritable.ts). */
  configRewrite: boolean;
}

async function checkConfig(ctx: StepContext, prereq: Prerequisites, result: PreflightResult, needs: PreflightNeeds): Promise<string | undefined> {
  const { options, report } = ctx;
  await prereq.require('config.found', 'config.parses', 'config.database', 'config.placeholders');
  const config = prereq.findings.config;
  if (!config) return undefined;
  result.configPath = config.path;
  for (const warning of config.warnings) prereq.warn(warning.code, warning.message, warning.fix);
  report.diagnostic({ level: 'info', code: 'I_CONFIG', message: `Config: ${config.path} ([database] type = "${config.database.type}")` });
  if (config.database.type !== 'embedded') {
    if (options.source) return undefined;
    throw new PatternDbError('E_CONFIG_INVALID', `${config.path} already points Pattern at a server (${config.database.url}).`, {
      fix: 'There is no embedded store to move. To copy a store anyway, pass --source DIR.',
    });
  }
  if (needs.configRewrite) await assertConfigRewritable(config, options);
  return configuredStorePath(config, options.cwd, 'nothing is stored to move', 'Pass --source DIR to move a store folder.');
}

/**
 * The store's own checks (exists, format, not in use), without opening it; returns the major that wrote it. The memory
 * to read it is checked on its snapshot (checkReaderMemory).
 */
async function checkStoreFiles(ctx: StepContext, prereq: Prerequisites, result: PreflightResult): Promise<Major> {
  await prereq.require('store.exists', 'store.format', 'store.lock');
  const info = prereq.findings.store;
  if (!info) throw new PatternDbError('E_INTERNAL', 'The store checks passed without reading the store.');
  const major = storeMajor(info.format);
  if (!major) throw new PatternDbError('E_INTERNAL', `The store checks passed a store of unknown format (${info.format}).`);
  result.storePath = info.path;
  result.store = { format: info.format, bytes: info.bytes, files: info.files };
  ctx.report.diagnostic({ level: 'info', code: 'I_STORE', message: `Store: ${info.path} (${info.format}, written by SurrealDB ${major}, ${megabytes(info.bytes)}, not in use)` });
  if (process.platform !== 'linux') {
    ctx.report.diagnostic({
      level: 'warn',
      code: 'W_STORE_USE_UNCHECKED',
      message: `On ${process.platform}, pattern-db cannot see which program has the store open (it reads that from Linux's /proc); it only refuses a store whose files change while they are copied.`,
      fix: 'Stop Pattern before migrating.',
    });
  }
  return major;
}

/**
 * Copies the store to a snapshot; with `census`, also reads what the copy holds (else the export reads it). In the
 * wizard, the survey's census keeps its reader, and the run takes it over with the snapshot (surveyed-source.ts).
 */
async function readSource(ctx: StepContext, prereq: Prerequisites, result: PreflightResult, census: boolean): Promise<void> {
  const { options } = ctx;
  const info = prereq.findings.store!;
  const surveyed = ctx.surveyed && carriesOver(result) ? ctx.surveyed : undefined;
  if (surveyed && !census && (await carryOver(ctx, result, surveyed, info.path))) return checkReaderMemory(prereq, info.format, result.snapshot!);
  const snapshots = path.join(options.stateDir, 'snapshots');
  const shortfall = await snapshotRoomShortfall(info, options.stateDir);
  if (shortfall) failUnlessSkipped(ctx, shortfall);
  let leftOut: LeftOut | undefined;
  const copy = async (from: string, to: string) => {
    leftOut = await copyStoreToRead(info.format, from, to);
    await pauseAt('snapshot-copy', options.stateDir);
  };
  // What reads the snapshot starts while the store is copied, where the run waits for its open: a census taken now, or
  // the in-process export (`--driver sdk`: its export step 1.25-1.30 s against 1.44 s at 5,000 messages, 2 runs of 5
  // rounds each). Beside a `surreal export` it only took CPU from the copy (the preflight 0.93 s against 0.87 s,
  // medians of 6 alternating pairs), the census it read done no sooner than the export.
  if (ctx.shared && (census || (result.driver === 'sdk' && ctx.shared.has('export')))) {
    const drop = startReaderAhead(info.format);
    if (drop) ctx.shared.onEnd(async () => drop());
  }
  const { snapshot, storeDigest } = await snapshotStoreWithDigest(info, snapshots, copy);
  result.snapshot = snapshot;
  result.storeDigest = storeDigest;
  reportLeftOut(ctx.report, leftOut, info.format);
  assertStoreAsResumed(ctx, info.path, storeDigest);
  await checkReaderMemory(prereq, info.format, snapshot);
  if (!census) return;
  const keep = surveyed ? (reader: SourceStore, found: SourceCensus) => surveyed.keep({ storePath: info.path, snapshot, storeDigest, census: found, reader }).then(() => true) : undefined;
  keepCensus(result, await takeCensus(ctx, result, ctx.signal, keep));
}

/**
 * The memory check, on the snapshot before anything reads it: a 2.x store's reader holds what the snapshot kept of its
 * log, measured there. Estimated from the store before the copy, it cost the preflight about 0.1 s.
 */
async function checkReaderMemory(prereq: Prerequisites, format: StoreFormat, snapshot: string): Promise<void> {
  if (format === 'surrealkv-2') prereq.findings.keptLogBytes = await logBytes(snapshot);
  await prereq.require('store.memory');
}

/** The survey's snapshot and open reader, when it read the store as it is now; the export then reads through it. */
async function carryOver(ctx: StepContext, result: PreflightResult, surveyed: SurveyedSource, storePath: string): Promise<boolean> {
  const taken = await surveyed.take(storePath);
  if (!taken) return false;
  result.snapshot = taken.snapshot;
  result.storeDigest = taken.storeDigest;
  keepCensus(result, taken.census);
  // The survey's open repaired the copy: only its reader knows what was dropped.
  if (taken.reader.damage) result.storeDamage = taken.reader.damage;
  if (!keepSource(ctx, taken.reader, 'export')) await taken.reader.close();
  assertStoreAsResumed(ctx, storePath, taken.storeDigest);
  ctx.report.diagnostic({ level: 'info', code: 'I_SNAPSHOT', message: `The store is as the welcome screen read it: its snapshot, census and reader (${taken.reader.engine}) carry over, so the store is not copied or loaded again` });
  return true;
}

/** A resumed run continues from an export of the store as it was then: the store must not have changed since. */
function assertStoreAsResumed(ctx: StepContext, storePath: string, storeDigest: string): void {
  const earlier = (ctx.earlierResult as PreflightResult | undefined)?.storeDigest;
  if (!ctx.options.resume || earlier === undefined || earlier === storeDigest) return;
  const journal = path.join(ctx.options.stateDir, 'journal.json');
  throw new PatternDbError('E_JOURNAL', `The store ${storePath} changed since the run you are resuming copied it, so what that run exported is not all the store holds now.`, {
    evidence: `store entries (sizes, times): sha256 ${earlier} then, ${storeDigest} now`,
    fix: `Start over from the store as it is now: stop Pattern, move ${journal} and the export file away, and run without --resume into an empty database.`,
  });
}

async function checkExportFile(ctx: StepContext, storeBytes: number): Promise<void> {
  const { options, report } = ctx;
  const file = path.resolve(options.cwd, options.exportFile);
  const exists = await fs.stat(file).then(() => true, () => false);
  if (exists && !options.resume) {
    throw new PatternDbError('E_NOT_WRITABLE', `The export file ${file} already exists; it is never overwritten (it may be your backup).`, {
      fix: 'Pass --export-file NEW_FILE, or move the old file away.',
    });
  }
  const dir = path.dirname(file);
  await fs.access(dir, fs.constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw new PatternDbError('E_NOT_WRITABLE', `The export file cannot be written in ${dir} (${error.code}).`, {
      fix: 'Pass --export-file with a path in a writable folder.',
    });
  });
  const free = await freeBytes(dir);
  // An export is usually larger than the store it comes from (text, not compressed pages).
  const needed = storeBytes * 2;
  if (free < needed) {
    failUnlessSkipped(ctx, new PatternDbError('E_DISK_FULL', `The export needs about ${megabytes(needed)}; ${megabytes(free)} is free in ${dir}.`, {
      fix: 'Free some disk space, or pass --export-file on a disk with room.',
    }));
  }
  report.diagnostic({ level: 'info', code: 'I_DISK', message: `Export file: ${file} (${megabytes(free)} free)` });
}

/**
 * A new server's port is free (or, on resume, held by the server the interrupted run started), or the existing server
 * answers and accepts the credentials; returns the existing server's version.
 */
async function checkTarget(ctx: StepContext, prereq: Prerequisites, result: PreflightResult, live: { server?: LiveManagedServer }): Promise<string | undefined> {
  const { options, report } = ctx;
  if (options.startServer) {
    const server = options.resume ? await liveManagedServer(options) : null;
    if (server) {
      live.server = server;
      report.diagnostic({ level: 'info', code: 'I_PORT', message: `Port ${options.bind} is held by the server the interrupted run started (pid ${server.state.pid}, ${server.state.storage})` });
      return undefined;
    }
    await assertPortFreeForNewServer(options);
    const folder = options.resume ? null : storageFolder(normaliseStorage(options.startServer, options.cwd));
    if (folder && (await holdsFiles(folder))) {
      throw new PatternDbError('E_TARGET_NOT_EMPTY', `The new server's folder ${folder} already holds files (another server's data?); a new server starts on what it finds there, its users included.`, {
        fix: 'Give --start-server surrealkv://DIR a new or empty folder, or serve that data yourself and pass --target URL.',
      });
    }
    report.diagnostic({ level: 'info', code: 'I_PORT', message: `Port ${options.bind} is free for the new server (${options.startServer})` });
    return undefined;
  }
  const url = targetUrl(options);
  if (!url) {
    throw new PatternDbError('E_USAGE', 'No target: pass --target URL (an existing server) or --start-server memory|surrealkv://DIR.');
  }
  await prereq.require('server.address', 'server.health', 'server.auth');
  const version = prereq.findings.server?.version ?? (await targetClient(options, url).version());
  result.target = { url, version };
  report.diagnostic({ level: 'info', code: 'I_TARGET', message: `Target: ${url} (SurrealDB ${version}), signed in as ${options.username}` });
  return version;
}

function targetClient(options: StepContext['options'], url: string, scoped = true): SurrealHttp {
  const { username, password, namespace, database } = options;
  return new SurrealHttp({ url, username, password, ...(scoped ? { namespace, database } : {}) });
}

/** A fresh migration goes into an empty database (no table, analyzer, function, param, user…); a failed INFO is not taken for an empty one. */
async function checkTargetEmpty(ctx: StepContext, url: string): Promise<void> {
  const { options } = ctx;
  const found = await databaseDefinitions(targetClient(options, url, false), options.namespace, options.database).catch((thrown: unknown) => {
    const error = asPatternDbError(thrown);
    throw new PatternDbError(error.code, `Could not tell whether ${options.namespace}/${options.database} on ${url} is empty: ${error.message}`, {
      evidence: error.evidence ?? error.message,
      fix: `A migration only goes into an empty database, and ${options.username} could not read INFO FOR ROOT/NS/DB there. Sign in as a root user that may run queries (an OWNER or EDITOR), then run again. Nothing was written.`,
      cause: error,
    });
  });
  if (found.length) {
    throw new PatternDbError('E_TARGET_NOT_EMPTY', `${options.namespace}/${options.database} on ${url} is not empty: it holds ${found.length} definition${found.length > 1 ? 's' : ''} (${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}).`, {
      evidence: found.slice(0, 20).join('\n'),
      fix: 'Migrate into an empty database: another server, or a new database on this one (run pattern-db migrate again with --namespace NS --database DB; the wizard takes them too), or empty this one first. Nothing was written.',
    });
  }
}

function reportRoute(report: Reporter, route: Route): void {
  report.diagnostic({ level: 'info', code: 'I_ROUTE', message: `Route: ${routeTitle(route)}. ${routeConsequence(route)}` });
  const warning = routeWarning(route);
  if (warning) report.diagnostic({ level: 'warn', ...warning });
}

export function preflightStep(needs: PreflightNeeds): Step<PreflightResult> {
  return {
    name: 'preflight',
    title: 'Check prerequisites',
    rerunOnResume: true,
    async run(ctx) {
      const { options, report } = ctx;
      const result: PreflightResult = { driver: options.driver };
      const prereq = new Prerequisites(ctx);
      // The programs and the target answer while the store is read; each reports in its turn (steps/work-ahead.ts).
      const ahead: Array<WorkAhead<unknown>> = [];
      const startEarly = <T>(work: (ctx: StepContext, prereq: Prerequisites) => Promise<T>): WorkAhead<T> => {
        const started = startAhead(ctx, (early) => work(early, prereq.reportingTo(early)));
        ahead.push(started);
        return started;
      };
      try {
        const storeFromConfig = await checkConfig(ctx, prereq, result, needs);
        const store = options.source ?? storeFromConfig;
        if (store) await assertRunPathsOutsideStore(options, store);
        const live: { server?: LiveManagedServer } = {};
        const programs = startEarly((early) => findPrograms(result, early.report));
        const targetCheck = needs.target ? startEarly((early, checks) => checkTarget(early, checks, result, live)) : undefined;
        let major: Major | undefined;
        if (needs.store) {
          if (!options.source && !storeFromConfig) throw new PatternDbError('E_USAGE', 'No store: pass --source DIR or --config FILE.');
          major = await checkStoreFiles(ctx, prereq, result);
        }
        await programs.reach();
        const serverVersion = await targetCheck?.reach();
        // The store alone decides an export's form too: `export --target-version 3` writes the upgrade's file.
        if (major !== undefined) {
          result.route = chooseRoute({
            storeMajor: major,
            ...(options.targetVersion ? { requested: options.targetVersion } : {}),
            ...(serverVersion !== undefined ? { serverVersion, serverUrl: result.target!.url } : {}),
          });
          reportRoute(report, result.route);
        } else if (serverVersion !== undefined) {
          // Importing a file alone: the server decides which major's rules apply.
          const target = majorOf(serverVersion);
          if (target === 2 || target === 3) result.route = { source: target, target };
        }
        if (live.server && result.route) assertServerMajor(options, live.server, result.route.target);
        settleDriver(options, result, report, prereq.findings.store?.format, result.route);
        const targetEmpty = needs.emptyTarget && !options.resume && result.target ? startEarly((early) => checkTargetEmpty(early, result.target!.url)) : undefined;
        if (needs.store) {
          await readSource(ctx, prereq, result, needs.census);
          if (needs.exportFile) await checkExportFile(ctx, result.store?.bytes ?? 0);
        }
        await targetEmpty?.reach();
        return result;
      } finally {
        await Promise.all(ahead.map((work) => work.finished()));
        await prereq.close();
      }
    },
  };
}
