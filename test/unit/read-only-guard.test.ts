import { describe, expect, it } from 'vitest';
import { checkReadOnly, codeWords, splitStatements } from '../../src/core/read-only-guard.js';

const refused = (text: string) => {
  const verdict = checkReadOnly(text);
  if (verdict.ok) throw new Error(`not refused: ${text}`);
  return verdict;
};

describe('read-only guard', () => {
  it.each([
    'SELECT * FROM msg',
    'SELECT count() FROM agent GROUP ALL',
    'INFO FOR DB; INFO FOR TABLE msg',
    "SELECT * FROM msg WHERE content.Text CONTAINS 'DELETE everything'",
    'SELECT * FROM msg WHERE role = "update"',
    '-- CREATE nothing here\nSELECT 1',
    '/* DESCRIBE TABLE x */ RETURN 1',
    '# REMOVE TABLE msg\nRETURN 2',
    'SELECT `update`, `create` FROM t',
    'SELECT * FROM t:⟨delete me⟩',
    'LET $update = 1; RETURN $update',
    'SELECT * FROM msg WHERE content @1@ "rust" LIMIT 5',
    'RETURN http::get("https://example.com")',
    'SELECT ->agent_messages->msg FROM agent:a1',
    'BEGIN; SELECT * FROM a; COMMIT',
    'SELECT * FROM msg LIMIT 5',
  ])('lets %j run', (text) => {
    expect(checkReadOnly(text).ok).toBe(true);
  });

  it.each([
    ['CREATE note SET a = 1', 'CREATE'],
    ['update msg SET x = 1', 'UPDATE'],
    ['UPSERT a:1 SET b = 2', 'UPSERT'],
    ['DELETE msg', 'DELETE'],
    ['INSERT INTO t [{ a: 1 }]', 'INSERT'],
    ['RELATE a:1->likes->b:2', 'RELATE'],
    ['DEFINE TABLE x', 'DEFINE'],
    ['REMOVE TABLE msg', 'REMOVE'],
    ['ALTER TABLE msg SCHEMAFULL', 'ALTER'],
    ['REBUILD INDEX i ON msg', 'REBUILD'],
    ['LIVE SELECT * FROM msg', 'LIVE'],
    ["KILL u'0195f0a1-7c6e-7000-8000-000000000000'", 'KILL'],
    ['OPTION IMPORT', 'OPTION'],
    ['ACCESS api GRANT FOR USER bob', 'ACCESS'],
    ['USE NS other DB x', 'USE'],
    ['SELECT * FROM (DELETE msg RETURN BEFORE)', 'DELETE'],
    ['RETURN (CREATE note)', 'CREATE'],
    ['FOR $i IN [1, 2] { CREATE note SET n = $i }', 'CREATE'],
    ['SELECT * FROM a; DELETE b', 'DELETE'],
    ['RETURN fn::archive()', 'fn::archive'],
    ['RETURN http::post("https://example.com", {})', 'http::post'],
    ['RETURN sequence::nextval("s")', 'sequence::nextval'],
    ['RETURN file::put(f"bucket:/x", "y")', 'file::put'],
    ['RETURN api::invoke("/x")', 'api::invoke'],
    // SurrealQL reads these as the same call: space, comments and quoted segments around `::`.
    ['RETURN fn :: purge();', 'fn::purge'],
    ['RETURN fn\n::\npurge()', 'fn::purge'],
    ['RETURN fn/* x */::/* y */purge()', 'fn::purge'],
    ['RETURN fn -- c\n :: purge()', 'fn::purge'],
    ['RETURN fn::`purge`()', 'fn::purge'],
    ['RETURN fn::⟨purge⟩()', 'fn::purge'],
    ['RETURN FN::Purge()', 'fn::purge'],
    ['RETURN fn::a :: b()', 'fn::a::b'],
  ])('refuses %j (%s)', (text, keyword) => {
    expect(refused(text).keyword).toBe(keyword);
  });

  it('names the statement that is refused and says why', () => {
    const verdict = refused('SELECT * FROM a;\nSELECT * FROM b;\nDELETE c WHERE x = 1;');
    expect(verdict.statementIndex).toBe(2);
    expect(verdict.statement).toBe('DELETE c WHERE x = 1');
    expect(verdict.reason).toBe('DELETE changes data or definitions');
    expect(refused('USE NS x').reason).toMatch(/choose the database in the tree/);
  });

  it('refuses what it cannot check: an unterminated string hides what follows it', () => {
    const verdict = refused("SELECT * FROM t WHERE a = 'x; DELETE t");
    expect(verdict.reason).toBe('it ends inside a string, a comment or a bracket left open, so it cannot be checked');
    expect(refused('RETURN (').reason).toBe(verdict.reason);
  });

  it.each([
    // SurrealDB reads these '/' as regexes: the quote, `--` or `#` inside one starts nothing, and DELETE runs.
    ["RETURN 'x' = /'/; DELETE wakeup:1; RETURN 'x' = /'/;", 'DELETE'],
    ["RETURN 'x' = /'/; RETURN sequence::nextval('s'); RETURN 'x' = /'/;", 'sequence::nextval'],
    ['RETURN /--/; DELETE wakeup:1;', 'DELETE'],
    ['RETURN /#/; UPSERT t:1 SET a = 1;', 'UPSERT'],
    // The split takes `--/; DELETE x;` for a comment between statements, and leaves it out of every statement.
    ['RETURN /;--/; DELETE x;', 'DELETE'],
    // A path's segments may have comments between them.
    ['RETURN /a/ = math::x/* DELETE */::y', 'DELETE'],
    // So a comment holding a write word is refused once the text has a '/', even the '/' of that comment.
    ['/* DEFINE TABLE x */ RETURN 1', 'DEFINE'],
  ])('refuses %j, whose "/" can begin a regex that hides nothing (%s)', (text, keyword) => {
    const verdict = refused(text);
    expect(verdict.keyword).toBe(keyword);
    expect(verdict.reason).toContain('the text holds a "/", which SurrealDB can read as the start of a regex');
  });

  it('refuses a write word anywhere in a text with a JavaScript function: its body ends where JavaScript says', () => {
    // SurrealDB ends the body at the first '}' (`--` is no comment in JavaScript); the scan took the line for a comment.
    const verdict = refused('RETURN function() { -- }; DELETE wakeup:1; RETURN { a: 1\n};');
    expect(verdict.keyword).toBe('DELETE');
    expect(verdict.reason).toContain('the text holds a JavaScript function');
    expect(checkReadOnly('RETURN function() { return 1; }').ok).toBe(true);
  });

  it('reads a text with a "/" in it with every word counted: a division beside a write word in a string is refused too', () => {
    expect(checkReadOnly("SELECT count() / 2 FROM msg WHERE role = 'delete'").ok).toBe(false);
    expect(checkReadOnly("SELECT count() / 2 FROM msg WHERE role = 'user'").ok).toBe(true);
    expect(checkReadOnly('SELECT * FROM msg WHERE content ~ /rust/').ok).toBe(true);
  });

  it('is conservative: a bare field named like a statement is refused too (backticks let it through)', () => {
    expect(checkReadOnly('SELECT update FROM t').ok).toBe(false);
    expect(checkReadOnly('SELECT `update` FROM t').ok).toBe(true);
  });

  it('splits statements with the dump scanner; the last may lack its semicolon', () => {
    expect(splitStatements("SELECT 'a;b' FROM t; -- c;\nRETURN 1")).toEqual(["SELECT 'a;b' FROM t", 'RETURN 1']);
    expect(splitStatements(';;  \n')).toEqual([]);
  });

  it('reads words outside strings, comments and escaped names, keeping :: paths whole', () => {
    expect(codeWords("SELECT a, `b c` FROM t:⟨x y⟩ WHERE s = 'q' /* z */ AND fn::f::g($p)")).toEqual([
      'SELECT',
      'a',
      'FROM',
      't',
      'WHERE',
      's',
      'AND',
      'fn::f::g',
    ]);
  });
});
