// Decides whether SurrealQL typed into the inspector could change data. Conservative on purpose: a harmless statement
// that is refused costs the user a --write; a write that slips through could damage a database.
import { SurqlScanner } from './surql-scan.js';

export type GuardVerdict =
  | { ok: true; statements: string[] }
  | { ok: false; statements: string[]; statement: string; statementIndex: number; keyword: string; reason: string };

/** Statements (or clauses) that write, define, remove, or change the session or the live-query set. */
const WRITE_WORDS = new Set([
  'CREATE',
  'UPDATE',
  'UPSERT',
  'DELETE',
  'INSERT',
  'RELATE',
  'DEFINE',
  'REMOVE',
  'ALTER',
  'REBUILD',
  'KILL',
  'LIVE',
  'OPTION',
  'ACCESS',
  'USE',
  'IMPORT',
]);

/** Function families that can write or act outside the database; reads among them are listed in SAFE_CALLS. */
const WRITE_CALL_PREFIXES = ['fn::', 'api::', 'file::', 'http::', 'sequence::', 'mod::', 'silo::'];
const SAFE_CALLS = new Set(['http::get', 'http::head', 'file::get', 'file::head', 'file::exists', 'file::list', 'file::bucket', 'file::key']);

const REASONS: Record<string, string> = {
  USE: 'USE switches the namespace or database (and creates it if missing); choose the database in the tree instead',
  LIVE: 'LIVE SELECT registers a live query on the server',
  KILL: 'KILL ends a live query',
  OPTION: 'OPTION changes how the session writes',
  ACCESS: 'ACCESS grants or revokes access keys',
};

/** The words of a statement outside strings, comments, ⟨…⟩ and `…` identifiers, with `::` paths kept whole. */
export function codeWords(text: string): string[] {
  const words: string[] = [];
  const n = text.length;
  let i = 0;
  const skipQuoted = (close: string) => {
    i += 1;
    while (i < n && text[i] !== close) i += text[i] === '\\' ? 2 : 1;
    i += 1;
  };
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "'" || c === '"' || c === '`') skipQuoted(c);
    else if (c === '⟨') skipQuoted('⟩');
    else if ((c === '-' && next === '-') || (c === '/' && next === '/') || c === '#') {
      while (i < n && text[i] !== '\n') i += 1;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '$') {
      // A parameter ($update is a name, not a statement).
      i += 1;
      while (i < n && /\w/.test(text[i]!)) i += 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      for (;;) {
        while (j < n && /\w/.test(text[j]!)) j += 1;
        if (text[j] === ':' && text[j + 1] === ':' && /[A-Za-z_]/.test(text[j + 2] ?? '')) j += 2;
        else break;
      }
      words.push(text.slice(i, j));
      i = j;
    } else i += 1;
  }
  return words;
}

/** The first word that could change data, or undefined. */
export function writeWord(statement: string): string | undefined {
  for (const word of codeWords(statement)) {
    const upper = word.toUpperCase();
    if (WRITE_WORDS.has(upper)) return upper;
    const lower = word.toLowerCase();
    if (lower.includes('::') && WRITE_CALL_PREFIXES.some((p) => lower.startsWith(p)) && !SAFE_CALLS.has(lower)) return lower;
  }
  return undefined;
}

/** Splits the text with the dump scanner (strings and comments respected); a last statement may lack its ';'. */
export function splitStatements(text: string): string[] {
  const scanner = new SurqlScanner();
  const statements = [...scanner.push(text), ...scanner.push('\n;'), ...scanner.end()];
  return statements.map((s) => s.text.replace(/;$/, '').trim()).filter((s) => s !== '');
}

export function checkReadOnly(text: string): GuardVerdict {
  let statements: string[];
  try {
    statements = splitStatements(text);
  } catch {
    return {
      ok: false,
      statements: [],
      statement: text.trim(),
      statementIndex: 0,
      keyword: '',
      reason: 'it has an unterminated string or comment, so it cannot be checked',
    };
  }
  for (const [index, statement] of statements.entries()) {
    const word = writeWord(statement);
    if (!word) continue;
    const reason =
      REASONS[word] ??
      (word.includes('::') ? `${word}() can change data or act outside the database` : `${word} changes data or definitions`);
    return { ok: false, statements, statement, statementIndex: index, keyword: word, reason };
  }
  return { ok: true, statements };
}
