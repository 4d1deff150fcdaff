// `pattern-db restore FILE`: a verified backup into a namespace/database that is empty (or that the user agreed to
// replace), through the migration's own chunked import, then a per-table count check against the backup. Journaled
// in <state-dir>/restore, apart from a migration's journal: a restore that stops, killed or failed, goes on with --resume.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { holdStateLock } from '../files/state-lock.js';
import { makeOwnPrivateDir, makeStateDir } from '../files/private-files.js';
import { readJournal, setJournalAside, journalPath } from '../files/journal-file.js';
import { firstUnfinished, hasProgress } from '../core/journal.js';
import type { Emit } from '../core/events.js';
import { DEFAULTS, type RunOptions } from '../core/options.js';
import { runPlan } from '../runner.js';
import { importStep } from '../steps/import.js';
import type { Prompter } from '../steps/prompter.js';
import type { ImportResult } from '../steps/run-state.js';
import type { Step, StepContext } from '../steps/step.js';
import { parseVersion } from '../core/server-version.js';
import { httpBase, SurrealHttp } from '../surreal/http.js';
import { verifyArchive, type ArchiveContents } from './backup-archive.js';
import type { BackupHeader } from './backup-naming.js';
import { ident } from '../core/surql-ident.js';
import { countRecords, databaseDefinitions, rootClient } from '../surreal/server-catalog.js';
import type { DefinitionDifference } from '../core/definition-compare.js';
import { compareRestoredDefinitions } from './restore-definitions.js';
import { restoreRefusal } from '../core/export-statement-policy.js';

export interface RestoreInput {
  file: string;
  url: string;
  username: string;
  password: string;
  namespace: string;
  database: string;
  replace: boolean;
  /** Continue the restore the journal says was interrupted. */
  resume: boolean;
  yes: boolean;
  requireChecksum: boolean;
  cwd: string;
  stateDir: string;
}

/** What the command lends the run: its events (each step's under its own name, as in a migration), its Ctrl-C, its terminal. */
export interface RestoreRun {
  emit: Emit;
  signal: AbortSignal;
  prompter: Prompter;
}

export interface RestoreResult {
  file: string;
  url: string;
  namespace: string;
  database: string;
  backup: BackupHeader | null;
  sha256: string;
  records: number;
  recordsByTable: Record<string, number>;
  tables: number;
  /** DEFINE statements of the backup, each found identical on the server. */
  definitions: number;
  replaced: boolean;
  ms: number;
}

/**
 * A dump is SurrealQL of the major that wrote it, which the other major does not parse (2.x FLEXIBLE TYPE and SEARCH
 * ANALYZER; 3.x `TYPE none | string`): refused before anything reaches the server, rather than half loaded.
 */
async function assertSameMajor(url: string, file: string, contents: ArchiveContents): Promise<void> {
  const written = contents.header?.major;
  if (written === undefined) return;
  const version = await new SurrealHttp({ url }).version();
  const target = parseVersion(version)?.major;
  if (target === undefined || target === written) return;
  throw new PatternDbError('E_USAGE', `${file} holds a SurrealDB ${written} export, and ${url} runs SurrealDB ${version}, which cannot load it as it stands; nothing was restored.`, {
    evidence: `backup header: ${JSON.stringify(contents.header)}\nGET ${url}/version → surrealdb-${version}`,
    fix: `Restore it into a SurrealDB ${written} server (for example \`pattern-db server start --major ${written}\`).`,
  });
}

async function clearTarget(url: string, input: RestoreInput, found: string[], ctx: StepContext): Promise<void> {
  const target = `${input.namespace}/${input.database} on ${url}`;
  const detail = `${target} holds ${found.length} definitions (${found.slice(0, 8).join(', ')}${found.length > 8 ? ', …' : ''}); all of its data will be removed.`;
  const approved = input.yes || (await ctx.prompter.confirm(`Replace ${target} with the backup? Everything in it is deleted first.`, '--yes', detail));
  if (!approved) throw new PatternDbError('E_CANCELLED', `${target} was left as it was.`);
  const root = rootClient({ url, username: input.username, password: input.password });
  await root.sql(`USE NS ${ident(input.namespace)}; REMOVE DATABASE ${ident(input.database)}; DEFINE DATABASE ${ident(input.database)};`);
  ctx.report.diagnostic({ level: 'info', code: 'I_RESTORE_REPLACED', message: `Removed and defined again: ${target}.` });
}

/** The run's options: the import's own, over HTTP only (the same chunked /import, indexes built once after the data). */
function restoreOptions(input: RestoreInput, url: string, runDir: string, plainFile: string): RunOptions {
  return {
    ...DEFAULTS,
    cwd: input.cwd,
    target: url,
    namespace: input.namespace,
    database: input.database,
    username: input.username,
    password: input.password,
    exportFile: plainFile,
    driver: 'sdk',
    stateDir: runDir,
    yes: input.yes,
    dryRun: false,
    resume: input.resume,
    writeEnv: false,
  };
}

interface CheckedBackup {
  contents: ArchiveContents;
  replaced: boolean;
}

