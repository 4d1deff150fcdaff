// Finding, reading and safely replacing Pattern's config file and its .env.
import { randomBytes } from 'node:crypto';
import { open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { isDiskFull, PatternDbError } from '../core/errors.js';
import {
  findPlaceholders,
  isTable,
  readDatabaseConfig,
  type ConfigWarning,
  type PatternDatabaseConfig,
} from '../core/config-model.js';
import { upsertEnvVars } from '../core/env-file.js';
import { maskCredentials } from '../core/secret-mask.js';
import { patternDotenvForWriting } from './pattern-credentials.js';
import { errorText } from '../core/error-text.js';

export interface SearchOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  home: string;
  /** Defaults to process.platform; decides where `dirs::config_dir()` points. */
  platform?: NodeJS.Platform;
}

export interface LocatedConfig {
  path: string;
  source: 'flag' | 'search';
}

export interface LoadedConfig {
  path: string;
  /** The file as written, BOM included: hand this to rewriteDatabaseSection. */
  text: string;
  parsed: Record<string, unknown>;
  database: PatternDatabaseConfig;
  warnings: ConfigWarning[];
}

/** Pattern's `config_paths()`: the first one that exists wins. */
export function configSearchPaths({ cwd, env, home, platform = process.platform }: SearchOptions): string[] {
  const paths = [path.join(cwd, 'pattern.toml')];
  const configDir = userConfigDir(env, home, platform);
  if (configDir) paths.push(path.join(configDir, 'pattern', 'config.toml'));
  if (home) paths.push(path.join(home, '.pattern', 'config.toml'));
  return paths;
}

/** The `dirs` crate: XDG_CONFIG_HOME only counts when absolute. */
function userConfigDir(env: SearchOptions['env'], home: string, platform: NodeJS.Platform): string | null {
  if (platform === 'darwin') return home ? path.join(home, 'Library', 'Application Support') : null;
  if (platform === 'win32') return env['APPDATA'] ?? null;
  const xdg = env['XDG_CONFIG_HOME'];
  if (xdg && path.isAbsolute(xdg)) return xdg;
  return home ? path.join(home, '.config') : null;
}

export async function locateConfig(explicit: string | undefined, opts: SearchOptions): Promise<LocatedConfig | null> {
  if (explicit !== undefined) {
    const file = path.resolve(opts.cwd, explicit);
    const info = await stat(file).catch(() => null);
    if (!info || info.isDirectory()) {
      throw new PatternDbError('E_CONFIG_NOT_FOUND', `${info ? 'This is a folder, not a config file' : 'There is no file'}: ${file} (given with --config).`, {
        fix: `Check the path, or leave out --config to use the file Pattern finds itself (${configSearchPaths(opts).join(', ')}).`,
      });
    }
    return { path: file, source: 'flag' };
  }
  // Rust's Path::exists(): anything that stats, so a folder named pattern.toml still "wins" in Pattern.
  for (const candidate of configSearchPaths(opts)) {
    if (await stat(candidate).then(() => true, () => false)) return { path: candidate, source: 'search' };
  }
  return null;
}

export async function loadPatternConfig(file: string): Promise<LoadedConfig> {
  const text = await readText(file);
  const body = text.replace(/^\uFEFF/, '');
  let parsed: Record<string, unknown>;
  try {
    parsed = parse(body) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    throw new PatternDbError('E_CONFIG_PARSE', `${file}:${error.line}:${error.column}: not valid TOML (${reason}).`, {
      cause: error,
      evidence: caretAt(body, error.line, error.column),
      fix: `Fix line ${error.line} of ${file}; Pattern cannot read this file either until it parses.`,
    });
  }
  const read = readDatabaseConfig(parsed);
  if (!read.ok) {
    throw new PatternDbError('E_CONFIG_INVALID', `Pattern cannot read [database] in ${file}: ${read.problems.join('; ')}.`, {
      evidence: read.problems.join('\n'),
      fix: 'Fix [database] so Pattern itself accepts it: it needs `type = "embedded"` (with `path`) or `type = "remote"` (with `url`, `namespace`, `database`).',
    });
  }
  return { path: file, text, parsed, database: read.config, warnings: [...read.warnings, ...fileWarnings(parsed)] };
}

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : `it cannot be read (${code})`;
    throw new PatternDbError('E_CONFIG_NOT_FOUND', `Cannot use ${file} as the Pattern config: ${why}.`, {
      cause: error,
      fix: 'Give the config file Pattern runs with, with --config <file>.',
    });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new PatternDbError('E_CONFIG_PARSE', `${file} is not UTF-8 text, so neither Pattern nor pattern-db can read it.`, {
      cause: error,
      fix: 'Save the file as UTF-8 (for example with `iconv -t UTF-8`).',
    });
  }
}

