// What a restore runs: only the statements an export of one database holds. A .sha256 beside an archive proves it
// was not damaged, not who wrote it, and the import runs as an owner; so each statement (as the splitter sees it) is
// classified by its leading words, and anything that reaches another namespace, database or the root is refused.
import { literalInsertProblem } from './export-data-literal.js';
import { codeWords } from './read-only-guard.js';
import { unrestorableAccessKey } from './redacted-access-key.js';
import type { Statement } from './surql-scan.js';

/**
 * DEFINE kinds that only exist inside the database (DEFINE USER and ACCESS also need ON DATABASE). Buckets, modules
 * and models are left out: they reach files on the server's machine.
 */
const DATABASE_DEFINES = new Set(['TABLE', 'FIELD', 'INDEX', 'ANALYZER', 'FUNCTION', 'PARAM', 'EVENT', 'SEQUENCE', 'API', 'CONFIG', 'USER', 'ACCESS']);
const SCOPED_DEFINES = new Set(['USER', 'ACCESS']);

// Word pairs, anywhere in a definition's body (a function, an event, a field's value), that leave the database.
const LEAVES = [
  { first: ['USE'], second: ['NS', 'NAMESPACE', 'DB', 'DATABASE'] },
  { first: ['DEFINE', 'REMOVE', 'ALTER'], second: ['NS', 'NAMESPACE', 'DB', 'DATABASE'] },
  { first: ['ON', 'FOR'], second: ['ROOT', 'NS', 'NAMESPACE'] },
];

function leavesDatabase(words: string[], from: number): string | null {
  for (let i = from; i + 1 < words.length; i++) {
    const a = words[i]!;
    const b = words[i + 1]!;
    if (LEAVES.some((p) => p.first.includes(a) && p.second.includes(b))) return `${a} ${b}`;
  }
  return null;
}

function defineProblem(words: string[]): string | null {
  const kind = words[1] ?? '';
  if (!DATABASE_DEFINES.has(kind)) {
    return kind === 'NAMESPACE' || kind === 'NS' || kind === 'DATABASE' || kind === 'DB'
      ? `DEFINE ${kind} reaches outside the database being restored`
      : `DEFINE ${kind} is not restored: only tables, fields, indexes, events, analyzers, functions, params, sequences, APIs, configs, and users and accesses ON DATABASE are`;
  }
  let from = 2;
  if (SCOPED_DEFINES.has(kind)) {
    // DEFINE USER|ACCESS [OVERWRITE | IF NOT EXISTS] name ON DATABASE: its first ON names the level.
    const on = words.indexOf('ON', 2);
    const level = on < 0 ? undefined : words[on + 1];
    if (level !== 'DATABASE' && level !== 'DB') return `DEFINE ${kind} ${level ? `ON ${level}` : 'without ON DATABASE'} is defined above the database`;
    from = on + 2;
  } else if (kind === 'FIELD' || kind === 'INDEX' || kind === 'EVENT') {
    // Past the header's ON [TABLE] <table>, whatever the table is called.
    const on = words.indexOf('ON', 2);
    if (on >= 0) from = on + (words[on + 1] === 'TABLE' ? 3 : 2);
  }
  const leaves = leavesDatabase(words, from);
  return leaves ? `its body holds ${leaves}, which reaches outside the database` : null;
}

/** Null when a database export writes a statement like this one; otherwise why it is refused. */
export function exportStatementProblem(statement: Pick<Statement, 'text'>): string | null {
  const words = codeWords(statement.text).map((w) => w.toUpperCase());
  const first = words[0] ?? '';
  switch (first) {
    case 'OPTION':
      return words.length === 2 && words[1] === 'IMPORT' ? null : 'an export writes no OPTION but OPTION IMPORT';
    case 'BEGIN':
    case 'COMMIT':
      return words.length === 1 || (words.length === 2 && words[1] === 'TRANSACTION') ? null : `${first} with more than TRANSACTION`;
    case 'DEFINE':
      return defineProblem(words);
    case 'INSERT':
      return literalInsertProblem(statement.text);
    default:
      return `${first || 'a statement that starts with no keyword'} is not a statement a database export writes`;
  }
}

/** Why a restore does not run this statement: not what an export writes, or an access whose key the export left out. */
export function restoreRefusal(statement: Pick<Statement, 'text'>): string | null {
  return exportStatementProblem(statement) ?? unrestorableAccessKey(statement.text);
}

/** The first words of a statement, for a message: comments and line breaks out, at most ~60 characters. */
export function statementHead(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
}
