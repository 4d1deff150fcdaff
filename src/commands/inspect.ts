// `pattern-db inspect [TARGET]`: a read-only browser of a database (Ink on a terminal), or its tree with counts and
// definitions for scripts (--json, or plain text without a terminal). The embedded store is always read from a copy.
import path from 'node:path';
import type { Command } from 'commander';
import { asPatternDbError, EXIT_CODES, exitCodeFor, PatternDbError } from '../core/errors.js';
import type { InspectSource, Scope, Selection } from '../core/inspect-types.js';
import { fileHistory, historyPath } from '../files/inspect-history.js';
import type { PatternDatabaseConfig } from '../core/config-model.js';
import { configuredStorePath, findServer, requireConfig } from '../files/database-target.js';
import { inspectText, queryText } from '../render/inspect-text.js';
import { jsonRenderer } from '../render/json.js';
import { formatError } from '../render/plain.js';
import { resultEvent, type CommandResult } from '../render/result.js';
import type { Prompter } from '../steps/prompter.js';
import { openEmbeddedSource } from '../surreal/inspect-embedded.js';
import { openServerSource } from '../surreal/inspect-server.js';
import { resolvePassword, withDefaultUser } from './credentials.js';
import type { Io } from './command-runner.js';
import { undoneIfInterrupted } from './interrupted.js';
import { runConsoleQuery } from './inspect-query.js';
import { buildInspectReport } from './inspect-report.js';
import { isInteractive, prompterFor } from './terminal.js';
import { DEFAULTS } from '../core/options.js';
import { USERNAME_HELP } from './flag-help.js';

export interface InspectFlags {
  config?: string;
  namespace?: string;
  database?: string;
  username?: string;
  stateDir?: string;
  write?: boolean;
  json?: boolean;
  query?: string;
}

export type InspectTarget =
  | { kind: 'embedded'; storePath: string; selection: Selection; from: string }
  | { kind: 'server'; url: string; selection: Selection; username: string; password?: string; from: string };

const DEFAULT_SELECTION: Selection = { namespace: 'pattern', database: 'pattern' };

/** TARGET on the command line: a surrealkv:// folder (relative or absolute) or a server URL. */
export function parseTarget(target: string, cwd: string): { kind: 'embedded'; storePath: string } | { kind: 'server'; url: string } {
  const kv = /^surrealkv(?:\+versioned)?:\/\/(.*)$/i.exec(target);
  if (kv) {
    const folder = kv[1] ?? '';
    if (!folder) throw new PatternDbError('E_USAGE', `${target} names no folder.`, { fix: 'Write surrealkv://DIR, e.g. surrealkv://./pattern.db or surrealkv:///home/me/pattern.db.' });
    return { kind: 'embedded', storePath: path.resolve(cwd, folder) };
  }
  if (/^(https?|wss?):\/\//i.test(target)) return { kind: 'server', url: target };
  if (/^(mem|memory)(:\/\/)?$/i.test(target)) {
    throw new PatternDbError('E_USAGE', 'An in-memory database exists only inside the process that made it: there is nothing to inspect from here.', {
      fix: 'Inspect the server that holds it (http://HOST:PORT) or a surrealkv://DIR folder.',
    });
  }
  throw new PatternDbError('E_USAGE', `${target} is neither a surrealkv:// folder nor a server URL.`, {
    fix: 'Write surrealkv://DIR for a store folder (e.g. surrealkv://./pattern.db), or http(s)://HOST:PORT (or ws(s)://) for a server.',
  });
}

function selectionFrom(flags: InspectFlags, fallback: Selection): Selection {
  return { namespace: flags.namespace ?? fallback.namespace, database: flags.database ?? fallback.database };
}

/** The server and the credentials Pattern would use (config, environment, .env), --username in front; the password may still be asked for. */
async function serverTarget(url: string | undefined, flags: InspectFlags, io: Io, cwd: string, from: string, database?: PatternDatabaseConfig): Promise<InspectTarget> {
  const server = (await findServer({ ...flags, target: url, cwd, env: io.env }, database))!;
  return { kind: 'server', url: server.url, selection: { namespace: server.namespace, database: server.database }, ...withDefaultUser(server.credentials), from };
}

/** What to open: TARGET, or the config's [database] as Pattern would use it (remote credentials included). */
export async function resolveTarget(target: string | undefined, flags: InspectFlags, io: Io, cwd: string): Promise<InspectTarget> {
  const home = io.env.HOME ?? '';
  if (target) {
    const parsed = parseTarget(target, cwd);
    const selection = selectionFrom(flags, DEFAULT_SELECTION);
    if (parsed.kind === 'embedded') return { ...parsed, selection, from: target };
    return serverTarget(parsed.url, flags, io, cwd, target);
  }
  const config = await requireConfig(flags.config, { cwd, env: io.env }, 'TARGET', 'Pass a TARGET (surrealkv://DIR or http://HOST:PORT), or --config FILE, or run from the folder that holds pattern.toml.');
  const database = config.database;
  if (database.type === 'remote') return serverTarget(undefined, flags, io, cwd, config.path, database);
  const storePath = configuredStorePath(config, cwd, 'there is no store to inspect', 'Pass a TARGET: surrealkv://DIR for a store folder, or a server URL.', home || undefined);
  return { kind: 'embedded', storePath, selection: selectionFrom(flags, DEFAULT_SELECTION), from: config.path };
}

export interface OpenInspectOptions {
  stateDir: string;
  writable: boolean;
  /** The console will run text: a store's snapshot is then served, so that a server enforces read-only. */
  console?: boolean;
  prompter: Prompter;
  env: NodeJS.ProcessEnv;
  onRequest?: (sql: string, scope: Scope) => void;
}

export async function openInspectSource(target: InspectTarget, options: OpenInspectOptions): Promise<InspectSource> {
  if (target.kind === 'embedded') {
    return openEmbeddedSource({
      storePath: target.storePath,
      stateDir: options.stateDir,
      selection: target.selection,
      writable: options.writable,
      readOnlyConsole: Boolean(options.console),
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    });
  }
  const password = target.password ?? (await resolvePassword(options.env, options.prompter, target.username));
  return openServerSource({
    url: target.url,
    username: target.username,
    password,
    selection: target.selection,
    writable: options.writable,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });
}

export async function runInspect(target: string | undefined, flags: InspectFlags, io: Io, cwd = process.cwd()): Promise<number> {
  const querying = flags.query !== undefined;
  const interactive = isInteractive(io.env) && !flags.json && !querying;
  let opening: Promise<InspectSource> | undefined;
  // Interrupted while the source opens, it is closed once open: its snapshot, private server or read-only user go too.
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= (async () => (await opening?.catch(() => undefined))?.close())());
  return undoneIfInterrupted(async () => {
    try {
      const resolved = await resolveTarget(target, flags, io, cwd);
      opening = openInspectSource(resolved, {
        stateDir: path.resolve(cwd, flags.stateDir ?? DEFAULTS.stateDir),
        writable: Boolean(flags.write),
        console: interactive || querying,
        prompter: prompterFor(interactive),
        env: io.env,
      });
      const source = await opening;
      if (interactive) {
        // Ink is loaded only for a terminal: a script's inspect starts without it.
        const { renderInspect } = await import('../ui/inspect/render-inspect.js');
        await renderInspect(source, await fileHistory(historyPath(io.env)));
        return EXIT_CODES.ok;
      }
      if (querying) return await printQuery(source, flags, io);
      const report = await buildInspectReport(source);
      if (flags.json) printJsonResult(io, { exitCode: EXIT_CODES.ok, data: { ...report } });
      else io.stdout.write(inspectText(report));
      return EXIT_CODES.ok;
    } catch (thrown) {
      return printFailure(asPatternDbError(thrown), flags, io);
    } finally {
      await close();
    }
  }, close);
}

