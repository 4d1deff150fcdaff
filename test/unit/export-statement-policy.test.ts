import { describe, expect, it } from 'vitest';
import { exportStatementProblem } from '../../src/core/export-statement-policy.js';
import { SurqlScanner } from '../../src/core/surql-scan.js';

/** Splits as the restore does, then screens each statement: the problems found, in order. */
function screen(text: string): Array<{ head: string; problem: string }> {
  const scanner = new SurqlScanner();
  return [...scanner.push(text), ...scanner.end()].flatMap((s) => {
    const problem = exportStatementProblem(s);
    return problem ? [{ head: s.text.slice(0, 40), problem }] : [];
  });
}

// Statements as SurrealDB 3.3.5 and 2.6.5 exports write them (POST /export of a real server).
const EXPORT_3 = `-- ------------------------------
-- OPTION
-- ------------------------------

OPTION IMPORT;

DEFINE USER reader ON DATABASE PASSHASH '$argon2id$v=19$m=19456,t=2,p=1$y91A$J0aB' PASSSCRAM 'SCRAM-SHA-256$4096:cRZ=$hM=:LA=' ROLES VIEWER DURATION FOR TOKEN 1h, FOR SESSION NONE;
DEFINE ACCESS acc ON DATABASE TYPE RECORD SIGNUP (CREATE user SET name = $name) SIGNIN (SELECT * FROM user WHERE name = $name) WITH JWT ALGORITHM HS512 KEY '[REDACTED]' WITH ISSUER KEY '[REDACTED]' DURATION FOR TOKEN 1h, FOR SESSION 1h;
DEFINE PARAM $answer VALUE 42 PERMISSIONS FULL;
DEFINE FUNCTION fn::greet($n: string) { RETURN 'hi ' + $n } PERMISSIONS FULL;
DEFINE ANALYZER an TOKENIZERS BLANK FILTERS LOWERCASE;
DEFINE TABLE msg TYPE ANY SCHEMALESS PERMISSIONS NONE;
DEFINE FIELD OVERWRITE content ON msg TYPE string PERMISSIONS FULL;
DEFINE INDEX ix ON msg FIELDS content;
DEFINE EVENT ev ON msg WHEN $event = 'CREATE' THEN { CREATE log SET m = $after.id };
INSERT [ { b: b"616263", content: "it's ; a -- test /* x */", d: d'2024-01-01T00:00:00Z', dec: 1.5dec, dur: 1h30m, g: (1, 2), id: msg:1, n: 1.5f, nested: { a: [1, NONE, NULL, true] }, rid: msg:\`weird id\`, u: u'0190a8c2-2f5e-7b8e-9c3f-1a2b3c4d5e6f' }, { content: 'x', id: msg:[1, 'a'] } ];
INSERT [ { id: odd:-5, x: 1 }, { inf: Infinity, keys: { "1abc": 4, "a-b": 5, back: 2, "it's": 3, "with space": 1 }, nan: NaN, ninf: -Infinity, objk: odd:{ a: 1, b: 'x' }, emptyo: {  }, id: odd:1, s: "quote ' dq \\" nl\\nx", ulidk: odd:01HGJ5ZJ3X4Y5Z6A7B8C9D0E1F, uuidk: odd:u'0190a8c2-2f5e-7b8e-9c3f-1a2b3c4d5e6f', tiny: 0.000015f }, { arrid: odd:[1, 'a', d'2024-01-01T00:00:00Z'], id: odd:2, pt: (1.5, -2), rng: 1..5, rx: /a.b/, setv: {1, 2, 3} }, { id: odd:9abc, x: 1 }, { id: odd:\`with space\`, x: 1 } ];
INSERT RELATION [ { id: rel:2hhe2b3w26nmdozgqoir, in: msg:1, out: msg:[1, 'a'], w: 1 } ];
`;
const EXPORT_2 = `OPTION IMPORT;
DEFINE USER reader ON DATABASE PASSHASH '$argon2id$v=19$m=19456,t=2,p=1$WX9Q$uIIs' ROLES VIEWER DURATION FOR TOKEN 1h, FOR SESSION NONE;
DEFINE FUNCTION fn::greet($n: string) { RETURN 'hi ' + $n; } PERMISSIONS FULL;
DEFINE EVENT ev ON msg WHEN $event = 'CREATE' THEN { CREATE log SET m = $after.id; };
DEFINE FIELD embedding[*] ON msg TYPE float PERMISSIONS FULL;
INSERT [ { b: encoding::base64::decode("YWJj"), g: (1f, 2f), id: msg:1, n: 1.5f, inf: inf, ninf: -inf, nan: NaN, strid: odd:xyz, emptyo: {  } } ];
INSERT RELATION [ { __: true, id: rel:7yw0mcf99ssmf8o03r14, in: msg:1, out: msg:[1, 'a'], w: 1 } ];
`;

