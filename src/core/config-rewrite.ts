// Surgical rewrite of Pattern's [database] to a remote server: only the values we set change, every
// other byte (comments, order, other sections, line endings, BOM) stays as the user wrote it.
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'smol-toml';
import { hasPlaceholder, isTable, readDatabaseConfig, type ConfigWarning } from './config-model.js';
import { PatternDbError } from './errors.js';
import { scanToml, type TomlEntry, type TomlStatement } from './toml-scan.js';

export interface RemoteTarget {
  url: string;
  namespace: string;
  database: string;
}

export interface RewriteResult {
  text: string;
  changed: boolean;
  warnings: ConfigWarning[];
}

type Edit = { start: number; end: number; text: string };

const KEYS = ['type', 'url', 'namespace', 'database'] as const;

export function rewriteDatabaseSection(text: string, target: RemoteTarget): RewriteResult {
  checkTarget(target);
  const before = parseOrThrow(text);
  if (before['database'] !== undefined && !isTable(before['database'])) {
    throw new PatternDbError('E_CONFIG_INVALID', '`database` in the config is not a table, so Pattern cannot read it.', {
      fix: 'Make `database` a [database] table (type = "embedded", path = "…") and run again.',
    });
  }
  checkKeysAreValues(before['database']);
  const wanted: Record<(typeof KEYS)[number], string> = { type: 'remote', ...target };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edits = planEdits(text, scanToml(text), wanted, eol);
  const out = applyEdits(text, edits);
  verify(before, out, target);
  return { text: out, changed: out !== text, warnings: keptValueWarnings(before['database']) };
}

/** A key the rewrite sets that is a table ([database.url], `url.x = …`) has lines of its own that cannot be replaced by a value. */
function checkKeysAreValues(database: unknown): void {
  for (const key of KEYS) {
    const value = isTable(database) ? database[key] : undefined;
    if (isTable(value) || (Array.isArray(value) && value.some(isTable))) {
      throw new PatternDbError('E_CONFIG_INVALID', `\`database.${key}\` in the config is a table, where Pattern reads a string, so the config cannot be rewritten.`, {
        fix: `Remove the [database.${key}] table (or the database.${key}.… keys) from the config, then run again.`,
      });
    }
  }
}

function checkTarget(target: RemoteTarget): void {
  for (const key of ['url', 'namespace', 'database'] as const) {
    const value = target[key];
    if (value === '' || hasPlaceholder(value)) {
      throw new PatternDbError('E_USAGE', `The ${key} for the config is ${JSON.stringify(value)}, which Pattern cannot use.`, {
        fix: hasPlaceholder(value)
          ? `Pattern does not expand \${VAR}; give the real ${key}.`
          : `Give a ${key} for the SurrealDB server.`,
      });
    }
  }
}

function parseOrThrow(text: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new PatternDbError('E_CONFIG_PARSE', 'The config is not valid TOML, so it cannot be rewritten.', {
      cause: error,
      fix: 'Fix the TOML first; load the config with loadPatternConfig to see where.',
    });
  }
}

function planEdits(text: string, statements: TomlStatement[], wanted: Record<string, string>, eol: string): Edit[] {
  const firstHeader = statements.findIndex((s) => s.kind === 'header');
  const headerAt = statements.findIndex((s) => s.kind === 'header' && !s.array && sameKey(s.key, ['database']));
  if (headerAt >= 0) {
    const next = statements.findIndex((s, i) => i > headerAt && s.kind === 'header');
    const body = statements.slice(headerAt + 1, next < 0 ? undefined : next).flatMap((s) => (s.entry ? [s] : []));
    const header = statements[headerAt]!;
    return linesEdits(text, body, 1, header.lineEnd, '', wanted, eol);
  }
  const root = statements
    .slice(0, firstHeader < 0 ? undefined : firstHeader)
    .filter((s) => s.entry !== undefined && s.key[0] === 'database');
  const whole = root.find((s) => s.key.length === 1);
  if (whole?.entry?.inline) return inlineEdits(text, whole.entry, wanted);
  if (whole) {
    throw new PatternDbError('E_CONFIG_INVALID', '`database` in the config is not a table, so Pattern cannot read it.', {
      fix: 'Make `database` a [database] table (type = "embedded", path = "…") and run again.',
    });
  }
  if (root.length > 0) return linesEdits(text, root, 2, 0, 'database.', wanted, eol);
  return [appendTable(text, wanted, eol)];
}

