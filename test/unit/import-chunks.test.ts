import { describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { chunkStatements, isAlreadyExistsError, isRetryableConflict, type ImportChunk } from '../../src/core/import-chunks.js';
import { scanStatements, type Statement } from '../../src/core/surql-scan.js';

const SAMPLE = [
  '-- ------------------------------',
  '-- OPTION',
  '-- ------------------------------',
  '',
  'OPTION IMPORT;',
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
  'INSERT [ { at: d\'2025-01-01T00:00:00Z\', content: "héllo \'q\' \\"x\\";", embedding: [0.1f, 0.2f], id: msg:msg_abc, n: 1.5dec }, { id: msg:`1abc-x`, t: \'};[\' } ];',
  'INSERT RELATION [ { id: agent_messages:jddch, in: agent:a1, out: msg:msg_abc } ];',
  '',
].join('\n');

/** A dump of several tables, each with its definitions, indexes and data, some with multi-line strings. */
function dump(tables: number, rows: number): string {
  const parts = ['OPTION IMPORT;', 'DEFINE ANALYZER a TOKENIZERS BLANK FILTERS LOWERCASE;'];
  for (let t = 0; t < tables; t++) {
    parts.push(
      `-- TABLE: t${t}`,
      `DEFINE TABLE t${t} TYPE ANY SCHEMALESS PERMISSIONS NONE;`,
      `DEFINE FIELD name ON t${t} TYPE string;`,
      `DEFINE INDEX s${t} ON t${t} FIELDS name FULLTEXT ANALYZER a BM25;`,
      `DEFINE INDEX v${t} ON t${t} FIELDS v HNSW DIMENSION 2;`,
    );
    for (let r = 0; r < rows; r += 3) {
      const batch = Array.from({ length: Math.min(3, rows - r) }, (_, k) => `{ id: t${t}:${r + k}, name: 'row ${r + k};\nnext line ✓', v: [${k}, -1] }`);
      parts.push(`INSERT [ ${batch.join(', ')} ];`);
    }
  }
  return parts.join('\n') + '\n';
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

const scan = (text: string): Promise<Statement[]> => collect(scanStatements([text]));
const chunk = async (text: string, maxBytes: number, deferIndexes = false): Promise<ImportChunk[]> =>
  collect(chunkStatements(scanStatements([text]), { maxBytes, deferIndexes }));
const isIndex = (text: string): boolean => text.startsWith('DEFINE INDEX');

/** The statements of the chunks, in order, found by their texts in the scanned statements. */
function statementsOf(chunks: ImportChunk[], statements: Statement[]): Statement[][] {
  const kept = statements.filter((s) => s.kind !== 'option');
  const byText = new Map(kept.map((s) => [s.text, s]));
  return chunks.map((c) => {
    const found: Statement[] = [];
    let rest = c.body.slice('OPTION IMPORT;\n'.length);
    while (found.length < c.statements) {
      const next = kept.find((s) => rest.startsWith(s.text) && (rest.length === s.text.length || rest[s.text.length] === '\n'));
      if (!next) throw new Error(`chunk ${c.index} holds an unknown statement: ${rest.slice(0, 40)}`);
      found.push(byText.get(next.text)!);
      rest = rest.slice(next.text.length + 1);
    }
    expect(rest).toBe('');
    return found;
  });
}

describe('chunkStatements', () => {
  it('puts the sample in one chunk with its own OPTION IMPORT', async () => {
    const statements = await scan(SAMPLE);
    const [only, ...more] = await chunk(SAMPLE, 1 << 20);
    expect(more).toEqual([]);
    expect(only).toEqual({
      index: 0,
      body: ['OPTION IMPORT;', ...statements.slice(1).map((s) => s.text)].join('\n'),
      statements: 5,
      records: 3,
      recordsByTable: { msg: 2, agent_messages: 1 },
      bytes: Buffer.byteLength(SAMPLE) - 1,
      endOffset: Buffer.byteLength(SAMPLE) - 1,
      tables: ['msg', 'agent_messages'],
      recordsOnly: false,
    });
  });

  it('starts every body with exactly one OPTION IMPORT and packs statements greedily', async () => {
    const text = dump(4, 40);
    const statements = await scan(text);
    const kept = statements.filter((s) => s.kind !== 'option');
    for (const maxBytes of [1, 120, 300, 1000, 4096, 1 << 20]) {
      const chunks = await chunk(text, maxBytes);
      const held = statementsOf(chunks, statements);
      expect(held.flat()).toEqual(kept);
      chunks.forEach((c, i) => {
        expect(c.index).toBe(i);
        expect(c.body.startsWith('OPTION IMPORT;\n')).toBe(true);
        expect(c.body.match(/OPTION IMPORT;/g)).toHaveLength(1);
        const size = Buffer.byteLength(c.body);
        if (c.statements > 1) expect(size).toBeLessThanOrEqual(maxBytes);
        const next = held[i + 1]?.[0];
        if (next) expect(size + 1 + Buffer.byteLength(next.text)).toBeGreaterThan(maxBytes);
        expect(c.records).toBe(held[i]!.reduce((sum, s) => sum + s.records, 0));
        expect(c.recordsOnly).toBe(held[i]!.every((s) => s.kind === 'insert' || s.kind === 'insert-relation'));
      });
      expect(chunks.some((c) => c.recordsOnly) && chunks.some((c) => !c.recordsOnly)).toBe(maxBytes < 4096);
      expect(chunks.reduce((sum, c) => sum + c.records, 0)).toBe(4 * 40);
      expect(chunks.at(-1)!.endOffset).toBe(statements.reduce((sum, s) => sum + s.bytes, 0));
    }
  });

  it('ends each chunk at its source offset', async () => {
    const text = dump(2, 30);
    const source = Buffer.from(text);
    const chunks = await chunk(text, 500);
    const held = statementsOf(chunks, await scan(text));
    expect(chunks.length).toBeGreaterThan(3);
    chunks.forEach((c, i) => {
      expect(source.subarray(0, c.endOffset).toString().endsWith(held[i]!.at(-1)!.text)).toBe(true);
    });
  });

  it('counts records by table and lists the tables of a chunk', async () => {
    const chunks = await chunk(dump(3, 6), 1 << 20);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.recordsByTable).toEqual({ t0: 6, t1: 6, t2: 6 });
    expect(chunks[0]!.tables).toEqual(['t0', 't1', 't2']);
  });

  it('gives a statement larger than maxBytes a chunk of its own', async () => {
    const text = 'DEFINE TABLE a;\nINSERT [ { id: a:1, s: "' + 'x'.repeat(500) + '" } ];\nDEFINE TABLE b;\n';
    const chunks = await chunk(text, 100);
    expect(chunks.map((c) => [c.statements, c.records])).toEqual([
      [1, 0],
      [1, 1],
      [1, 0],
    ]);
  });

  it('drops a second OPTION IMPORT but counts its bytes', async () => {
    const text = 'OPTION IMPORT;\nDEFINE TABLE a;\nOPTION IMPORT;\nDEFINE TABLE b;\n';
    const chunks = await chunk(text, 1 << 20);
    expect(chunks.map((c) => [c.body, c.bytes])).toEqual([
      ['OPTION IMPORT;\nDEFINE TABLE a;\nDEFINE TABLE b;', Buffer.byteLength(text) - 1],
    ]);
  });

  it('moves DEFINE INDEX statements after all data when asked', async () => {
    const text = dump(3, 12);
    const statements = await scan(text);
    const total = statements.reduce((sum, s) => sum + s.bytes, 0);
    for (const maxBytes of [1, 400, 1 << 20]) {
      const chunks = await chunk(text, maxBytes, true);
      const held = statementsOf(chunks, statements);
      const firstIndexChunk = held.findIndex((c) => c.some((s) => isIndex(s.text)));
      expect(firstIndexChunk).toBeGreaterThan(0);
      expect(held.slice(0, firstIndexChunk).flat().some((s) => isIndex(s.text))).toBe(false);
      expect(held.slice(firstIndexChunk).flat().every((s) => isIndex(s.text))).toBe(true);
      expect(held.flat().filter((s) => isIndex(s.text))).toHaveLength(6);
      expect(chunks.every((c) => c.body.match(/OPTION IMPORT;/g)?.length === 1)).toBe(true);
      expect(chunks.at(-1)!.endOffset).toBe(total);
    }
  });

  it('sends each deferred index alone, in its own chunk, named with its table and kind', async () => {
    const text = dump(3, 12);
    // Even a bound that would hold all six (1 MiB) gives one chunk per index: its end is the index's progress.
    for (const maxBytes of [1, 1 << 20]) {
      const chunks = await chunk(text, maxBytes, true);
      const indexChunks = chunks.filter((c) => c.body.includes('DEFINE INDEX'));
      expect(indexChunks).toHaveLength(6);
      expect(indexChunks.every((c) => c.statements === 1 && c.records === 0)).toBe(true);
      expect(chunks.slice(-6)).toEqual(indexChunks);
      expect(indexChunks.map((c) => c.definesIndex && `${c.definesIndex.name} ${c.definesIndex.table} ${c.definesIndex.kind}`)).toEqual([
        's0 t0 full-text', 'v0 t0 vector', 's1 t1 full-text', 'v1 t1 vector', 's2 t2 full-text', 'v2 t2 vector',
      ]);
      expect(chunks.filter((c) => c.definesIndex === undefined).every((c) => !c.body.includes('DEFINE INDEX'))).toBe(true);
    }
  });

  it('gives the same chunks when the same input is chunked again', async () => {
    const text = dump(3, 20);
    for (const deferIndexes of [false, true]) {
      const first = await chunk(text, 700, deferIndexes);
      const again = await chunk(text, 700, deferIndexes);
      expect(again).toEqual(first);
      const resumed = again.filter((c) => c.index >= 3);
      expect(resumed).toEqual(first.slice(3));
    }
  });

  it('refuses a chunk size that is not positive', async () => {
    const error = await chunk(SAMPLE, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PatternDbError);
    expect((error as PatternDbError).code).toBe('E_USAGE');
  });
});

describe('isAlreadyExistsError', () => {
  it('recognises the already-exists errors of SurrealDB', () => {
    for (const text of [
      'Database record `msg:x` already exists',
      "The table 'msg' already exists",
      "The index 's' already exists",
      "The analyzer 'a' already exists",
      "The field 'x' already exists",
      'THE EVENT ALREADY EXISTS',
    ]) {
      expect(isAlreadyExistsError(text), text).toBe(true);
    }
  });
  it('recognises the already-exists errors of SurrealDB 2.6.5 on a replayed chunk', () => {
    for (const text of [
      "The analyzer 'a1' already exists",
      "The function 'fn::x' already exists",
      "The param '$p' already exists",
      "The user 'u' already exists in the database 'pattern'",
      "The access method 'acc' already exists in the database 'pattern'",
    ]) {
      expect(isAlreadyExistsError(text), text).toBe(true);
    }
  });
  it('does not take other errors for it', () => {
    expect(isAlreadyExistsError("The table 'msg' does not exist")).toBe(false);
    expect(isAlreadyExistsError('Failed to commit transaction due to a read or write conflict. This transaction can be retried')).toBe(false);
    expect(isAlreadyExistsError('Parse error: unexpected token')).toBe(false);
  });
});

describe('isRetryableConflict', () => {
  it('recognises the conflict SurrealDB says can be retried', () => {
    // 2.6.5, to a DEFINE INDEX replayed while an earlier /import still built the same index.
    expect(isRetryableConflict('The query was not executed due to a failed transaction. Failed to commit transaction due to a read or write conflict. This transaction can be retried')).toBe(true);
  });
  it('does not take other errors for it', () => {
    expect(isRetryableConflict("The index 's' already exists")).toBe(false);
    expect(isRetryableConflict('The query was not executed due to a failed transaction')).toBe(false);
    expect(isRetryableConflict('Parse error: unexpected token')).toBe(false);
  });
});
