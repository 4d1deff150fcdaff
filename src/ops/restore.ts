// `pattern-db restore FILE`: a verified backup into a namespace/database that is empty (or that the user agreed to
// replace), through the migration's own chunked import, then a per-table count check against the backup.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { makePrivateDir } from '../files/private-files.js';
import { reporterFor, type Emit, type Reporter } from '../core/events.js';
import { DEFAULTS, type RunOptions } from '../core/options.js';
import { importStep } from '../steps/import.js';
import type { Prompter } from '../steps/prompter.js';
import type { RunState } from '../steps/run-state.js';
import { parseVersion } from '../core/server-version.js';
import { httpBase, SurrealHttp } from '../surreal/http.js';
import { gunzipTo, verifyArchive, type ArchiveContents } from './backup-archive.js';
import type { BackupHeader } from './backup-naming.js';
import { countRecords, databaseExists, ident, rootClient } from '../surreal/server-catalog.js';

export interface RestoreInput {
  file: string;
  url: string;
  username: string;
  password: string;
  namespace: string;
  database: string;
  replace: boolean;
  yes: boolean;
  requireChecksum: boolean;
  cwd: string;
  stateDir: string;
  prompter: Prompter;
  /** The import's events travel under its own step name, as in a migration. */
  emit: Emit;
  report: Reporter;
  signal?: AbortSignal;
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
  replaced: boolean;
  ms: number;
}

type Info = Record<string, Record<string, string> | undefined>;

/** Everything INFO FOR DB lists (tables, analyzers, functions, params, accesses, …), as "kind name" strings. */
async function definitionsIn(url: string, input: RestoreInput): Promise<string[]> {
  const root = rootClient({ url, username: input.username, password: input.password });
  if (!(await databaseExists(root, input.namespace, input.database))) return [];
  const results = await root.sql(`USE NS ${ident(input.namespace)} DB ${ident(input.database)}; INFO FOR DB;`);
  const info = (results.at(-1) ?? {}) as Info;
  return Object.entries(info).flatMap(([kind, entries]) => Object.keys(entries ?? {}).map((name) => `${kind} ${name}`));
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

async function clearTarget(url: string, input: RestoreInput, found: string[]): Promise<void> {
  const target = `${input.namespace}/${input.database} on ${url}`;
  const detail = `${target} holds ${found.length} definitions (${found.slice(0, 8).join(', ')}${found.length > 8 ? ', …' : ''}); all of its data will be removed.`;
  const approved = input.yes || (await input.prompter.confirm(`Replace ${target} with the backup? Everything in it is deleted first.`, '--yes', detail));
  if (!approved) throw new PatternDbError('E_CANCELLED', `${target} was left as it was.`);
  const root = rootClient({ url, username: input.username, password: input.password });
  await root.sql(`USE NS ${ident(input.namespace)}; REMOVE DATABASE ${ident(input.database)}; DEFINE DATABASE ${ident(input.database)};`);
  input.report.diagnostic({ level: 'info', code: 'I_RESTORE_REPLACED', message: `Removed and defined again: ${target}.` });
}

async function loadInto(url: string, plainFile: string, contents: ArchiveContents, input: RestoreInput): Promise<void> {
  const options: RunOptions = {
    ...DEFAULTS,
    cwd: input.cwd,
    target: url,
    namespace: input.namespace,
    database: input.database,
    username: input.username,
    password: input.password,
    exportFile: plainFile,
    // Over HTTP only: the same chunked /import, with indexes built once after the data.
    driver: 'sdk',
    stateDir: input.stateDir,
    yes: input.yes,
    dryRun: false,
    resume: false,
    writeEnv: false,
  };
  const state: RunState = {
    export: { file: plainFile, sha256: contents.sha256, bytes: contents.uncompressedBytes, records: contents.records, recordsByTable: contents.recordsByTable, driver: 'sdk', ms: 0 },
  };
  const report = reporterFor('import', input.emit);
  report.status('running');
  try {
    await importStep.run({
      options,
      report,
      signal: input.signal ?? new AbortController().signal,
      state,
      prompter: input.prompter,
      checkpoint: async () => undefined,
    });
  } catch (error) {
    // The import's own fix names --resume, which a restore does not have.
    if (!(error instanceof PatternDbError) || error.code !== 'E_STATEMENT') throw error;
    throw new PatternDbError('E_STATEMENT', error.message, {
      ...(error.evidence ? { evidence: error.evidence } : {}),
      fix: `Read the server's message above. ${input.namespace}/${input.database} now holds part of the backup: fix the cause, then run the same restore with --replace.`,
    });
  }
  report.status('done');
}

export async function runRestore(input: RestoreInput): Promise<RestoreResult> {
  const started = Date.now();
  const file = path.resolve(input.cwd, input.file);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) {
    throw new PatternDbError('E_USAGE', `There is no backup file ${file}.`, {
      fix: 'Give the path of a backup made by `pattern-db backup` (<namespace>-<database>-<time>.surql.gz).',
    });
  }
  // Everything is read and checked before the server is touched.
  input.report.status('running', `checking ${file}`);
  const contents = await verifyArchive(file, { requireChecksum: input.requireChecksum, ...(input.signal ? { signal: input.signal } : {}) });
  input.report.diagnostic({
    level: 'info',
    code: 'I_BACKUP_OK',
    message: `Backup intact: ${contents.records} records in ${contents.tables.length} tables${contents.header ? `, taken ${contents.header.takenAt} of ${contents.header.namespace}/${contents.header.database} (${contents.header.source})` : ''}`,
  });

  const url = httpBase(input.url);
  await assertSameMajor(url, file, contents);
  const found = await definitionsIn(url, input);
  let replaced = false;
  if (found.length > 0) {
    if (!input.replace) {
      throw new PatternDbError('E_TARGET_NOT_EMPTY', `${input.namespace}/${input.database} on ${url} is not empty; nothing was restored.`, {
        evidence: found.slice(0, 20).join('\n'),
        fix: 'Restore into an empty database (--namespace/--database), or pass --replace to delete what is there first.',
      });
    }
    await clearTarget(url, input, found);
    replaced = true;
  }

  await makePrivateDir(input.stateDir);
  const plainFile = path.join(input.stateDir, `restore-${process.pid}-${Date.now()}.surql`);
  try {
    await gunzipTo(file, plainFile, input.signal);
    await loadInto(url, plainFile, contents, input);
  } finally {
    await fs.rm(plainFile, { force: true });
  }

  const root = rootClient({ url, username: input.username, password: input.password });
  const counts = await countRecords(root, input.namespace, input.database, contents.tables);
  const wrong = contents.tables.filter((t) => (counts[t] ?? 0) !== (contents.recordsByTable[t] ?? 0));
  if (wrong.length) {
    throw new PatternDbError('E_VERIFY_MISMATCH', `The restored database differs from the backup in ${wrong.length} tables.`, {
      evidence: wrong.map((t) => `${t}: ${counts[t] ?? 0} on the server, ${contents.recordsByTable[t] ?? 0} in the backup`).join('\n'),
      fix: 'Read the import messages above. To try again, run the same command with --replace.',
    });
  }
  input.report.status('done', `${contents.records} records in ${contents.tables.length} tables, counts match the backup`);
  return {
    file,
    url,
    namespace: input.namespace,
    database: input.database,
    backup: contents.header,
    sha256: contents.sha256,
    records: contents.records,
    recordsByTable: contents.recordsByTable,
    tables: contents.tables.length,
    replaced,
    ms: Date.now() - started,
  };
}
