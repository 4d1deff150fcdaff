// The copy a SurrealDB 3 store is read from has a log without what its indexes derive from its records: SurrealDB opens it
// without replaying them, and exports the same tables and records from it as from the whole store. A log surrealkv
// would not read as it is is copied whole, so that SurrealDB's handling of it is what it would be on the store itself.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import type { StoreFormat } from '../../src/core/store-format.js';
import { copyStoreToRead } from '../../src/surreal/lean-store-copy.js';
import { openSourceStore } from '../../src/surreal/source-store.js';
import { copyStoreFiles } from '../../src/surreal/store-copy.js';
import { folderDigest, patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { flipByteHalfway } from '../helpers/store-damage.js';
import { storeWrittenBySurreal } from '../helpers/surreal-store.js';
import { surrealBin, tempDir } from '../helpers/surreal.js';

const SELECTION = { namespace: 'pattern', database: 'pattern' };

async function logOf(storePath: string): Promise<string> {
  const names = (await fs.readdir(path.join(storePath, 'wal'))).filter((name) => name.endsWith('.wal'));
  expect(names).toHaveLength(1);
  return path.join(storePath, 'wal', names[0]!);
}

/**
 * An export with each table's INSERT statements joined into one: SurrealDB cuts a table's records into statements by
 * what it read, index data included, so the same records may be cut elsewhere.
 */
function recordsJoined(text: string): string[] {
  const out: string[] = [];
  let run: { kind: string; items: string[] } | undefined;
  const end = () => {
    if (run) out.push(`${run.kind}${run.items.join(', ')} ];`);
    run = undefined;
  };
  for (const line of text.split('\n')) {
    const kind = ['INSERT RELATION [ ', 'INSERT [ '].find((prefix) => line.startsWith(prefix) && line.endsWith(' ];'));
    if (!kind) {
      end();
      out.push(line);
      continue;
    }
    if (run?.kind !== kind) end();
    run ??= { kind, items: [] };
    run.items.push(line.slice(kind.length, -3));
  }
  end();
  return out;
}

/** What pattern-db's reader of `folder` counts, and the export it writes of it. */
async function readThrough(folder: string, format: StoreFormat): Promise<{ counts: Record<string, number>; exported: string }> {
  const store = await openSourceStore(folder, format, SELECTION);
  try {
    const counts: Record<string, number> = {};
    for (const table of (await store.info()).tables) counts[table] = await store.count(table);
    const file = `${folder}.surql`;
    await store.exportTo(file);
    return { counts, exported: await fs.readFile(file, 'utf8') };
  } finally {
    await store.discard();
  }
}

/** The export `surreal export` (3.3.5) writes of a copy of `folder`. */
async function surrealExport(folder: string): Promise<string> {
  const copy = `${folder}-cli`;
  await fs.cp(folder, copy, { recursive: true });
  const file = `${copy}.surql`;
  await promisify(execFile)(await surrealBin(3), ['export', '--endpoint', `surrealkv://${copy}`, '--namespace', 'pattern', '--database', 'pattern', '--log', 'error', file]);
  return fs.readFile(file, 'utf8');
}

it('a store written by @surrealdb/node 3.0: its log loses its index data and graph edges, and the engine and surreal export read the same from it as from the whole store', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
  const before = await folderDigest(folder.storePath);
  const dir = await tempDir();
  const whole = path.join(dir, 'whole');
  const lean = path.join(dir, 'lean');
  await copyStoreFiles(folder.storePath, whole);
  const leftOut = await copyStoreToRead('surrealkv-3.0', folder.storePath, lean);

  const [wholeLog, leanLog] = [await fs.stat(await logOf(whole)), await fs.stat(await logOf(lean))];
  expect(leftOut.records).toBeGreaterThan(10_000);
  expect(leftOut.bytes).toBeGreaterThan(wholeLog.size / 2);
  expect(leanLog.size).toBeLessThan(wholeLog.size / 3);
  expect(leanLog.mode & 0o777).toBe(0o600);
  expect(await folderDigest(folder.storePath)).toBe(before);

  const [fromWhole, fromLean] = [await readThrough(whole, 'surrealkv-3.0'), await readThrough(lean, 'surrealkv-3.0')];
  expect(fromLean.counts).toEqual(fromWhole.counts);
  expect(fromLean.counts.msg).toBe(300);
  expect(fromLean.exported).toContain('DEFINE INDEX msg_content_search ON msg');
  expect(recordsJoined(fromLean.exported)).toEqual(recordsJoined(fromWhole.exported));
  expect(recordsJoined(await surrealExport(lean))).toEqual(recordsJoined(await surrealExport(whole)));
}, 300_000);

it('a store written by a surreal 3.3 that crashed (all in its log): a private server exports the same tables and records from its lean copy', async () => {
  const written = await storeWrittenBySurreal({ messages: 100, crash: true });
  const dir = await tempDir();
  const whole = path.join(dir, 'whole');
  const lean = path.join(dir, 'lean');
  await copyStoreFiles(written.storePath, whole);
  const leftOut = await copyStoreToRead('surrealkv-3.1+', written.storePath, lean);
  expect(leftOut.records).toBeGreaterThan(0);

  const [fromWhole, fromLean] = [await readThrough(whole, 'surrealkv-3.1+'), await readThrough(lean, 'surrealkv-3.1+')];
  expect(fromLean.counts).toEqual(fromWhole.counts);
  expect(fromLean.counts.msg).toBe(written.counts.msg);
  expect(recordsJoined(fromLean.exported)).toEqual(recordsJoined(fromWhole.exported));
}, 300_000);

it('a log record that fails its checksum: the store is copied whole, log and all', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
  const log = await logOf(folder.storePath);
  await flipByteHalfway(log);
  const copy = path.join(await tempDir(), 'copy');
  expect(await copyStoreToRead('surrealkv-3.0', folder.storePath, copy)).toEqual({ records: 0, bytes: 0 });
  expect((await fs.readFile(await logOf(copy))).equals(await fs.readFile(log))).toBe(true);
}, 300_000);