/** The line with a caret under the column, credentials masked (the caret moves with the shorter text). */
function caretAt(text: string, line: number, column: number): string {
  const source = (text.split('\n')[line - 1] ?? '').replace(/\r$/, '');
  // Keep tabs so the caret lines up under the same character.
  const pad = maskCredentials(source.slice(0, Math.max(0, column - 1))).replace(/[^\t]/g, ' ');
  return `${line} | ${maskCredentials(source)}\n${' '.repeat(String(line).length)} | ${pad}^`;
}

function fileWarnings(parsed: Record<string, unknown>): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const missing = ['user', 'agent', 'model'].filter((key) => !isTable(parsed[key]));
  if (missing.length > 0) {
    warnings.push({
      code: 'W_CONFIG_INCOMPLETE',
      message: `This file has no ${missing.map((k) => `[${k}]`).join(', ')}, which Pattern requires: Pattern would stop with "missing field \`${missing[0]}\`". It may not be the config Pattern runs with.`,
      fix: 'Point pattern-db at the file Pattern loads, with --config <file>.',
    });
  }
  const elsewhere = findPlaceholders(parsed).filter((key) => !key.startsWith('database.'));
  if (elsewhere.length > 0) {
    warnings.push({
      code: 'W_PLACEHOLDER',
      message: `${elsewhere.join(', ')} contain${elsewhere.length === 1 ? 's' : ''} \${…}. Pattern does not expand \${VAR}: it uses the text literally.`,
      fix: 'Write the real values into the config, or move secrets to the environment variables Pattern reads.',
    });
  }
  return warnings;
}

/**
 * The embedded store's folder, or null for a remote or in-memory (empty path) database.
 * Pattern hands `path` straight to SurrealDB (`surrealkv://<path>`), so a relative path is resolved
 * against the CWD Pattern is started from, NOT the config file's folder (unlike content_path/config_path).
 * SurrealDB expands a leading `~` (reference/surrealdb-facts.md §3).
 */
export function resolveStorePath(database: PatternDatabaseConfig, cwd: string, home: string = os.homedir()): string | null {
  if (database.type !== 'embedded' || database.path === '') return null;
  const raw = database.path === '~' || database.path.startsWith('~/') ? path.join(home, database.path.slice(1)) : database.path;
  return path.resolve(cwd, raw);
}

export interface WriteOptions {
  /** The text the caller read and diffed: refuse to write if the file changed since (Pattern rewrites it, too). */
  expectedText?: string;
  /** Runs between the backup and the replacement (a test pauses there: see core/pause-point.ts). */
  afterBackup?: () => Promise<void>;
}

/** Backup, then temp file + fsync + rename. On failure the original is untouched and nothing is left behind. */
export async function writeConfigAtomically(file: string, newText: string, options: WriteOptions = {}): Promise<{ backupPath: string }> {
  let target: string;
  let current: Buffer;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    target = await realpath(file); // write through a symlink (dotfile managers) instead of replacing it
    info = await stat(target);
    current = await readFile(target);
  } catch (error) {
    throw fileError(error, 'the Pattern config', file);
  }
  if (options.expectedText !== undefined && current.toString('utf8') !== options.expectedText) {
    throw new PatternDbError('E_CONFIG_WRITE', `${file} changed after pattern-db read it, so it was not overwritten.`, {
      fix: 'Stop any running pattern-cli (it rewrites its config), then run this step again to see a fresh diff.',
    });
  }
  const mode = info.mode & 0o7777;
  const backupPath = await writeBackup(file, current, mode, info);
  await options.afterBackup?.();
  try {
    await replaceFile(target, newText, mode, info);
  } catch (error) {
    await rm(backupPath, { force: true }).catch(() => undefined);
    throw fileError(error, 'the Pattern config', target);
  }
  return { backupPath };
}

