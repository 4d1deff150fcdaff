// A log segment that became a new file while the store's copy was opened is damage surrealkv repaired: for a 2.x store
// (clog/) the server's opening lines say where it began, for a 3.x store (wal/) the repaired segment's size does; either
// is held against the segment's size from before the open.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { damageMessage, openNoticingDamage, readUpToDamage, storeDamagedError, unopenableDamage } from '../../src/surreal/store-log-damage.js';
import { tempDir } from '../helpers/temp-folders.js';

const CORRUPTION = 'Corruption error: CorruptionError { kind: Other, message: "Corrupted transaction record: CRC mismatch", segment_id: 1, offset: 4000000 }';
const REPAIRING = 'Repairing corrupted segment with id: 1 and offset: 4000000';
const OPENING = ['\u001b[32m INFO\u001b[0m surrealdb::core::kvs::ds: Starting kvs store at surrealkv:///x', CORRUPTION, REPAIRING, ' INFO surrealdb::net: Started web server on 127.0.0.1:1'];

const segmentPath = (folder: string, id: number, log = 'clog') => path.join(folder, log, `${String(id).padStart(20, '0')}.${log}`);
const linesOf = (opened: { openingLines: readonly string[] }) => opened.openingLines;

async function sizedFile(file: string, bytes: number): Promise<void> {
  await fs.writeFile(file, '');
  await fs.truncate(file, bytes);
}

async function storeWithSegments(sizes: number[], log = 'clog'): Promise<string> {
  const folder = await tempDir('pattern-db-log-damage-');
  await fs.mkdir(path.join(folder, log));
  for (const [id, bytes] of sizes.entries()) await sizedFile(segmentPath(folder, id, log), bytes);
  return folder;
}

/** What surrealkv's repair does to a segment: renamed aside, what it keeps written into a new file of the same name. */
async function repair(folder: string, id: number, kept: number, log = 'clog'): Promise<void> {
  const segment = segmentPath(folder, id, log);
  await fs.rename(segment, `${segment}.repair`);
  await sizedFile(segment, kept);
  await fs.rm(`${segment}.repair`);
}

it('a segment rewritten by the open is damage, where the opening lines say, sized against the segment before the open', async () => {
  const folder = await storeWithSegments([536_870_912, 10_000_000]);
  const { damage } = await openNoticingDamage(folder, 'surrealkv-2', async () => {
    await repair(folder, 1, 4_000_000);
    // The server then writes into the repaired segment: its size after the open says nothing.
    await fs.appendFile(segmentPath(folder, 1), 'x'.repeat(500));
    return { openingLines: OPENING };
  }, linesOf);
  expect(damage).toEqual({ major: 2, segment: 1, offset: 4_000_000, segmentBytes: 10_000_000, corruption: CORRUPTION });
  expect(damageMessage(damage!, '/home/me/pattern.db')).toBe(
    'SurrealDB 2 found the log of /home/me/pattern.db damaged (clog/00000000000000000001.clog) and read it only up to the damage, dropping everything from byte 4000000 of that segment on: about 6.0 MB (60% of that segment), with any record written there.',
  );
  expect(readUpToDamage(damage!)).toBe('what SurrealDB 2 read of the store, up to the damage in its log: about 6.0 MB (60% of its log segment) dropped');
  const error = storeDamagedError(damage!, '/home/me/pattern.db', 'Next step.');
  expect(error).toMatchObject({ code: 'E_STORE_DAMAGED', evidence: `${CORRUPTION}\n${REPAIRING}` });
  expect(error.fix).toMatch(/^The store itself was not changed: .* Next step\.$/);
});

it('the repair line arriving after the server answered is still read; a few bytes cut short read as bytes', async () => {
  const folder = await storeWithSegments([4_000_200]);
  const lines: string[] = [];
  const { damage } = await openNoticingDamage(folder, 'surrealkv-2', async () => {
    await repair(folder, 0, 4_000_000);
    setTimeout(() => lines.push('Repairing corrupted segment with id: 0 and offset: 4000000'), 100);
    return { openingLines: lines };
  }, linesOf);
  expect(damageMessage(damage!, 'x')).toContain('dropping everything from byte 4000000 of that segment on: about 200 bytes (0% of that segment)');
  expect(damage?.corruption).toBeUndefined();
});

it('a rewritten segment whose line never comes is still damage, named without where it begins', async () => {
  const folder = await storeWithSegments([3_000_000]);
  const { damage } = await openNoticingDamage(folder, 'surrealkv-2', async () => {
    await repair(folder, 0, 1_000);
    return { openingLines: [] };
  }, linesOf);
  expect(damage).toEqual({ major: 2, segment: 0, offset: undefined, segmentBytes: 3_000_000, corruption: undefined });
  expect(damageMessage(damage!, 'x')).toBe('SurrealDB 2 found the log of x damaged (clog/00000000000000000000.clog) and read it only up to the damage, dropping everything from the damage to the end of that segment (3.0 MB in all), with any record written there.');
  expect(storeDamagedError(damage!, 'x', '').evidence).toBe('clog/00000000000000000000.clog became a new file when SurrealDB 2 opened the copy (its repair); its log did not say where the damage begins');
  expect(readUpToDamage(damage!)).toBe('what SurrealDB 2 read of the store, up to the damage in its log');
});