function printJsonResult(io: Io, result: Omit<CommandResult, 'command'>): void {
  jsonRenderer(io.stdout, 'inspect')(resultEvent({ command: 'inspect', ...result }));
}

function printFailure(error: PatternDbError, flags: InspectFlags, io: Io, data: Record<string, unknown> = {}): number {
  const exitCode = exitCodeFor(error);
  if (flags.json) printJsonResult(io, { exitCode, error, data });
  else io.stderr.write(formatError(error));
  return exitCode;
}

/** --query: every statement's result on stdout; a failed statement makes the exit code, after the others are shown. */
async function printQuery(source: InspectSource, flags: InspectFlags, io: Io): Promise<number> {
  const { statements, failure } = await runConsoleQuery(source, flags.query ?? '', Boolean(flags.write));
  if (!flags.json) io.stdout.write(queryText(statements));
  if (failure) return printFailure(failure, flags, io, { statements });
  if (flags.json) printJsonResult(io, { exitCode: EXIT_CODES.ok, data: { statements } });
  return EXIT_CODES.ok;
}

export function registerInspect(program: Command, setExit: (code: number) => void, io: Io): void {
  program
    .command('inspect')
    .argument('[target]', "surrealkv://DIR or a server URL (default: the config's [database])")
    .description('browse a database read-only: tree with counts, definitions, records, edges, a query console')
    .option('--config <file>', "Pattern config (default: Pattern's own search order)")
    .option('--namespace <ns>', 'namespace to start in (default: pattern, or the config\'s)')
    .option('--database <db>', 'database to start in (default: pattern, or the config\'s)')
    .option('--username <user>', USERNAME_HELP)
    .option('--state-dir <dir>', 'where the snapshot of an embedded store is made (removed on exit)', DEFAULTS.stateDir)
    .option('--write', 'allow statements that change data in the console (each one asks first; with --query the flag is the consent)')
    .option('--query <surql>', 'no browser: run one console query (read-only unless --write) and print each statement\'s result')
    .option('--json', 'no browser: print the tree with counts and definitions (or the --query results) as one JSON document')
    .action(async (target: string | undefined, flags: InspectFlags) => setExit(await runInspect(target, flags, io)));
}