/**
 * Everything is read and checked before the server is touched; what is loaded is the copy that was checked. On resume
 * it runs again (the copy is made again), but the target holds what the interrupted run loaded: it is not checked again.
 */
function checkBackupStep(input: RestoreInput, file: string, url: string, plainFile: string): Step<CheckedBackup> {
  return {
    name: 'restore',
    title: 'Check the backup and the target',
    rerunOnResume: true,
    async run(ctx) {
      await fs.rm(plainFile, { force: true });
      const contents = await verifyArchive(file, { requireChecksum: input.requireChecksum, screen: restoreRefusal, plainCopy: plainFile, signal: ctx.signal });
      ctx.report.diagnostic({
        level: 'info',
        code: 'I_BACKUP_OK',
        message: `Backup intact: ${contents.records} records in ${contents.tables.length} tables${contents.header ? `, taken ${contents.header.takenAt} of ${contents.header.namespace}/${contents.header.database} (${contents.header.source})` : ''}`,
      });
      await assertSameMajor(url, file, contents);
      ctx.state.export = { file: plainFile, sha256: contents.sha256, bytes: contents.uncompressedBytes, records: contents.records, recordsByTable: contents.recordsByTable, driver: 'sdk', ms: 0 };
      const earlier = ctx.earlierResult as CheckedBackup | undefined;
      if (earlier) {
        if (earlier.contents.sha256 !== contents.sha256) {
          throw new PatternDbError('E_JOURNAL', `${file} is not the backup the interrupted restore was loading: its checksum changed.`, {
            evidence: `then: ${earlier.contents.sha256}\nnow:  ${contents.sha256}`,
            fix: 'Put that backup back and run with --resume again, or start over with --replace (without --resume).',
          });
        }
        const target = `${input.namespace}/${input.database} on ${url}`;
        ctx.report.diagnostic({ level: 'info', code: 'I_RESTORE_RESUMED', message: `Continuing the interrupted restore into ${target}.` });
        return { contents, replaced: earlier.replaced };
      }
      const found = await databaseDefinitions(rootClient({ url, username: input.username, password: input.password }), input.namespace, input.database);
      let replaced = false;
      if (found.length > 0) {
        if (!input.replace) {
          throw new PatternDbError('E_TARGET_NOT_EMPTY', `${input.namespace}/${input.database} on ${url} is not empty; nothing was restored.`, {
            evidence: found.slice(0, 20).join('\n'),
            fix: 'Restore into an empty database (--namespace/--database), or pass --replace to delete what is there first.',
          });
        }
        await clearTarget(url, input, found, ctx);
        replaced = true;
      }
      return { contents, replaced };
    },
  };
}

/** The migration's import; its fix for a refused statement is --replace, since the statement would be refused again. */
function restoreImportStep(input: RestoreInput): Step<ImportResult> {
  return {
    ...importStep,
    async run(ctx) {
      try {
        return await importStep.run(ctx);
      } catch (error) {
        if (!(error instanceof PatternDbError) || error.code !== 'E_STATEMENT') throw error;
        throw new PatternDbError('E_STATEMENT', error.message, {
          ...(error.evidence ? { evidence: error.evidence } : {}),
          fix: `Read the server's message above. ${input.namespace}/${input.database} now holds part of the backup: fix the cause, then run the same restore with --replace.`,
        });
      }
    },
  };
}

function describeDifference(d: DefinitionDifference): string {
  const what = d.problem === 'missing' ? 'in the backup, not on the server' : d.problem === 'extra' ? 'on the server, not in the backup' : `differs${d.detail ? ` (${d.detail})` : ''}`;
  const texts = d.problem === 'changed' ? `\n  backup: ${d.source}\n  server: ${d.target}` : `: ${d.source ?? d.target}`;
  return `${d.kind} ${d.name}: ${what}${texts}`;
}

/** Every table's count and every definition of the backup, on the server as in the backup (again on every resume). */
function compareStep(input: RestoreInput, url: string, checked: () => CheckedBackup): Step<RestoreResult> {
  return {
    name: 'verify',
    title: 'Compare the restored database with the backup',
    rerunOnResume: true,
    async run(ctx) {
      const { contents, replaced } = checked();
      const root = rootClient({ url, username: input.username, password: input.password });
      const counts = await countRecords(root, input.namespace, input.database, contents.tables);
      const wrong = contents.tables.filter((t) => (counts[t] ?? 0) !== (contents.recordsByTable[t] ?? 0));
      const target = new SurrealHttp({ url, username: input.username, password: input.password, namespace: input.namespace, database: input.database });
      const warn = (message: string) => ctx.report.diagnostic({ level: 'warn', code: 'W_SECRETS_UNCOMPARED', message, fix: 'Restore as a root owner, who may export the database (POST /export).' });
      const compared = await compareRestoredDefinitions(contents.definitions, target, warn);
      for (const s of compared.secrets) ctx.report.log(`${s.kind} ${s.name}: ${s.secret} ${s.outcome === 'proven' ? 'identical' : 'not compared'}: ${s.how}`, s.outcome === 'proven' ? 'stdout' : 'stderr');
      if (wrong.length || compared.differences.length) {
        throw new PatternDbError('E_VERIFY_MISMATCH', `The restored database differs from the backup in ${wrong.length} tables and ${compared.differences.length} definitions.`, {
          evidence: [
            ...wrong.map((t) => `${t}: ${counts[t] ?? 0} on the server, ${contents.recordsByTable[t] ?? 0} in the backup`),
            ...compared.differences.slice(0, 20).map(describeDifference),
          ].join('\n'),
          fix: 'Read the import messages above. To try again, run the same command with --replace.',
        });
      }
      return {
        file: path.resolve(input.cwd, input.file),
        url,
        namespace: input.namespace,
        database: input.database,
        backup: contents.header,
        sha256: contents.sha256,
        records: contents.records,
        recordsByTable: contents.recordsByTable,
        tables: contents.tables.length,
        definitions: contents.definitions.length,
        replaced,
        ms: 0,
      };
    },
    summary: (r) => `${r.records} records in ${r.tables} tables and ${r.definitions} definitions, as in the backup`,
  };
}

