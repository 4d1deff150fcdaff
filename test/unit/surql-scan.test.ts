import { describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { SurqlScanner, scanStatements, type Statement } from '../../src/core/surql-scan.js';

const SAMPLE = [
  '-- ------------------------------',
  '-- OPTION',
  '-- ------------------------------',
  '',
  'OPTION IMPORT;',
  '',
  '-- ------------------------------',
  '-- ANALYZERS',
  '-- ------------------------------',
  '',
  'DEFINE ANALYZER a TOKENIZERS CLASS FILTERS LOWERCASE, SNOWBALL(ENGLISH);',
  '',
  '-- ------------------------------',
  '-- TABLE: msg',
  '-- ------------------------------',
  '',
  'DEFINE TABLE msg TYPE ANY SCHEMALESS PERMISSIONS NONE;',
  'DEFINE INDEX s ON msg FIELDS content FULLTEXT ANALYZER a BM25(1.2,0.75) HIGHLIGHTS;',
  '',
  '-- ------------------------------',
  '-- TABLE DATA: msg',
  '-- ------------------------------',
  '',
  'INSERT [ { at: d\'2025-01-01T00:00:00Z\', content: "héllo \'q\' \\"x\\";", embedding: [0.1f, 0.2f], id: msg:msg_abc, n: 1.5dec }, { id: msg:`1abc-x`, t: \'};[\' } ];',
  'INSERT RELATION [ { id: agent_messages:jddch, in: agent:a1, out: msg:msg_abc } ];',
  '',
].join('\n');

const TRICKY = [
  "-- header; with 'quote' and \"dq\" and ⟨angle",
  "/* block ; ' \" ` ⟨ ** */ OPTION IMPORT;",
  '# hash comment ; \'',
  '// slash comment ; "',
  'DEFINE FUNCTION fn::greet($name: string) { LET $x = "a;b"; RETURN \'hi \' + $name; } PERMISSIONS FULL;',
  'DEFINE FIELD `we;ird` ON TABLE ⟨tb;x⟩ TYPE string;\r',
  "INSERT [ { a: 'it\\'s; ]', b: \"back\\\\\", c: [1, [2, {d: \"}\"}]], id: ⟨tb;x⟩:⟨a\\⟩;b⟩, e: -1 / 2 },",
  "  { id: ⟨tb;x⟩:`x\\`;y`, f: '😀 日本 -- not a comment\n// nor this', g: [1, -- ]]]; x\n -2, /* ]]]; */ 3//]]];\n, 4 / 2, #]]];\n \"]]];\", '-- ]]];'], h: 1 -- }];\n }, /* c, */ -- d, ]",
  "  { id: ⟨tb;x⟩:[1, 'a;'] } ];;",
  '-1;/abc/;',
  'RETURN 4 /2 ;',
  'INSERT RELATION [ { id: rel:r1, in: a:1, out: b:2 } ]; -- trailing comment ;',
  "SELECT * FROM x WHERE y = 'é' -- inner comment ;",
  '  AND z = 1 /* ; */;',
  '',
].join('\n');

function scanAll(...chunks: Array<string | Uint8Array>): Statement[] {
  const scanner = new SurqlScanner();
  return [...chunks.flatMap((c) => scanner.push(c)), ...scanner.end()];
}

function thrown(fn: () => unknown): PatternDbError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PatternDbError) return error;
    throw error;
  }
  throw new Error('expected a PatternDbError');
}

