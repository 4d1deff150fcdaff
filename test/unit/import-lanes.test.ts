import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkStatements, type ImportChunk } from '../../src/core/import-chunks.js';
import { holdBackUnindexed, MemoryHold, type LanedStatement, type StatementHold } from '../../src/core/import-lanes.js';
import { scanStatements } from '../../src/core/surql-scan.js';
import { HeldStatementsFile } from '../../src/files/held-statements-file.js';

/** A dump in the order `surreal export` writes one: per table, its definitions, then its records. */
const DUMP = [
  'OPTION IMPORT;',
  'DEFINE ANALYZER a TOKENIZERS BLANK FILTERS LOWERCASE;',
  'DEFINE TABLE agent TYPE ANY SCHEMALESS PERMISSIONS NONE;',
  "INSERT [ { id: agent:a1, name: 'A' } ];",
  'DEFINE TABLE agent_messages TYPE RELATION SCHEMALESS PERMISSIONS NONE;',
  'INSERT RELATION [ { id: agent_messages:e1, in: agent:a1, out: msg:m1 }, { id: agent_messages:e2, in: agent:a1, out: msg:m2 } ];',
  'INSERT RELATION [ { id: agent_messages:e3, in: agent:a1, out: msg:m3 } ];',
  'DEFINE TABLE msg TYPE ANY SCHEMALESS PERMISSIONS NONE;',
  'DEFINE INDEX msg_search ON msg FIELDS content FULLTEXT ANALYZER a BM25 HIGHLIGHTS;',
  'DEFINE INDEX msg_vec ON msg FIELDS v HNSW DIMENSION 2;',
  "INSERT [ { content: 'one', id: msg:m1 }, { content: 'two', id: msg:m2 } ];",
  "INSERT [ { content: 'three', id: msg:m3 } ];",
  'DEFINE TABLE task TYPE ANY SCHEMALESS PERMISSIONS NONE;',
  'DEFINE INDEX task_vec ON task FIELDS v HNSW DIMENSION 2;',
  'INSERT [ { id: task:t1, v: [1, 2] } ];',
].join('\n');

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

const dir = mkdtempSync(path.join(tmpdir(), 'pattern-db-lanes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const holds: Array<[string, () => StatementHold]> = [
  ['in memory', () => new MemoryHold()],
  ['in a file', () => new HeldStatementsFile(path.join(dir, 'held.jsonl'))],
];
const heads = (statements: LanedStatement[]): string[] => statements.map((s) => `${s.held ? 'held ' : ''}${s.text.slice(0, 28)}`);
const chunks = (text: string, maxBytes: number): Promise<ImportChunk[]> =>
  collect(chunkStatements(holdBackUnindexed(scanStatements([text])), { maxBytes, deferIndexes: true }));

describe.each(holds)('holdBackUnindexed, holding %s', (_, makeHold) => {
  const laned = (text: string, holdBytes?: number): Promise<LanedStatement[]> => collect(holdBackUnindexed(scanStatements([text]), makeHold(), holdBytes));

  it('holds back the records of tables without a full-text index until the end, in their order', async () => {
    expect(heads(await laned(DUMP))).toEqual([
      'OPTION IMPORT;',
      'DEFINE ANALYZER a TOKENIZERS B',
      'DEFINE TABLE agent TYPE ANY SC',
      'DEFINE TABLE agent_messages TY',
      'DEFINE TABLE msg TYPE ANY SCHE',
      'DEFINE INDEX msg_search ON msg',
      'DEFINE INDEX msg_vec ON msg FI',
      "INSERT [ { content: 'one', id:",
      "INSERT [ { content: 'three', i",
      'DEFINE TABLE task TYPE ANY SCH',
      'DEFINE INDEX task_vec ON task ',
      "held INSERT [ { id: agent:a1, name: ",
      'held INSERT RELATION [ { id: agent_',
      'held INSERT RELATION [ { id: agent_',
      'held INSERT [ { id: task:t1, v: [1, ',
    ].map((h) => h.slice(0, h.startsWith('held ') ? 33 : 28)));
  });

  it('marks nothing held when no table has a full-text index: nothing would build beside', async () => {
    const plain = DUMP.replace(/FULLTEXT ANALYZER a BM25 HIGHLIGHTS/, 'UNIQUE');
    const statements = await laned(plain);
    const texts = (list: LanedStatement[]) => list.map((s) => s.text).sort();
    expect(texts(statements)).toEqual(texts(await collect(scanStatements([plain]))));
    expect(statements.some((s) => s.held)).toBe(false);
  });

  it('lets what it holds go, in the file order, once it holds more than its bound, and holds nothing more', async () => {
    const statements = await laned(DUMP, 100);
    const inserts = statements.filter((s) => s.kind.startsWith('insert'));
    expect(statements.some((s) => s.held)).toBe(false);
    expect(inserts.map((s) => s.table)).toEqual(['agent', 'agent_messages', 'agent_messages', 'msg', 'msg', 'task']);
  });

  it('lets what it holds go before any statement that is neither a definition nor an insert', async () => {
    const text = DUMP.replace("DEFINE TABLE msg TYPE", "UPDATE agent:a1 SET seen = true;\nDEFINE TABLE msg TYPE");
    const statements = await laned(text);
    const update = statements.findIndex((s) => s.text.startsWith('UPDATE'));
    expect(statements.slice(0, update).filter((s) => s.kind.startsWith('insert')).map((s) => s.table)).toEqual(['agent', 'agent_messages', 'agent_messages']);
    expect(statements.some((s) => s.held)).toBe(false);
  });
});

describe('chunkStatements of held-back records', () => {
  it('cuts them into chunks of their own, the first starting the full-text builds that their own chunks wait for', async () => {
    for (const maxBytes of [1, 1 << 20]) {
      const all = await chunks(DUMP, maxBytes);
      const held = all.filter((c) => c.heldBack);
      expect(held.length).toBeGreaterThan(0);
      expect(held.every((c) => c.recordsOnly && c.tables.every((t) => t === 'agent' || t === 'agent_messages' || t === 'task'))).toBe(true);
      const firstHeld = all.indexOf(held[0]!);
      expect(all.slice(firstHeld, firstHeld + held.length)).toEqual(held);
      expect(all.slice(0, firstHeld).some((c) => c.recordsByTable.agent_messages)).toBe(false);
      expect(all.slice(0, firstHeld).reduce((sum, c) => sum + (c.recordsByTable.msg ?? 0), 0)).toBe(3);
      expect(held[0]!.startsBeside).toEqual([{ definition: { name: 'msg_search', table: 'msg', kind: 'full-text' }, body: 'OPTION IMPORT;\n' + DUMP.split('\n')[8] }]);
      expect(held.slice(1).some((c) => c.startsBeside)).toBe(false);
      const indexes = all.slice(firstHeld + held.length);
      expect(indexes.map((c) => [c.definesIndex?.name, c.builtBeside ?? false])).toEqual([
        ['msg_search', true],
        ['msg_vec', false],
        ['task_vec', false],
      ]);
      expect(indexes[0]!.body).toBe(held[0]!.startsBeside![0]!.body);
      expect(all.reduce((sum, c) => sum + c.records, 0)).toBe(8);
    }
  });
});