describe('statements a database export holds', () => {
  it('accepts everything real 3.3.5 and 2.6.5 exports write', () => {
    expect(screen(EXPORT_3)).toEqual([]);
    expect(screen(EXPORT_2)).toEqual([]);
    expect(screen('DEFINE API "/hello" FOR get THEN { RETURN { status: 200, body: 1 } };\nDEFINE CONFIG GRAPHQL AUTO;\nDEFINE SEQUENCE seq BATCH 1000 START 0;\n')).toEqual([]);
    expect(screen('BEGIN TRANSACTION;\nCOMMIT TRANSACTION;\n/* REMOVE NAMESPACE x; */ DEFINE TABLE t; -- USE NS other;\n')).toEqual([]);
    // A ';', a keyword or a comment marker inside a string is data.
    expect(screen(`INSERT [ { id: t:1, a: 'x; REMOVE NAMESPACE y; --', b: "USE NS other; /*" } ];`)).toEqual([]);
  });

  it('reads a record holding tens of megabytes of text with millions of escapes (no regex stack overflow)', () => {
    const text = 'line\\n'.repeat(5_000_000);
    expect(exportStatementProblem({ text: `INSERT [ { id: msg:big, content: '${text}', done: true } ];` })).toBeNull();
  });

  it.each([
    ['USE NS other DB x;', /USE is not a statement/],
    ['use ns other;', /USE is not a statement/],
    ['DEFINE NAMESPACE other;', /DEFINE NAMESPACE reaches outside/],
    ['DEFINE DATABASE other;', /DEFINE DATABASE reaches outside/],
    ["DEFINE USER admin ON ROOT PASSWORD 'x' ROLES OWNER;", /DEFINE USER ON ROOT is defined above the database/],
    ["DEFINE USER OVERWRITE admin ON NAMESPACE PASSWORD 'x' ROLES OWNER;", /ON NAMESPACE/],
    ["define /* on database */ user admin on /* database */ root password 'x' roles owner;", /ON ROOT/],
    ["DEFINE ACCESS a ON NS TYPE JWT ALGORITHM HS512 KEY 'k';", /ON NS/],
    ['DEFINE BUCKET b BACKEND "file:/etc";', /DEFINE BUCKET is not restored/],
    ['DEFINE MODULE mod::x AS f"b:/x.surli";', /DEFINE MODULE is not restored/],
    ['DEFINE API "/x" FOR get THEN { USE NS other; };', /USE NS/],
    ['REMOVE TABLE msg;', /REMOVE is not a statement/],
    ['REMOVE NAMESPACE other;', /REMOVE is not a statement/],
    ['DELETE msg;', /DELETE/],
    ['UPDATE msg SET x = 1;', /UPDATE/],
    ['CREATE t:1;', /CREATE/],
    ['INFO FOR ROOT;', /INFO/],
    ['LET $x = (REMOVE NAMESPACE other);', /LET/],
    ['OPTION IMPORT = false;', /OPTION IMPORT/],
    ['OPTION IMPORT; REMOVE NAMESPACE other;', /REMOVE/],
    ['DEFINE FUNCTION fn::x() { REMOVE NAMESPACE other; };', /REMOVE NAMESPACE, which reaches outside/],
    ['DEFINE EVENT e ON t THEN { USE NS other; DELETE x; };', /USE NS/],
    ["DEFINE FIELD f ON t VALUE (DEFINE USER evil ON ROOT PASSWORD 'x' ROLES OWNER);", /ON ROOT/],
    ['DEFINE TABLE t AS SELECT * FROM x; INFO FOR NS;', /INFO/],
    ['INSERT [ { id: t:1, x: (REMOVE NAMESPACE other) } ];', /not a point/],
    ['INSERT [ { id: t:1, x: { REMOVE NAMESPACE other } } ];', /expressions/],
    ['INSERT [ { id: t:1, x: fn::evil() } ];', /function call/],
    ["INSERT [ { id: t:1, x: http::post('http://evil', {}) } ];", /function call/],
    ['INSERT [ { id: t:1, x: $auth } ];', /"\$"/],
    ['INSERT [ { id: t:1, x: <future> { 1 } } ];', /"<"/],
    ['INSERT [ { id: t:1, x: SELECT * FROM other } ];', /expressions/],
    ['INSERT [ { id: t:1, x: 1 + 1 } ];', /"\+"/],
    ['INSERT INTO t (SELECT * FROM other);', /INSERT is followed by "INTO"/],
    ['INSERT [ { id: t:1 } ] ON DUPLICATE KEY UPDATE x = 1;', /"ON" follows the records/],
    ['INSERT [ { id: t:1, x: /a/ + (REMOVE NAMESPACE other) } ];', /"\+"/],
  ])('refuses %s', (text, why) => {
    const found = screen(text);
    expect(found.length, text).toBeGreaterThan(0);
    expect(found[0]!.problem).toMatch(why);
  });
});