describe('SurqlScanner', () => {
  it('splits the sample export into statements', () => {
    const statements = scanAll(SAMPLE);
    expect(statements.map(({ kind, table, records }) => ({ kind, table, records }))).toEqual([
      { kind: 'option', table: undefined, records: 0 },
      { kind: 'define', table: undefined, records: 0 },
      { kind: 'define', table: 'msg', records: 0 },
      { kind: 'define', table: 'msg', records: 0 },
      { kind: 'insert', table: 'msg', records: 2 },
      { kind: 'insert-relation', table: 'agent_messages', records: 1 },
    ]);
    expect(statements.map((s) => s.text)).toEqual(
      SAMPLE.split('\n').filter((line) => line !== '' && !line.startsWith('--')),
    );
    const total = statements.reduce((sum, s) => sum + s.bytes, 0);
    expect(total).toBe(Buffer.byteLength(SAMPLE) - 1); // all but the final newline
    expect(statements[0]!.bytes).toBe(Buffer.byteLength(SAMPLE.slice(0, SAMPLE.indexOf(';') + 1)));
  });

  it('reads comments, strings, escapes and brackets in the tricky sample', () => {
    const statements = scanAll(TRICKY);
    expect(statements.map((s) => [s.kind, s.table, s.records])).toEqual([
      ['option', undefined, 0],
      ['define', undefined, 0],
      ['define', 'tb;x', 0],
      ['insert', 'tb;x', 3],
      ['other', undefined, 0],
      ['other', undefined, 0],
      ['other', undefined, 0],
      ['insert-relation', 'rel', 1],
      ['other', undefined, 0],
    ]);
    expect(statements[0]!.text).toBe('OPTION IMPORT;');
    expect(statements[1]!.text).toMatch(/^DEFINE FUNCTION .*PERMISSIONS FULL;$/);
    expect(statements[3]!.text).toBe(TRICKY.slice(TRICKY.indexOf('INSERT ['), TRICKY.indexOf('];;') + 2));
    expect(statements[4]!.text).toBe('-1;');
    expect(statements[5]!.text).toBe('/abc/;');
    expect(statements[8]!.text).toBe("SELECT * FROM x WHERE y = 'é' -- inner comment ;\n  AND z = 1 /* ; */;");
    const total = statements.reduce((sum, s) => sum + s.bytes, 0);
    expect(total).toBe(Buffer.byteLength(TRICKY) - 1);
  });

  it('gives the same statements for every split of the text', () => {
    const whole = scanAll(TRICKY);
    for (let k = 0; k <= TRICKY.length; k++) {
      expect(scanAll(TRICKY.slice(0, k), TRICKY.slice(k)), `split at character ${k}`).toEqual(whole);
    }
    expect(scanAll(...TRICKY.split(''))).toEqual(whole);
  });

  it('gives the same statements for every split of the bytes, inside characters too', () => {
    const whole = scanAll(TRICKY);
    const bytes = Buffer.from(TRICKY);
    for (let k = 0; k <= bytes.length; k++) {
      expect(scanAll(bytes.subarray(0, k), bytes.subarray(k)), `split at byte ${k}`).toEqual(whole);
    }
    expect(scanAll(...[...bytes].map((b) => Buffer.from([b])))).toEqual(whole);
  });

  it('counts a byte-order mark before the dump among the bytes read, split where it may be', () => {
    const bytesOf = (...pieces: Buffer[]) => scanAll(...pieces).reduce((sum, s) => sum + s.bytes, 0);
    const plain = Buffer.from(TRICKY);
    const marked = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]);
    for (let k = 0; k <= 4; k++) expect(bytesOf(marked.subarray(0, k), marked.subarray(k)), `split at byte ${k}`).toBe(bytesOf(plain) + 3);
  });

  it('counts records whose values nest arrays, objects, brackets in strings and escaped ids', () => {
    const [nested, empty, ids, single] = scanAll(
      [
        "INSERT [ { a: [1, [2, 3]], b: { c: '],[', d: \"x,}\" }, id: t:⟨a],b⟩ }, { e: [ {}, {} ], id: t:`x,]` },",
        '  { id: t:[1, 2], f: (1, 2) }, { id: t:{ k: [3] } } ];',
        'INSERT [];',
        'INSERT [ msg:a, msg:⟨b,c⟩, `x`:y ];',
        "INSERT INTO person { name: 'a,b' };",
      ].join('\n'),
    );
    expect([nested!.records, nested!.table]).toEqual([4, 't']);
    expect([empty!.records, empty!.table]).toEqual([0, undefined]);
    expect(ids!.records).toBe(3);
    expect(single!.table).toBe('person');
  });

  it('finds the table of escaped and string record ids and of definitions', () => {
    const statements = scanAll(
      [
        'INSERT [ { embedding: [0.1f], id: `my-table`:`1abc-x`, idx: 1 } ];',
        "INSERT [ { id: r'str:x' } ];",
        'INSERT RELATION [ { in: a:1, id: ⟨rel one⟩:⟨x⟩, out: b:2 } ];',
        'DEFINE TABLE OVERWRITE person SCHEMAFULL;',
        'DEFINE TABLE IF NOT EXISTS `odd-name` SCHEMALESS;',
        'DEFINE FIELD IF NOT EXISTS name ON TABLE person TYPE string;',
        'DEFINE FIELD on ON person;',
        'DEFINE EVENT e ON person WHEN true THEN { CREATE log; };',
        'DEFINE INDEX OVERWRITE i ON ⟨odd-name⟩ FIELDS a HNSW DIMENSION 3;',
        'DEFINE ANALYZER a TOKENIZERS BLANK;',
      ].join('\n'),
    );
    expect(statements.map((s) => s.table)).toEqual([
      'my-table',
      'str',
      'rel one',
      'person',
      'odd-name',
      'person',
      'person',
      'person',
      'odd-name',
      undefined,
    ]);
  });

  it('ignores semicolons in comments, strings and blocks', () => {
    const statements = scanAll("SELECT ';' -- ;\nFROM x /* ; */ // ;\n;\n# ;\nDEFINE EVENT e ON t THEN { a; b; };;;");
    expect(statements.map((s) => s.text)).toEqual([
      "SELECT ';' -- ;\nFROM x /* ; */ // ;\n;",
      'DEFINE EVENT e ON t THEN { a; b; };',
    ]);
  });

  it('names the byte offset of an unterminated string', () => {
    const text = "SELECT 'é';\nINSERT [ { a: 'abc; } ];\n";
    const scanner = new SurqlScanner();
    expect(scanner.push(text)).toHaveLength(1);
    const error = thrown(() => scanner.end());
    expect(error.code).toBe('E_IMPORT');
    expect(error.message).toContain(`string that starts at byte ${Buffer.byteLength(text.slice(0, text.lastIndexOf("'")))}`);
  });

  it('names the byte offset of an unterminated statement or comment', () => {
    const statement = thrown(() => scanAll('SELECT 1;\n-- é\nSELECT 2 '));
    expect([statement.code, statement.message]).toEqual([
      'E_IMPORT',
      expect.stringContaining(`statement that starts at byte ${Buffer.byteLength('SELECT 1;\n-- é\n')}`),
    ]);
    expect(thrown(() => scanAll('SELECT 1;\n/', '* x')).message).toContain('block comment that starts at byte 10');
    expect(scanAll('SELECT 1;\n-- no newline at the end')).toHaveLength(1);
  });

  it('reads a stream of text and bytes', async () => {
    async function* source(): AsyncGenerator<string | Buffer> {
      yield SAMPLE.slice(0, 100);
      yield Buffer.from(SAMPLE.slice(100));
    }
    const statements: Statement[] = [];
    for await (const statement of scanStatements(source())) statements.push(statement);
    expect(statements).toEqual(scanAll(SAMPLE));
  });

  it('scans a 50 MB dump in bounded memory', async () => {
    const records = 1000;
    const row = (t: string, i: number): string =>
      `{ at: d'2025-01-01T00:00:00Z', content: "line ${i}; with [brackets], {braces}, 'quotes' and \\"escapes\\" — ünïcödé 😀", ` +
      `embedding: [${Array.from({ length: 32 }, (_, k) => `${((i * 31 + k) % 97) / 97}f`).join(', ')}], id: ${t}:⟨row-${i};x⟩, n: ${i}dec }`;
    const inserts = Array.from({ length: 10 }, (_, t) =>
      `INSERT [ ${Array.from({ length: records }, (_, i) => row(`t${t}`, i)).join(', ')} ];\n`,
    );
    const defines = inserts.map((_, t) => `DEFINE TABLE t${t} TYPE ANY SCHEMALESS PERMISSIONS NONE;\n`).join('');
    const rounds = Math.ceil((50 * 1024 * 1024) / inserts.reduce((sum, s) => sum + Buffer.byteLength(s), 0));
    const piece = 64 * 1024;
    let total = 0;
    function* source(): Generator<string> {
      yield 'OPTION IMPORT;\n' + defines;
      for (let r = 0; r < rounds; r++) {
        for (const insert of inserts) {
          for (let at = 0; at < insert.length; at += piece) yield insert.slice(at, at + piece);
          total += Buffer.byteLength(insert);
        }
      }
    }

    const scanner = new SurqlScanner();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    let buffered = 0;
    let statements = 0;
    let rows = 0;
    let bytes = 0;
    const started = performance.now();
    for (const chunk of source()) {
      for (const statement of scanner.push(chunk)) {
        statements += 1;
        rows += statement.records;
        bytes += statement.bytes;
      }
      buffered = Math.max(buffered, scanner.buffered);
      if (statements % 20 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    expect(scanner.end()).toEqual([]);
    const seconds = (performance.now() - started) / 1000;

    expect(total).toBeGreaterThan(50 * 1024 * 1024);
    expect(statements).toBe(1 + inserts.length + rounds * inserts.length);
    expect(rows).toBe(rounds * inserts.length * records);
    expect(bytes).toBe(total + Buffer.byteLength('OPTION IMPORT;\n' + defines) - 1);
    expect(buffered).toBeLessThanOrEqual(Math.max(...inserts.map((s) => s.length)));
    expect(heapPeak - heapBefore).toBeLessThan(200 * 1024 * 1024);
    expect(seconds).toBeLessThan(30);
  });
});
