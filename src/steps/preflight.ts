// Checks everything a run needs before anything is written: config, store, surreal, disk, target. The judgements
// on config, store and server are the doctor's own checks (src/steps/doctor), run through Prerequisites.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import type { Reporter } from '../core/events.js';
import { SKIPPABLE_CHECKS, targetUrl } from '../core/options.js';
import { resolveStorePath } from '../files/config-files.js';
import { locateSurreal } from '../surreal/cli.js';
import { EmbeddedStore } from '../surreal/embedded.js';
import { SurrealHttp } from '../surreal/http.js';
import { assertBindFree } from '../surreal/server.js';
import { freeBytes, snapshotStore } from '../surreal/store.js';
import { Prerequisites } from './doctor/prerequisites.js';
import type { PreflightResult } from './run-state.js';
import type { Step, StepContext } from './step.js';

export interface PreflightNeeds {
  store: boolean;
  target: boolean;
  exportFile: boolean;
  /** The target must hold no data yet (a fresh migration). */
  emptyTarget: boolean;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Throws a failed check, unless the user chose to skip it: then it stays on screen as a warning. */
function failUnlessSkipped(ctx: StepContext, error: PatternDbError): void {
  if (!ctx.options.skipChecks?.includes(error.code)) throw error;
  ctx.report.diagnostic({ level: 'warn', code: 'W_CHECK_SKIPPED', message: `Skipped at your request: ${error.message}`, fix: SKIPPABLE_CHECKS[error.code] ?? '' });
}

async function checkConfig(ctx: StepContext, prereq: Prerequisites, result: PreflightResult): Promise<string | undefined> {
  const { options, report } = ctx;
  await prereq.require('config.found', 'config.parses', 'config.database', 'config.placeholders');
  const config = prereq.facts.config;
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
  const storePath = resolveStorePath(config.database, options.cwd);
  if (storePath === null) {
    throw new PatternDbError('E_CONFIG_INVALID', `${config.path} uses an in-memory database (path = ""): nothing is stored to move.`, {
      fix: 'Pass --source DIR to move a store folder.',
    });
  }
  return storePath;
}

async function checkStore(ctx: StepContext, prereq: Prerequisites, result: PreflightResult): Promise<void> {
  const { options, report } = ctx;
  await prereq.require('store.exists', 'store.format', 'store.lock');
  const info = prereq.facts.store;
  if (!info) throw new PatternDbError('E_INTERNAL', 'The store checks passed without reading the store.');
  result.storePath = info.path;
  result.store = { format: info.format, bytes: info.bytes, files: info.files };
  report.diagnostic({ level: 'info', code: 'I_STORE', message: `Store: ${info.path} (${info.format}, ${mb(info.bytes)}, not in use)` });

  const snapshots = path.join(options.stateDir, 'snapshots');
  const free = await freeBytes(options.stateDir);
  if (free < info.bytes * 1.1) {
    failUnlessSkipped(ctx, new PatternDbError('E_DISK_FULL', `A snapshot of the store needs ${mb(info.bytes)}; ${mb(free)} is free for ${options.stateDir}.`, {
      fix: 'Free some disk space, or pass --state-dir DIR on a disk with room.',
    }));
  }
  result.snapshot = await snapshotStore(info, snapshots);
  const store = await EmbeddedStore.open(result.snapshot, { namespace: options.namespace, database: options.database });
  try {
    const databases = await store.databases();
    if (!databases[options.namespace]?.includes(options.database)) {
      throw new PatternDbError('E_STORE_EMPTY', `The store has no database ${options.namespace}/${options.database}.`, {
        evidence: `found: ${Object.entries(databases).map(([ns, dbs]) => dbs.map((db) => `${ns}/${db}`).join(', ')).join(', ') || 'nothing'}`,
        fix: 'Pattern always uses namespace "pattern" and database "pattern"; pass --namespace/--database for another pair.',
      });
    }
    const others = Object.entries(databases).flatMap(([ns, dbs]) => dbs.map((db) => `${ns}/${db}`)).filter((p) => p !== `${options.namespace}/${options.database}`);
    if (others.length) {
      report.diagnostic({
        level: 'warn',
        code: 'W_OTHER_DATABASES',
        message: `The store also holds ${others.join(', ')}; only ${options.namespace}/${options.database} is moved.`,
        fix: 'Run again with --namespace/--database for each other pair you need.',
      });
    }
    const { tables } = await store.info();
    const counts: Record<string, number> = {};
    for (const table of tables) counts[table] = await store.count(table);
    result.sourceTables = tables;
    result.sourceCounts = counts;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    report.diagnostic({ level: 'info', code: 'I_SOURCE', message: `Source: ${tables.length} tables, ${total} records` });
    if (total === 0) {
      throw new PatternDbError('E_STORE_EMPTY', `${options.namespace}/${options.database} in ${info.path} holds no records.`, {
        fix: 'Check that --source (or [database].path) is the store Pattern really uses.',
      });
    }
  } finally {
    store.close();
  }
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
    failUnlessSkipped(ctx, new PatternDbError('E_DISK_FULL', `The export needs about ${mb(needed)}; ${mb(free)} is free in ${dir}.`, {
      fix: 'Free some disk space, or pass --export-file on a disk with room.',
    }));
  }
  report.diagnostic({ level: 'info', code: 'I_DISK', message: `Export file: ${file} (${mb(free)} free)` });
}