/**
 * A restore that stopped part-way left its journal: without --resume, a new restore would find its target holding
 * part of the backup. --replace starts over (the journal is set aside); otherwise the user is told how to finish it.
 */
async function settleInterruptedRun(input: RestoreInput, runDir: string, steps: readonly Step[], fingerprint: Record<string, string>): Promise<void> {
  const journal = await readJournal(runDir);
  const unfinished = journal && firstUnfinished(journal, steps.map((s) => s.name));
  if (!journal || !unfinished || !hasProgress(journal)) return;
  const f = journal.fingerprint;
  const same = ['file', 'target', 'namespace', 'database'].every((key) => f[key] === fingerprint[key]);
  if (input.resume && same) return;
  if (input.replace && !input.resume) return setJournalAside(runDir);
  const stopped = `A restore of ${f.file} into ${f.namespace}/${f.database} on ${f.target} stopped before its "${unfinished}" step finished`;
  // --resume goes on only with that restore's backup and target; another restore is told how to set it aside.
  throw new PatternDbError('E_JOURNAL', same ? `${stopped}; nothing was restored now.` : `${stopped}; this one (${fingerprint.file} into ${fingerprint.namespace}/${fingerprint.database}) is another restore, and nothing was restored now.`, {
    evidence: `journal: ${journalPath(runDir)} (last written ${journal.updatedAt})`,
    fix: same
      ? `Run the same restore with --resume to finish it, or with --replace --yes to start it over (or move ${journalPath(runDir)} away to forget it).`
      : `Finish that one first (its own command with --resume), or forget it: run this one with --replace --yes and without --resume (or move ${journalPath(runDir)} away).`,
  });
}

export async function runRestore(input: RestoreInput, run: RestoreRun): Promise<RestoreResult> {
  const started = Date.now();
  const file = path.resolve(input.cwd, input.file);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) {
    throw new PatternDbError('E_USAGE', `There is no backup file ${file}.`, {
      fix: 'Give the path of a backup made by `pattern-db backup` (<namespace>-<database>-<time>.surql.gz).',
    });
  }
  const url = httpBase(input.url);
  const runDir = path.join(input.stateDir, 'restore');
  await makeStateDir(input.stateDir);
  await makeOwnPrivateDir(runDir);
  const plainFile = path.join(runDir, 'backup.surql');
  let checked: CheckedBackup | undefined;
  let restored: RestoreResult | undefined;
  const steps = [checkBackupStep(input, file, url, plainFile), restoreImportStep(input), compareStep(input, url, () => checked!)] as Step[];
  // Held from before the journal is read: a restore running there has its journal and its copy of the backup.
  const lock = await holdStateLock(runDir);
  const onResult = (step: string, result: unknown) => {
    if (step === 'restore') checked = result as CheckedBackup;
    if (step === 'verify') restored = result as RestoreResult;
  };
  try {
    const fingerprint = { command: 'restore', file, target: url, namespace: input.namespace, database: input.database };
    await settleInterruptedRun(input, runDir, steps, fingerprint);
    await runPlan({ steps, options: restoreOptions(input, url, runDir, plainFile), fingerprint, failures: 'throw', onResult, emit: run.emit, signal: run.signal, prompter: run.prompter, stateLocked: true });
    return { ...restored!, ms: Date.now() - started };
  } catch (error) {
    if (!run.signal?.aborted || !checked) throw error;
    // Interrupted once the backup was being loaded: the database may hold part of it.
    const target = `${input.namespace}/${input.database} on ${url}`;
    throw new PatternDbError('E_CANCELLED', `The restore into ${target} was cancelled; the database may hold part of the backup.`, {
      ...(error instanceof PatternDbError ? { evidence: error.evidence ?? error.message } : {}),
      fix: 'Run the same command with --resume to finish it (its journal is kept), or with --replace to start over.',
      cause: error,
    });
  } finally {
    await fs.rm(plainFile, { force: true });
    await lock?.release();
  }
}
