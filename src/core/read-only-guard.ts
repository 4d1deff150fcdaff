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

/**
 * The words of a statement outside strings, comments, ⟨…⟩ and `…` identifiers, with `::` paths kept whole. SurrealQL
 * allows space and comments around `::` (`fn :: purge`) and quoted segments (fn::`purge`): each is read as one path,
 * so the early message names the call the server will make. With `everywhere`, nothing hides a word: strings,
 * comments, quoted names and parameter names are read as words too.
 */
export function codeWords(text: string, everywhere = false): string[] {
  const words: string[] = [];
  const n = text.length;
  let i = 0;
  const skipQuoted = (close: string) => {
    i += 1;
    while (i < n && text[i] !== close) i += text[i] === '\\' ? 2 : 1;
    i += 1;
  };
  /** The index of the first character at or after `from` that is not space or a comment. */
  const afterTrivia = (from: number): number => {
    let j = from;
    for (;;) {
      while (j < n && /\s/.test(text[j]!)) j += 1;
      if ((text[j] === '-' && text[j + 1] === '-') || (text[j] === '/' && text[j + 1] === '/') || text[j] === '#') {
        while (j < n && text[j] !== '\n') j += 1;
      } else if (text[j] === '/' && text[j + 1] === '*') {
        const end = text.indexOf('*/', j + 2);
        j = end < 0 ? n : end + 2;
      } else return j;
    }
  };
  /** A path segment at j: a plain word or a quoted identifier; its text and where it ends. */
  const segmentAt = (j: number): { name: string; end: number } => {
    const open = text[j];
    const close = open === '`' ? '`' : open === '⟨' ? '⟩' : undefined;
    if (close) {
      const end = text.indexOf(close, j + 1);
      return end < 0 ? { name: text.slice(j + 1), end: n } : { name: text.slice(j + 1, end), end: end + 1 };
    }
    let k = j;
    while (k < n && /\w/.test(text[k]!)) k += 1;
    return { name: text.slice(j, k), end: k };
  };
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (everywhere && !/[A-Za-z_]/.test(c)) i += 1;
    else if (c === "'" || c === '"' || c === '`') skipQuoted(c);
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
      let { name: word, end } = segmentAt(i);
      for (;;) {
        const sep = afterTrivia(end);
        if (text[sep] !== ':' || text[sep + 1] !== ':') break;
        const segment = segmentAt(afterTrivia(sep + 2));
        word += `::${segment.name}`;
        end = segment.end;
      }
      words.push(word);
      i = end;
    } else i += 1;
  }
  // A path's segments skip the comments between them: any word in those counts too.
  return everywhere ? [...words, ...(text.match(/[A-Za-z_]\w*/g) ?? [])] : words;
}

/** The first word that could change data, or undefined; with `everywhere`, strings and comments hide none. */
export function writeWord(statement: string, everywhere = false): string | undefined {
  for (const word of codeWords(statement, everywhere)) {
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

/**
 * Why the scan above cannot be trusted to know what is quoted or commented out, when SurrealDB reads part of the text
 * by other rules: a '/' where a value belongs begins a regex (/…/), and a JavaScript function's body is read as
 * JavaScript. A quote, `--` or `#` the scan took for the start of a string or comment could then reveal any statement
 * after it to the server, even one the split left out of every statement. In such a text, every word counts.
 */
function readingOf(text: string): string | undefined {
  if (text.includes('/')) return 'the text holds a "/", which SurrealDB can read as the start of a regex (/…/), inside which quotes and comment marks mean nothing';
  if (/\bfunction\b/i.test(text)) return 'the text holds a JavaScript function, whose body SurrealDB reads by JavaScript\'s rules, where `--` and `#` begin no comment';
  return undefined;
}

function reasonFor(word: string): string {
  return REASONS[word] ?? (word.includes('::') ? `${word}() can change data or act outside the database` : `${word} changes data or definitions`);
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
      reason: 'it ends inside a string, a comment or a bracket left open, so it cannot be checked',
    };
  }
  for (const [index, statement] of statements.entries()) {
    const word = writeWord(statement);
    if (word) return { ok: false, statements, statement, statementIndex: index, keyword: word, reason: reasonFor(word) };
  }
  const reading = readingOf(text);
  const hidden = reading ? writeWord(text, true) : undefined;
  if (reading && hidden) {
    const index = Math.max(0, statements.findIndex((statement) => writeWord(statement, true) === hidden));
    return { ok: false, statements, statement: statements[index] ?? text.trim(), statementIndex: index, keyword: hidden, reason: `${reasonFor(hidden)}, wherever it stands: ${reading}` };
  }
  return { ok: true, statements };
}