async function checkSurreal(ctx: StepContext, result: PreflightResult): Promise<void> {
  const { options, report } = ctx;
  const surreal = await locateSurreal();
  if (!surreal) {
    if (options.driver === 'cli' || options.startServer) {
      throw new PatternDbError('E_SURREAL_MISSING', 'No surreal 3.x program was found.', {
        fix: 'Install SurrealDB 3, set SURREAL_BIN to its path, or run scripts/ensure-surreal to build one' +
          (options.startServer ? '.' : '; or use --driver sdk to migrate in-process.'),
      });
    }
    result.driver = 'sdk';
    report.diagnostic({
      level: 'warn',
      code: 'W_DRIVER_SDK',
      message: 'No surreal program found: exporting and importing in-process instead (embedded engine + HTTP).',
    });
    return;
  }
  result.surreal = { path: surreal.path, version: surreal.version, major: surreal.major };
  report.diagnostic({ level: 'info', code: 'I_SURREAL', message: `surreal ${surreal.version} at ${surreal.path} (${surreal.source})` });
  if (surreal.major !== 3) {
    if (options.driver === 'cli' || options.startServer) {
      throw new PatternDbError('E_SURREAL_MISSING', `surreal ${surreal.version} is not SurrealDB 3.`, {
        fix: 'A 2.x CLI cannot talk to a 3.x server or read a 3.x store. Set SURREAL_BIN to a surreal 3.x binary.',
      });
    }
    result.driver = 'sdk';
    report.diagnostic({ level: 'warn', code: 'W_DRIVER_SDK', message: `surreal ${surreal.version} is not 3.x: migrating in-process instead.` });
  }
}

async function checkTarget(ctx: StepContext, prereq: Prerequisites, needs: PreflightNeeds, result: PreflightResult): Promise<void> {
  const { options, report } = ctx;
  if (options.startServer) {
    await assertBindFree(options.bind);
    report.diagnostic({ level: 'info', code: 'I_PORT', message: `Port ${options.bind} is free for the new server (${options.startServer})` });
    return;
  }
  const url = targetUrl(options);
  if (!url) {
    throw new PatternDbError('E_USAGE', 'No target: pass --target URL (an existing server) or --start-server memory|surrealkv://DIR.');
  }
  await prereq.require('server.address', 'server.health', 'server.auth');
  const http = new SurrealHttp({ url, username: options.username, password: options.password, namespace: options.namespace, database: options.database });
  const version = prereq.facts.server?.version ?? (await http.version());
  result.target = { url, version };
  report.diagnostic({ level: 'info', code: 'I_TARGET', message: `Target: ${url} (SurrealDB ${version}), signed in as ${options.username}` });
  if (!/^3\./.test(version)) {
    report.diagnostic({
      level: 'warn',
      code: 'W_TARGET_VERSION',
      message: `The target runs SurrealDB ${version}; the source store is SurrealDB 3. A 3.x export may not load into it.`,
    });
  }
  if (needs.emptyTarget && !options.resume) {
    const [info] = (await http.sql(`INFO FOR DB;`).catch(() => [{}])) as Array<{ tables?: Record<string, string> }>;
    const tables = Object.keys(info?.tables ?? {});
    if (tables.length) {
      throw new PatternDbError('E_TARGET_NOT_EMPTY', `${options.namespace}/${options.database} on ${url} already has ${tables.length} tables (${tables.slice(0, 5).join(', ')}…).`, {
        fix: 'Migrate into an empty database: pass --namespace/--database for a new one, or empty it first. Nothing was written.',
      });
    }
  }
}

function warnPatternSdk(report: Reporter): void {
  report.diagnostic({
    level: 'warn',
    code: 'W_PATTERN_SDK',
    message:
      'Pattern releases of the SurrealDB era embed the Rust SDK 2.3, which refuses 3.x servers; this store and server are SurrealDB 3.',
    fix: 'Run a Pattern build whose SurrealDB SDK is 3.x against this server.',
  });
}

export function preflightStep(needs: PreflightNeeds): Step<PreflightResult> {
  return {
    name: 'preflight',
    title: 'Check prerequisites',
    rerunOnResume: true,
    async run(ctx) {
      const result: PreflightResult = { driver: ctx.options.driver };
      const prereq = new Prerequisites(ctx);
      try {
        const storeFromConfig = await checkConfig(ctx, prereq, result);
        if (needs.store) {
          if (!ctx.options.source && !storeFromConfig) throw new PatternDbError('E_USAGE', 'No store: pass --source DIR or --config FILE.');
          await checkStore(ctx, prereq, result);
          if (needs.exportFile) await checkExportFile(ctx, result.store?.bytes ?? 0);
        }
        await checkSurreal(ctx, result);
        if (needs.target) await checkTarget(ctx, prereq, needs, result);
        if (needs.target && needs.store) warnPatternSdk(ctx.report);
        return result;
      } finally {
        await prereq.close();
      }
    },
  };
}
