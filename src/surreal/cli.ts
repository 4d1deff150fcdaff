// The `surreal` program: finding it, running it with secrets in the environment only, and reading its errors.
import { constants as fsConstants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { PatternDbError } from '../core/errors.js';
import { createPrivateFile } from '../files/private-files.js';
import { forcedLine, programWasKilled, shellCouldNotRun, underWatchdog, watchdogPipe } from './parent-watchdog.js';
import { killedBySystem } from './killed-by-system.js';

export interface SurrealProgram {
  path: string;
  version: string;
  major: number;
}

export type SurrealSource = 'SURREAL_BIN' | 'SURREAL2_BIN' | 'PATH' | 'cache';
/** A surreal found, and where it was found. */
export type LocatedSurreal = SurrealProgram & { source: SurrealSource };
export type OnLine = (stream: 'stdout' | 'stderr', line: string) => void;

/** `3.0.5 for linux on x86_64`, `3.0.5+20250101.abc for …`, `SurrealDB command-line interface and server 2.3.7 for …`. */
export function parseSurrealVersion(output: string): { version: string; major: number } | null {
  const match = /(?:^|\s)v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?\s+for\s+\S+\s+on\s+\S+/m.exec(output);
  if (!match) return null;
  const [, major, minor, patch, pre] = match;
  return { version: `${major}.${minor}.${patch}${pre ?? ''}`, major: Number(major) };
}

/** The environment for a `surreal` child: no update check, and credentials (a token, or a user and password) only when this run means them. */
export function surrealEnv(
  credentials: { username?: string; password?: string; token?: string } = {},
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, SURREAL_ONLINE_VERSION_CHECK: 'false' };
  delete env.SURREAL_USER;
  delete env.SURREAL_PASS;
  // A token conflicts with user/pass (clap refuses both), RUST_LOG would override our --log level, and a
  // RUST_BACKTRACE would bury the error line under a stack trace.
  for (const name of ['SURREAL_TOKEN', 'RUST_LOG', 'RUST_BACKTRACE', 'RUST_LIB_BACKTRACE']) delete env[name];
  if (credentials.token !== undefined) {
    env.SURREAL_TOKEN = credentials.token;
    return env;
  }
  if (credentials.username !== undefined) env.SURREAL_USER = credentials.username;
  if (credentials.password !== undefined) env.SURREAL_PASS = credentials.password;
  return env;
}

/**
 * What each program said to `surreal version`, while its file stays the same (inode, size, time): a run looks for
 * both majors at once among the same candidates, and would otherwise start one program up to three times.
 */
const versionsSaid = new Map<string, Promise<SurrealProgram>>();

export async function probeSurreal(bin: string): Promise<SurrealProgram> {
  const file = await fs.stat(bin).catch(() => null);
  if (!file) return askVersion(bin);
  const key = `${bin}\u0000${file.ino}\u0000${file.size}\u0000${file.mtimeMs}`;
  const said = versionsSaid.get(key);
  if (said) return said;
  const asked = askVersion(bin);
  versionsSaid.set(key, asked);
  asked.catch(() => versionsSaid.delete(key));
  return asked;
}