it('no segment rewritten is no damage, whatever the lines say; nor is a store of another format', async () => {
  const folder = await storeWithSegments([1_000]);
  const appended = await openNoticingDamage(folder, 'surrealkv-2', async () => {
    await fs.appendFile(segmentPath(folder, 0), 'written by the server');
    return { openingLines: OPENING };
  }, linesOf);
  expect(appended.damage).toBeUndefined();
  const other = await openNoticingDamage(folder, 'unknown', async () => {
    await repair(folder, 0, 10);
    return { openingLines: OPENING };
  }, linesOf);
  expect(other.damage).toBeUndefined();
});

it('a 3.x write-ahead log segment rewritten by the open is damage, where the repaired segment now ends', async () => {
  const folder = await storeWithSegments([10_000_000, 2_000], 'wal');
  const { damage } = await openNoticingDamage(folder, 'surrealkv-3.0', async () => {
    await repair(folder, 0, 4_000_000, 'wal');
    // What the engine replayed may be flushed to its tables, and a segment it no longer needs removed: not damage.
    await fs.rm(segmentPath(folder, 1, 'wal'));
    return 'the embedded engine says nothing';
  });
  expect(damage).toEqual({ major: 3, segment: 0, offset: 4_000_000, segmentBytes: 10_000_000, corruption: undefined });
  expect(damageMessage(damage!, '/home/me/pattern.db')).toBe(
    'SurrealDB 3 found the write-ahead log of /home/me/pattern.db damaged (wal/00000000000000000000.wal) and read it only up to the damage, dropping everything from byte 4000000 of that segment on: about 6.0 MB (60% of that segment), with any record written there.',
  );
  expect(readUpToDamage(damage!)).toBe('what SurrealDB 3 read of the store, up to the damage in its write-ahead log: about 6.0 MB (60% of its log segment) dropped');
  const error = storeDamagedError(damage!, '/home/me/pattern.db', 'Next step.');
  expect(error.evidence).toBe('SurrealDB 3 kept 4000000 of the 10000000 bytes of wal/00000000000000000000.wal when it opened the copy (its repair)');
  expect(error.fix).toContain('Whatever opens the store itself with SurrealDB 3 (Pattern, a surreal server) drops the same part of it');
  const healthy = await storeWithSegments([10_000_000], 'wal');
  const untouched = await openNoticingDamage(healthy, 'surrealkv-3.1+', async () => ({ openingLines: [] }), linesOf);
  expect(untouched.damage).toBeUndefined();
});

it("a surreal 3 server's line is damage even when the repaired segment is gone (flushed by a second start)", async () => {
  const warning =
    'Detected WAL corruption in segment 1 at offset 2975522: Corrupted WAL record: kind=other error, message=IO error: kind=other error, message=checksum mismatch, segment_id=1, offset=3178503. Attempting repair...';
  const folder = await storeWithSegments([0, 6_375_690], 'wal');
  const { damage } = await openNoticingDamage(folder, 'surrealkv-3.1+', async () => {
    await repair(folder, 1, 2_975_522, 'wal');
    await fs.rm(segmentPath(folder, 1, 'wal'));
    await sizedFile(segmentPath(folder, 2, 'wal'), 119);
    return { openingLines: [`2026-12-04T23:00:50.182519Z  WARN surrealkv::lsm: ${warning}`] };
  }, linesOf);
  expect(damage).toEqual({ major: 3, segment: 1, offset: 2_975_522, segmentBytes: 6_375_690, corruption: warning });
  expect(storeDamagedError(damage!, 'x', '').evidence).toBe(`${warning}\nSurrealDB 3 kept 2975522 of the 6375690 bytes of wal/00000000000000000001.wal when it opened the copy (its repair)`);
});

it('an open that failed on damage in a segment before the last is named as such; other failures are not', () => {
  const corruption = 'Corruption error: CorruptionError { kind: Other, message: "Corrupted transaction record: CRC mismatch", segment_id: 0, offset: 1387 }';
  const mismatch = '2026-12-04T21:16:41Z ERROR surreal::cli: There was a problem with the database: There was a problem with the underlying datastore: Mismatched segment ID: expected=2, found=0';
  const error = unopenableDamage(['INFO surreal::env: Running 2.6.5', corruption, 'Repairing corrupted segment with id: 0 and offset: 1387', mismatch, 'Goodbye!'], '/s/snapshot-1');
  expect(error).toMatchObject({
    code: 'E_STORE_DAMAGED',
    message:
      'SurrealDB 2 found the log of the store damaged at byte 1387 of clog/00000000000000000000.clog, a segment before its last (clog/00000000000000000002.clog), which it does not repair: it cannot open the store (its copy /s/snapshot-1) at all.',
    evidence: `${corruption}\nMismatched segment ID: expected=2, found=0`,
  });
  expect(error?.fix).toContain('The store itself was not changed');
  expect(unopenableDamage(['ERROR surreal::cli: There was a problem with the database: Address already in use'], '/s')).toBeUndefined();
  expect(unopenableDamage([corruption, 'Repairing corrupted segment with id: 0 and offset: 1387'], '/s')).toBeUndefined();
});