/** Upserts into the .env Pattern started in `dir` loads (pattern-credentials.ts); the file ends up mode 0600. */
export async function writeEnvFile(dir: string, vars: Record<string, string>): Promise<string> {
  const file = await patternDotenvForWriting(dir);
  let target = file;
  let existing = '';
  let owner: { uid: number; gid: number } | undefined;
  try {
    target = await realpath(file);
    owner = await stat(target);
    existing = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await readFile(target));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw envUnreadable(error, file);
  }
  try {
    await replaceFile(target, upsertEnvVars(existing, vars), 0o600, owner);
  } catch (error) {
    throw fileError(error, 'the .env file', target);
  }
  return file;
}

/** A .env that is there but cannot be read: its lines are kept, so it is not written over blind. */
function envUnreadable(error: unknown, file: string): PatternDbError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const evidence = errorText(error);
  if (code === 'EISDIR') {
    return new PatternDbError('E_CONFIG_WRITE', `${file} is a folder, not a .env file. Nothing was changed.`, { cause: error, evidence, fix: `Move ${file} away, then run again.` });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new PatternDbError('E_NOT_WRITABLE', `The .env file ${file} cannot be read (another user's, or a mode that lets no one read it), so SURREAL_USER and SURREAL_PASS cannot be added to its lines. Nothing was changed.`, {
      cause: error,
      evidence,
      fix: `Make it the file of the user running pattern-db (sudo chown "$(id -un)" "${file}"), or move it away, then run again.`,
    });
  }
  return fileError(error, 'the .env file', file);
}

/** The config's copy, the config's mode and owner: run as root on a user's config, the user can still read it. */
async function writeBackup(file: string, bytes: Buffer, mode: number, owner: { uid: number; gid: number }): Promise<string> {
  const base = `${file}.bak-${timestamp(new Date())}`;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    try {
      await writeSynced(candidate, bytes, mode, 'wx', owner);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      // Made but not filled (a full disk): a backup that holds nothing must not be taken for one.
      await rm(candidate, { force: true }).catch(() => undefined);
      throw fileError(error, 'the backup of the Pattern config', candidate);
    }
  }
}

function timestamp(d: Date): string {
  const p = (v: number): string => String(v).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

async function replaceFile(target: string, text: string, mode: number, owner?: { uid: number; gid: number }): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeSynced(temp, Buffer.from(text, 'utf8'), mode, 'wx', owner);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(path.dirname(target));
}

async function writeSynced(file: string, bytes: Buffer, mode: number, flag: string, owner?: { uid: number; gid: number }): Promise<void> {
  const handle = await open(file, flag, mode);
  try {
    await handle.writeFile(bytes);
    await handle.chmod(mode); // the umask may have narrowed the mode given to open()
    // Running as root on a user's file must not hand the file to root.
    if (owner && process.getuid?.() === 0) await handle.chown(owner.uid, owner.gid).catch(() => undefined);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the rename itself durable; not every platform can open a folder, which is fine. */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // best effort
  }
}

function fileError(error: unknown, what: string, file: string): PatternDbError {
  if (error instanceof PatternDbError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = errorText(error);
  const dir = path.dirname(file);
  const unchanged = 'Nothing was changed.';
  if (isDiskFull(error)) {
    return new PatternDbError('E_DISK_FULL', `There is no space left in ${dir} to write ${what}. ${unchanged}`, {
      cause: error,
      evidence: reason,
      fix: `Free some space on the disk that holds ${dir} and run this step again.`,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new PatternDbError('E_NOT_WRITABLE', `${capital(what)} cannot be written: ${code === 'EROFS' ? `${dir} is on a read-only file system` : `no permission to write in ${dir}`}. ${unchanged}`, {
      cause: error,
      evidence: reason,
      fix: `Run pattern-db as the user who owns ${dir}, or make it writable (chmod u+w "${dir}").`,
    });
  }
  if (code === 'ENOENT') {
    return new PatternDbError('E_CONFIG_NOT_FOUND', `Cannot write ${what}: ${file} does not exist. ${unchanged}`, {
      cause: error,
      evidence: reason,
      fix: 'Check the path of the Pattern config (--config <file>).',
    });
  }
  return new PatternDbError('E_CONFIG_WRITE', `${capital(what)} could not be written at ${file} (${code ?? 'error'}). ${unchanged}`, {
    cause: error,
    evidence: reason,
    fix: `Check that ${dir} is a normal, writable folder and that the path is right, then run this step again.`,
  });
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