async function askVersion(bin: string): Promise<SurrealProgram> {
  const result = await execa(bin, ['version'], {
    env: surrealEnv(),
    extendEnv: false,
    reject: false,
    timeout: 15_000,
    stdin: 'ignore',
  });
  if (result.failed && (result as { code?: string }).code === 'ENOENT') {
    throw new PatternDbError('E_SURREAL_MISSING', `${bin} does not exist.`, {
      fix: 'Install SurrealDB (https://surrealdb.com/install) or set SURREAL_BIN to the path of a surreal program.',
    });
  }
  const parsed = parseSurrealVersion(`${result.stdout}\n${result.stderr}`);
  if (result.exitCode !== 0 || !parsed) {
    throw new PatternDbError('E_SURREAL_FAILED', `${bin} did not report a SurrealDB version.`, {
      evidence: `${bin} version → exit ${result.exitCode ?? result.signal ?? '?'}: ${`${result.stdout}\n${result.stderr}`.trim().slice(0, 500)}`,
      fix: 'Point SURREAL_BIN at the surreal program itself (not a wrapper script or a different program).',
    });
  }
  return { path: bin, ...parsed };
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

async function onPath(env: NodeJS.ProcessEnv): Promise<string | null> {
  const names = process.platform === 'win32' ? ['surreal.exe', 'surreal'] : ['surreal'];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

/** Binaries built by scripts/ensure-surreal (`surreal-<key>` for 3.x, `surreal2-<key>` for 2.x), newest first. */
async function cached(env: NodeJS.ProcessEnv): Promise<string[]> {
  const root = path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'), 'pattern-db');
  const entries = await fs.readdir(root).catch(() => [] as string[]);
  const found: Array<{ file: string; mtime: number }> = [];
  for (const entry of entries.filter((e) => /^surreal2?-/.test(e) && !e.endsWith('-target'))) {
    const file = path.join(root, entry, 'surreal');
    if (await isExecutable(file)) found.push({ file, mtime: (await fs.stat(file)).mtimeMs });
  }
  return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.file);
}

async function chosenBy(env: NodeJS.ProcessEnv, variable: 'SURREAL_BIN' | 'SURREAL2_BIN'): Promise<LocatedSurreal | null> {
  const file = env[variable];
  if (!file) return null;
  if (!(await isExecutable(file))) {
    throw new PatternDbError('E_SURREAL_MISSING', `${variable}=${file} is not an executable file.`, {
      fix: `Set ${variable} to the full path of a surreal program, or unset it to search PATH.`,
    });
  }
  return { ...(await probeSurreal(file)), source: variable };
}

type Candidate = { file: string; source: SurrealSource };

/** The programs a search passes over, in its order: the first `surreal` on PATH, then the pattern-db cache's. */
async function candidatesOf(env: NodeJS.ProcessEnv): Promise<Candidate[]> {
  const [fromPath, fromCache] = await Promise.all([onPath(env), cached(env)]);
  return [...(fromPath ? [{ file: fromPath, source: 'PATH' as const }] : []), ...fromCache.map((file) => ({ file, source: 'cache' as const }))];
}

/**
 * Finds a `surreal` without building or downloading anything. Without `major`: $SURREAL_BIN (whatever its major,
 * since the user chose it; a broken one throws), then PATH, then the pattern-db cache. With `major` 2: $SURREAL2_BIN
 * (refused if it is another major), then the same search for a 2.x. With `major` 3: the same search, passing over
 * programs of another major ($SURREAL_BIN included: it may name the 2.x surreal).
 */
export async function locateSurreal(
  env: NodeJS.ProcessEnv = process.env,
  options: { major?: number } = {},
  searched?: Promise<Candidate[]>,
): Promise<LocatedSurreal | null> {
  const { major } = options;
  if (major === 2) {
    const chosen = await chosenBy(env, 'SURREAL2_BIN');
    if (chosen && chosen.major !== 2) {
      throw new PatternDbError('E_SURREAL_MISSING', `SURREAL2_BIN=${chosen.path} is surreal ${chosen.version}, not SurrealDB 2.`, {
        fix: "Set SURREAL2_BIN to a surreal 2.x (SurrealDB's installer takes a version, e.g. 2.6.5), or unset it to search PATH.",
      });
    }
    if (chosen) return chosen;
  }
  const chosen = await chosenBy(env, 'SURREAL_BIN');
  if (chosen && (major === undefined || chosen.major === major)) return chosen;
  for (const { file, source } of await (searched ?? candidatesOf(env))) {
    const program = await probeSurreal(file).catch(() => null);
    if (program && (major === undefined || program.major === major)) return { ...program, source };
  }
  return null;
}

/**
 * Both majors' programs, as locateSurreal finds each (3, then 2), from one search of PATH and the cache. Every
 * candidate is asked its version once, all at the same time, instead of the search for a 2.x waiting on each 3.x it
 * passes over.
 */
export async function locateBothMajors(env: NodeJS.ProcessEnv = process.env): Promise<[LocatedSurreal | null, LocatedSurreal | null]> {
  const ask = (file: string | undefined) => void (file && probeSurreal(file).catch(() => undefined));
  ask(env.SURREAL2_BIN);
  ask(env.SURREAL_BIN);
  const searched = candidatesOf(env);
  void searched.then((found) => found.forEach(({ file }) => ask(file)));
  return Promise.all([locateSurreal(env, { major: 3 }, searched), locateSurreal(env, { major: 2 }, searched)]);
}

const TAIL_LINES = 40;

const DONE_GRACE_MS = 3_000;
/** How long a surreal may take to exit once it is let go of (cancelled, or pattern-db gone) before it is killed. */
const STOP_GRACE_MS = 3_000;

/**
 * Runs `surreal` with the given environment only, streaming its output line by line; abort stops it (E_CANCELLED).
 * It runs under the watchdog (parent-watchdog.ts): an export or an import never goes on after pattern-db has gone,
 * even killed with SIGKILL.
 */
export async function runSurreal(
  bin: string,
  args: string[],
  options: {
    env: NodeJS.ProcessEnv;
    signal?: AbortSignal;
    onLine?: OnLine;
    /** A log line that says the work is done: a process still alive `doneGraceMs` after it is killed and counted as a success. */
    doneWhen?: RegExp;
    /** How long a process that said it is done may take to exit by itself (3 s unless given). */
    doneGraceMs?: number;
  },
): Promise<{ exitCode: number; stderrTail: string[] }> {
  const wrapped = underWatchdog(bin, args, STOP_GRACE_MS, forcedLine('surreal'));
  const child = execa(wrapped.file, wrapped.args, { env: options.env, extendEnv: false, reject: false, buffer: false, stdin: 'pipe' });
  const letGo = watchdogPipe(child.stdin!);
  const onAbort = () => letGo('stop');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const stderrTail: string[] = [];
  let doneTimer: NodeJS.Timeout | undefined;
  let killedWhenDone = false;
  const follow = (stream: 'stdout' | 'stderr') => {
    const source = child[stream];
    if (!source) return Promise.resolve();
    const lines = createInterface({ input: source, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (stream === 'stderr') {
        stderrTail.push(line);
        if (stderrTail.length > TAIL_LINES) stderrTail.shift();
      }
      options.onLine?.(stream, line);
      if (options.doneWhen?.test(line) && !doneTimer) {
        doneTimer = setTimeout(() => {
          killedWhenDone = true;
          letGo('kill');
        }, options.doneGraceMs ?? DONE_GRACE_MS);
      }
    });
    return new Promise<void>((resolve) => lines.once('close', () => resolve()));
  };
  const [result] = await Promise.all([child, follow('stdout'), follow('stderr')]);
  clearTimeout(doneTimer);
  options.signal?.removeEventListener('abort', onAbort);
  letGo('stop');
  const command = `${path.basename(bin)} ${args.join(' ')}`;
  if (killedWhenDone) return { exitCode: 0, stderrTail };
  if (options.signal?.aborted) {
    throw new PatternDbError('E_CANCELLED', `Cancelled while running ${command}.`, { evidence: command });
  }
  // The shell says so when it cannot run the program: `/bin/sh: 1: BIN: not found` (127), `Permission denied` (126).
  if (shellCouldNotRun(result.exitCode) && stderrTail.some((line) => line.includes(bin))) {
    throw new PatternDbError('E_SURREAL_MISSING', `${bin} does not exist or cannot be run.`, {
      evidence: [command, ...stderrTail.slice(-3)].join('\n'),
      fix: 'Install SurrealDB or set SURREAL_BIN to the path of a surreal program.',
    });
  }
  if (programWasKilled(result.exitCode)) throw killedBySystem(path.basename(bin), `running ${command}`, stderrTail);
  if (result.failed && result.exitCode === undefined) {
    throw new PatternDbError('E_SURREAL_FAILED', `${command} ended without an exit code (${result.signal ?? result.shortMessage}).`, {
      evidence: [command, ...stderrTail.slice(-10)].join('\n'),
    });
  }
  return { exitCode: result.exitCode ?? 1, stderrTail };
}

const ANSI = /\u001b\[[0-9;]*m/g;
const LOG_LINE = /^\d{4}-\d\d-\d\dT\S+\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+([\w:]+):\s?(.*)$/;

/** Output lines without colours, and without the Rust backtrace that RUST_BACKTRACE=1 appends. */
export function cleanSurrealLines(lines: string[]): string[] {
  const clean = lines.map((l) => l.replace(ANSI, '').trimEnd());
  const backtrace = clean.findIndex((l) => l === 'Stack backtrace:');
  return (backtrace >= 0 ? clean.slice(0, backtrace) : clean).filter(Boolean);
}

/** The last ERROR entry with its continuation lines (a JSON body, a parse error's caret, `Caused by:`). */
function lastError(lines: string[]): { first: string; block: string } | null {
  let at = lines.length - 1;
  while (at >= 0 && LOG_LINE.exec(lines[at]!)?.[1] !== 'ERROR' && !/^error: /.test(lines[at]!)) at -= 1;
  if (at < 0) return null;
  const rest: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (LOG_LINE.test(line)) break;
    rest.push(line);
  }
  const head = LOG_LINE.exec(lines[at]!)?.[3] ?? lines[at]!.replace(/^error: /, '');
  const block = [head, ...rest].join('\n').trim();
  const json = /\{[\s\S]*\}/.exec(block)?.[0];
  let information: string | undefined;
  try {
    information = json ? (JSON.parse(json) as { information?: string }).information : undefined;
  } catch {
    information = undefined;
  }
  const first = information ? `${head.trim()} ${information}`.trim() : (head.trim() || rest.find((l) => l.trim())?.trim() || block);
  return { first, block };
}

/** The text of the last ERROR surreal printed, e.g. `Address already in use (os error 98)`. */
export function surrealErrorText(lines: string[]): string | null {
  return lastError(cleanSurrealLines(lines))?.first ?? null;
}

/** The `surreal` CLI's error output (`ERROR surrealdb_server::cli: …`, maybe `Caused by:` lines) as a PatternDbError. */
export function classifySurrealError(stderrLines: string[]): PatternDbError {
  const lines = cleanSurrealLines(stderrLines);
  const evidence = lines.slice(-15).join('\n');
  const text = lines.join('\n');
  const said = lastError(lines)?.first ?? lines.at(-1) ?? 'surreal printed no error';
  const has = (re: RegExp) => re.test(text);

  const majorFix =
    'The surreal CLI only talks to servers of its own major version (2.x CLI ↔ 2.x server, 3.x ↔ 3.x). ' +
    'Use a surreal of the server\'s major version (set SURREAL_BIN), or let pattern-db import over HTTP.';
  if (has(/does not match the range supported by the client/)) {
    return new PatternDbError('E_SURREAL_FAILED', `The surreal program and the server are different major versions: ${said}`, { evidence, fix: majorFix });
  }
  // The 3.3.5 CLI against a 2.6.5 server (and the 2.6.5 CLI against a 3.3.5 one) never reaches the version check: the
  // server's /rpc refuses the client's first request ("HTTP status client error (400 Bad Request) for url (http://…/rpc)"),
  // or over ws:// the handshake fails ("WebSocket protocol error: SubProtocol error: Server sent no subprotocol").
  if (has(/\(400 Bad Request\) for url \(\S+\/rpc\)/)) {
    return new PatternDbError('E_SURREAL_FAILED', `The server's /rpc refused the surreal program, as a server of another major version does: ${said}`, { evidence, fix: majorFix });
  }
  if (has(/SubProtocol error: Server sent no subprotocol/)) {
    return new PatternDbError('E_SURREAL_FAILED', `The server refused the surreal program's WebSocket, as a server of another major version does: ${said}`, { evidence, fix: majorFix });
  }
  if (has(/There was a problem with authentication|The password did not verify|The (token|session) has expired|\(401 Unauthorized\)/)) {
    return new PatternDbError('E_AUTH', `The server refused the credentials: ${said}`, {
      evidence,
      fix: 'Check SURREAL_USER and SURREAL_PASS: they must name a root user of the server (Pattern signs in at root level only).',
    });
  }
  if (has(/Not enough permissions|\(403 Forbidden\)|"code": 403/)) {
    return new PatternDbError('E_PERMISSION', `The server did not allow this: ${said}`, {
      evidence,
      fix:
        'Set SURREAL_USER and SURREAL_PASS to a root user with the OWNER or EDITOR role; without them the request is anonymous.',
    });
  }
  if (has(/is already locked by another process/)) {
    return new PatternDbError('E_STORE_LOCKED', `The store is in use by another process: ${said}`, {
      evidence,
      fix: 'Stop the program that holds the store (Pattern, or a surreal server started on it), then run again.',
    });
  }
  if (has(/out-of-date with this version|failed to fill whole buffer|Failed to load manifest|Invalid revision|Invalid transaction record|corrupt/i)) {
    return new PatternDbError('E_STORE_FORMAT', `The store has a format this surreal cannot read: ${said}`, {
      evidence,
      fix:
        'A store written by SurrealDB 2.x must be exported with a 2.x surreal (2.6+ with --v3 for a 3.x server). ' +
        'If the store was written by this version, it may be damaged: restore it from a backup copy.',
    });
  }
  if (has(/failed to lookup address|dns error|Name or service not known/i)) {
    return new PatternDbError('E_HOST_NOT_FOUND', `The server's host name does not resolve: ${said}`, {
      evidence,
      fix: 'Check the host in --endpoint, or use its IP address.',
    });
  }
  if (has(/Connection refused|error sending request|tcp connect error/i)) {
    return new PatternDbError('E_CONN_REFUSED', `Nothing is listening at the endpoint: ${said}`, {
      evidence,
      fix: 'Start the server (for example `pattern-db server start`), or check the host and port of --endpoint.',
    });
  }
  if (has(/Surreal import failed/)) {
    return new PatternDbError('E_IMPORT', `The import stopped at a failing statement: ${said}`, {
      evidence,
      fix: 'Statements before the failing one are already applied. Fix the statement (or import into an empty database) and import again.',
    });
  }
  return new PatternDbError('E_SURREAL_FAILED', `surreal failed: ${said}`, {
    evidence,
    fix: 'Read the surreal output above; every line it printed is in the log.',
  });
}

export interface CliTarget {
  bin: string;
  /** `surreal export --v3` (2.6+): write SurrealQL a SurrealDB 3 server reads. */
  v3?: boolean;
  /**
   * The export reads a throwaway copy: once it says the file is written, it is stopped at once. A 3.3.5 closing a
   * 100,000-message store it has just opened spends 11 s after its success line on that copy, which is then removed.
   */
  throwaway?: boolean;
  /** Settings added to surreal's environment; one the user set there wins. */
  env?: Readonly<Record<string, string>>;
  endpoint: string;
  namespace: string;
  database: string;
  file: string;
  /** Called once the file being written (FILE.partial) exists, empty, before `surreal export` starts. */
  onCreated?: (partial: string) => Promise<void>;
  username?: string;
  password?: string;
  /**
   * A root session's token, used instead of the user and password: the server checks a token by its signature, but a
   * password against its hash at every sign-in, about 20 ms of its CPU for each `surreal import` (3.3.5).
   */
  token?: string;
  signal?: AbortSignal;
  onLine?: OnLine;
}

function commandOf(bin: string, args: string[]): string {
  return `${path.basename(bin)} ${args.join(' ')}`;
}

/** Where `cliExport` writes while the export runs; renamed to the file when it succeeds. */
export function cliPartialPath(file: string): string {
  return `${file}.partial`;
}

/**
 * `surreal export` into FILE (never stdout: INFO logs would land in the dump). It writes to FILE.partial first, so a
 * failed export leaves no half file and an earlier export at FILE survives.
 */
export async function cliExport(target: CliTarget): Promise<void> {
  const partial = cliPartialPath(target.file);
  // --log info for the success line: after it, `surreal export` of a surrealkv folder sometimes hangs while closing the store.
  const args = ['export', '--endpoint', target.endpoint, '--namespace', target.namespace, '--database', target.database, ...(target.v3 ? ['--v3'] : []), '--log', 'info', partial];
  const env = { ...target.env, ...surrealEnv({ username: target.username, password: target.password }) };
  try {
    // surreal creates files with the umask's mode (0644 as a rule); it fills this 0600 one instead.
    await fs.rm(partial, { force: true });
    await createPrivateFile(partial);
    await target.onCreated?.(partial);
    const run = await runSurreal(target.bin, args, { env, ...pick(target), doneWhen: /exported successfully/, ...(target.throwaway ? { doneGraceMs: 0 } : {}) });
    if (run.exitCode !== 0) throw withCommand(classifySurrealError(run.stderrTail), target.bin, args);
    await fs.rename(partial, target.file);
  } catch (error) {
    await fs.rm(partial, { force: true });
    throw error;
  }
}

/** Where the parser points: `--> [line:column]`. */
const PARSE_AT = /-->\s*\[(\d+):(\d+)\]/;

/**
 * `surreal validate FILE`: parses the file with this surreal's own parser (run the target's major on an export before
 * importing it). Resolves when it says OK; otherwise E_EXPORT with the parser's words. FILE may be a piece of the
 * export, its lines from `firstLine` on: a refusal names the line of the export, not of the piece.
 */
export async function cliValidate(bin: string, file: string, signal?: AbortSignal, firstLine = 1): Promise<void> {
  const args = ['validate', file];
  const lines: string[] = [];
  const run = await runSurreal(bin, args, { env: surrealEnv(), ...(signal ? { signal } : {}), onLine: (_stream, line) => lines.push(line) });
  if (run.exitCode === 0) return;
  const said = cleanSurrealLines(lines);
  const at = said.map((l) => PARSE_AT.exec(l)).find(Boolean);
  const line = at ? firstLine + Number(at[1]) - 1 : undefined;
  const what = said.find((l) => /error/i.test(l)) ?? said.find((l) => /: (KO|FAIL)$/.test(l)) ?? said.at(-1) ?? `exit ${run.exitCode}`;
  throw new PatternDbError('E_EXPORT', `surreal validate refused the export${line ? ` at its line ${line}` : ''}: ${what}`, {
    evidence: [`${commandOf(bin, args)}${firstLine > 1 ? ` (the export's lines from ${firstLine} on)` : ''}`, ...said.slice(-15)].join('\n'),
    fix: 'The export holds SurrealQL the target version cannot parse (the statement is shown above), so nothing of it was sent. Report that statement: it is something pattern-db does not repair yet.',
  });
}

/** `surreal import` over http(s) only; credentials travel in the environment. */
export async function cliImport(target: CliTarget): Promise<void> {
  if (/^wss?:/i.test(target.endpoint)) {
    const http = target.endpoint.replace(/^ws/i, 'http').replace(/\/rpc\/?$/, '');
    throw new PatternDbError('E_IMPORT', `Imports need an http:// or https:// endpoint, not ${target.endpoint}.`, {
      evidence: 'surreal answers ws:// imports with: The protocol or storage engine does not support backups on this architecture',
      fix: `Use --endpoint ${http} (the same server over HTTP).`,
    });
  }
  const args = ['import', '--endpoint', target.endpoint, '--namespace', target.namespace, '--database', target.database, '--log', 'warn', target.file];
  const env = surrealEnv(target.token !== undefined ? { token: target.token } : { username: target.username, password: target.password });
  const run = await runSurreal(target.bin, args, { env, ...pick(target) });
  if (run.exitCode !== 0) throw withCommand(classifySurrealError(run.stderrTail), target.bin, args);
}

function pick(target: CliTarget): { signal?: AbortSignal; onLine?: OnLine } {
  return { ...(target.signal ? { signal: target.signal } : {}), ...(target.onLine ? { onLine: target.onLine } : {}) };
}

function withCommand(error: PatternDbError, bin: string, args: string[]): PatternDbError {
  return new PatternDbError(error.code, error.message, {
    evidence: `${commandOf(bin, args)}\n${error.evidence ?? ''}`.trimEnd(),
    ...(error.fix ? { fix: error.fix } : {}),
  });
}