function sameKey(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/** Keys of a [database] table (depth 1) or root dotted keys `database.x` (depth 2). */
function linesEdits(
  text: string,
  lines: TomlStatement[],
  depth: number,
  fallbackAnchor: number,
  prefix: string,
  wanted: Record<string, string>,
  eol: string,
): Edit[] {
  const edits: Edit[] = [];
  const missing: string[] = [];
  for (const key of KEYS) {
    const line = lines.find((s) => s.key.length === depth && s.key[depth - 1] === key);
    if (line?.entry) edits.push(...replaceValue(text, line.entry, wanted[key]!));
    else missing.push(key);
  }
  if (missing.length === 0) return edits;
  const last = lines.at(-1);
  const indent = last?.entry ? text.slice(last.lineStart, last.entry.keyStart) : '';
  const sep = last?.entry ? separator(text, last.entry) : ' = ';
  const added = missing.map((key) => `${eol}${indent}${prefix}${key}${sep}${tomlString(wanted[key]!)}`).join('');
  const anchor = last ? last.lineEnd : fallbackAnchor;
  edits.push({ start: anchor, end: anchor, text: added });
  return edits;
}

function inlineEdits(text: string, entry: TomlEntry, wanted: Record<string, string>): Edit[] {
  const table = entry.inline!;
  if (table.entries.length === 0) {
    const body = KEYS.map((key) => `${key} = ${tomlString(wanted[key]!)}`).join(', ');
    return [{ start: table.open, end: table.close + 1, text: `{ ${body} }` }];
  }
  const edits: Edit[] = [];
  const missing: string[] = [];
  for (const key of KEYS) {
    const found = table.entries.find((e) => sameKey(e.key, [key]));
    if (found) edits.push(...replaceValue(text, found, wanted[key]!));
    else missing.push(key);
  }
  const last = table.entries.at(-1)!;
  if (missing.length > 0) {
    const added = missing.map((key) => `, ${key} = ${tomlString(wanted[key]!)}`).join('');
    edits.push({ start: last.valueEnd, end: last.valueEnd, text: added });
  }
  return edits;
}

function appendTable(text: string, wanted: Record<string, string>, eol: string): Edit {
  const block = ['[database]', ...KEYS.map((key) => `${key} = ${tomlString(wanted[key]!)}`)].join(eol);
  const body = text.replace(/^\uFEFF/, '');
  let added: string;
  if (body.trim() === '') added = `${block}${eol}`;
  else if (/(^|\n)[ \t]*\r?\n$/.test(body)) added = `${block}${eol}`;
  else if (body.endsWith('\n')) added = `${eol}${block}${eol}`;
  else added = `${eol}${eol}${block}`; // no final newline before: none after either
  return { start: text.length, end: text.length, text: added };
}

/** Leaves a value alone when it already reads as the wanted string, whatever quoting it uses. */
function replaceValue(text: string, entry: TomlEntry, value: string): Edit[] {
  const raw = text.slice(entry.valueStart, entry.valueEnd);
  if (decodeValue(raw) === value) return [];
  return [{ start: entry.valueStart, end: entry.valueEnd, text: tomlString(value) }];
}

function decodeValue(raw: string): unknown {
  try {
    return (parse(`v = ${raw}`) as { v: unknown }).v;
  } catch {
    return undefined;
  }
}

function separator(text: string, entry: TomlEntry): string {
  return text.slice(entry.keyEnd, entry.valueStart) === '=' ? '=' : ' = ';
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/** A TOML basic string. */
export function tomlString(value: string): string {
  const body = value.replace(
    /[\\"\u0000-\u001f\u007f]/g,
    (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${body}"`;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

/** The rewritten file must read as the intended remote config with everything else unchanged. */
function verify(before: Record<string, unknown>, out: string, target: RemoteTarget): void {
  let after: Record<string, unknown>;
  try {
    after = parse(out) as Record<string, unknown>;
  } catch (error) {
    throw writeBug('the result is not valid TOML', error);
  }
  const read = readDatabaseConfig(after);
  if (
    !read.ok ||
    read.config.type !== 'remote' ||
    read.config.url !== target.url ||
    read.config.namespace !== target.namespace ||
    read.config.database !== target.database
  ) {
    throw writeBug('[database] does not read as the intended remote config');
  }
  const oldDb = isTable(before['database']) ? before['database'] : {};
  const newDb = after['database'] as Record<string, unknown>;
  const keptKeys = new Set([...Object.keys(oldDb), ...Object.keys(newDb)].filter((k) => !(KEYS as readonly string[]).includes(k)));
  for (const key of keptKeys) {
    if (!isDeepStrictEqual(oldDb[key], newDb[key])) throw writeBug(`database.${key} would change`);
  }
  const topKeys = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => k !== 'database'));
  for (const key of topKeys) {
    if (!isDeepStrictEqual(before[key], after[key])) throw writeBug(`[${key}] would change`);
  }
}

function writeBug(what: string, cause?: unknown): PatternDbError {
  return new PatternDbError('E_CONFIG_WRITE', `The config was not changed: after rewriting, ${what}.`, {
    cause,
    fix: 'Edit [database] by hand (type = "remote", url, namespace, database), and report this as a bug in pattern-db with the config attached.',
  });
}

/** Values the rewrite keeps but Pattern will use in a way the user may not expect. */
function keptValueWarnings(database: unknown): ConfigWarning[] {
  if (!isTable(database)) return [];
  const warnings: ConfigWarning[] = [];
  const creds = ['username', 'password'].filter((key) => database[key] !== undefined);
  if (creds.length > 0) {
    warnings.push({
      code: 'W_CREDENTIALS_IN_CONFIG',
      message: `[database] sets ${creds.join(' and ')}. Pattern uses ${creds.length > 1 ? 'them' : 'it'} and ignores ${creds
        .map((k) => (k === 'username' ? 'SURREAL_USER' : 'SURREAL_PASS'))
        .join('/')} from the environment and .env.`,
      fix: `Check that ${creds.join(' and ')} in [database] ${creds.length > 1 ? 'are' : 'is'} right for the server, or remove ${
        creds.length > 1 ? 'them' : 'it'
      } and set SURREAL_USER / SURREAL_PASS in .env.`,
    });
  }
  for (const [key, value] of Object.entries(database)) {
    if ((KEYS as readonly string[]).includes(key) || typeof value !== 'string' || !hasPlaceholder(value)) continue;
    warnings.push({
      code: 'W_PLACEHOLDER',
      message: `database.${key} stays ${JSON.stringify(value)}. Pattern does not expand \${VAR}: it uses this text literally.`,
      fix: `Replace database.${key} with the real value, or remove it.`,
    });
  }
  return warnings;
}
