// The copy a SurrealDB 2 store is read from leaves out what its indexes derive from its records: a private 2.x server serves the
// same export from it while holding far less, and a log surrealkv would not read to its end is copied whole, so that
// SurrealDB 2's repair of it is what it would be on the store itself.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { copySegmentLean, type LeftOut } from '../../src/surreal/lean-segment-copy.js';
import { copySecondHalf, copySegmentLeanInHalves } from '../../src/surreal/lean-segment-halves.js';
import { copyInHalves, copySegmentsLean } from '../../src/surreal/lean-segment-pool.js';
import { copyStoreToRead } from '../../src/surreal/lean-store-copy.js';
import { keptBytesEstimate, logBytes } from '../../src/surreal/lean-store-estimate.js';
import { openSourceStore } from '../../src/surreal/source-store.js';
import { copyStoreFiles } from '../../src/surreal/store-copy.js';
import { recordAt, segmentHeaderEnd } from '../../src/surreal/surrealkv2-record.js';
import { patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { programsMentioning } from '../helpers/processes.js';
import { surrealBin, tempDir } from '../helpers/surreal.js';

const MESSAGES = 300;
const SELECTION = { namespace: 'pattern', database: 'pattern' };
const SEGMENT = path.join('clog', '00000000000000000000.clog');

interface LogEntry {
  start: number;
  end: number;
  key: string;
}

/** Every record of a segment, read as surrealkv reads it; throws where it would stop before the end. */
async function entriesOf(file: string): Promise<LogEntry[]> {
  const bytes = await fs.readFile(file);
  const entries: LogEntry[] = [];
  for (let at = segmentHeaderEnd(bytes, bytes.length)!; at < bytes.length; ) {
    const record = recordAt(bytes, at, bytes.length);
    if (record === 'unreadable' || 'short' in record) throw new Error(`${file}: no whole record at ${at}`);
    entries.push({ start: at, end: record.end, key: bytes.toString('latin1', record.keyStart, record.keyEnd) });
    at = record.end;
  }
  return entries;
}

/** A graph edge, or a full-text or vector index's entry. */
const DERIVED_KEY = /^\/\*[^\0]*\0\*[^\0]*\0\*[^\0]*\0(?:~|\+[^\0]*\0![bhv])/;
const FULL_TEXT_KEY = /^\/\*[^\0]*\0\*[^\0]*\0\*[^\0]*\0\+[^\0]*\0!b/;

/** The resident memory of the surreal serving `folder`, in MB. */
async function residentMb(bin: string, folder: string): Promise<number> {
  let kb = 0;
  for (const pid of await programsMentioning(bin, folder)) kb += Number(/VmRSS:\s+(\d+)/.exec(await fs.readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

/** The export a private 2.x server writes of the copy at `folder`, and the memory it held once it had opened it. */
async function servedExport(folder: string): Promise<{ text: string; residentMb: number }> {
  const bin = await surrealBin(2);
  const store = await openSourceStore(folder, 'surrealkv-2', SELECTION, { path: bin, version: '2', major: 2 });
  try {
    const opened = await residentMb(bin, folder);
    const file = path.join(path.dirname(folder), `${path.basename(folder)}.surql`);
    await store.exportTo(file);
    return { text: await fs.readFile(file, 'utf8'), residentMb: opened };
  } finally {
    await store.discard();
  }
}

it('leaves out only graph edges and full-text and vector index data: a private 2.x server exports the same file from it as from the whole store, holding less', async () => {
  const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
  const dir = await tempDir();
  const whole = path.join(dir, 'whole');
  const lean = path.join(dir, 'lean');
  await copyStoreFiles(folder.storePath, whole);
  const leftOut = await copyStoreToRead('surrealkv-2', folder.storePath, lean);

  const all = await entriesOf(path.join(folder.storePath, SEGMENT));
  const kept = await entriesOf(path.join(lean, SEGMENT));
  const derived = all.filter((entry) => DERIVED_KEY.test(entry.key));
  expect(all.filter((entry) => FULL_TEXT_KEY.test(entry.key)).length).toBeGreaterThan(all.length / 2);
  expect(leftOut).toEqual({ records: derived.length, bytes: derived.reduce((sum, entry) => sum + entry.end - entry.start, 0) });
  expect(kept.map((entry) => entry.key)).toEqual(all.filter((entry) => !DERIVED_KEY.test(entry.key)).map((entry) => entry.key));
  expect(kept.some((entry) => entry.key.includes('\0*msg\0*'))).toBe(true);
  expect((await fs.stat(path.join(lean, SEGMENT))).mode & 0o777).toBe(0o600);

  const fromWhole = await servedExport(whole);
  const fromLean = await servedExport(lean);
  expect(fromLean.text).toContain('DEFINE INDEX msg_content_search ON msg');
  expect(fromLean.text.length).toBeGreaterThan(100_000);
  expect(fromLean.text).toBe(fromWhole.text);
  expect(fromLean.residentMb).toBeLessThan(fromWhole.residentMb - 10);
}, 300_000);

it("the memory check's estimate of what the copy keeps, read from the log's first records, is near what the copy keeps, which a run measures on the copy", async () => {
  const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
  const copy = path.join(await tempDir(), 'copy');
  await copyStoreToRead('surrealkv-2', folder.storePath, copy);
  const kept = (await fs.stat(path.join(copy, SEGMENT))).size;
  // What a run's check reads once it has the copy.
  expect(await logBytes(copy)).toBe(kept);
  const estimate = await keptBytesEstimate(folder.storePath);
  expect(estimate).toBeGreaterThan(kept * 0.9);
  expect(estimate).toBeLessThan(kept * 2);
  expect(estimate).toBeLessThan((await fs.stat(path.join(folder.storePath, SEGMENT))).size / 4);
}, 300_000);

/** A copy of the 300-message 2.x store whose segment `damage` changed; the segment's bytes. */
async function damagedStore(damage: (segment: Buffer, entries: LogEntry[]) => Buffer): Promise<{ store: string; segment: Buffer }> {
  const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
  const file = path.join(folder.storePath, SEGMENT);
  const segment = damage(await fs.readFile(file), await entriesOf(file));
  await fs.writeFile(file, segment);
  return { store: folder.storePath, segment };
}

it('a full-text record that fails its checksum: the store is copied whole, and SurrealDB 2 finds the damage where it is in the store', async () => {
  let damagedAt = 0;
  const { store, segment } = await damagedStore((bytes, entries) => {
    const middle = entries.filter((entry) => FULL_TEXT_KEY.test(entry.key))[Math.floor(entries.length / 4)]!;
    damagedAt = middle.start;
    bytes[middle.end - 1] = bytes[middle.end - 1]! ^ 0x40;
    return bytes;
  });
  const copy = path.join(await tempDir(), 'copy');
  expect(await copyStoreToRead('surrealkv-2', store, copy)).toEqual({ records: 0, bytes: 0 });
  expect((await fs.readFile(path.join(copy, SEGMENT))).equals(segment)).toBe(true);

  const bin = await surrealBin(2);
  const opened = await openSourceStore(copy, 'surrealkv-2', SELECTION, { path: bin, version: '2', major: 2 });
  try {
    // surrealkv counts from the end of the segment's header, and from past the record's checksum.
    const offset = damagedAt + 4 - segmentHeaderEnd(segment, segment.length)!;
    expect(opened.damage).toMatchObject({ major: 2, segment: 0, offset, segmentBytes: segment.length });
  } finally {
    await opened.discard();
  }
}, 300_000);

it('a log whose last record was cut short: the store is copied whole', async () => {
  const { store, segment } = await damagedStore((bytes) => bytes.subarray(0, bytes.length - 3));
  const copy = path.join(await tempDir(), 'copy');
  expect(await copyStoreToRead('surrealkv-2', store, copy)).toEqual({ records: 0, bytes: 0 });
  expect((await fs.readFile(path.join(copy, SEGMENT))).equals(segment)).toBe(true);
}, 300_000);

/**
 * A copy of the 300-message 2.x store whose log is `parts` segments: its records, in order, cut into that many runs,
 * each behind the header surrealkv writes, which names the segment (its metadata's `segment_id`: a field of 4 bytes of
 * length, then the id as 8 bytes, big-endian). SurrealDB 2 reads it as the store.
 */
async function storeOfSegments(parts: number): Promise<string> {
  const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
  const file = path.join(folder.storePath, SEGMENT);
  const bytes = await fs.readFile(file);
  const entries = await entriesOf(file);
  const header = bytes.subarray(0, segmentHeaderEnd(bytes, bytes.length)!);
  await fs.rm(file);
  const per = Math.ceil(entries.length / parts);
  for (let part = 0; part < parts; part++) {
    const run = entries.slice(part * per, (part + 1) * per);
    const named = Buffer.from(header);
    const id = named.indexOf('segment_id') + 'segment_id'.length;
    expect(named.readUInt32BE(id)).toBe(8);
    named.writeBigUInt64BE(BigInt(part), id + 4);
    const name = path.join(folder.storePath, 'clog', `${String(part).padStart(20, '0')}.clog`);
    await fs.writeFile(name, Buffer.concat([named, bytes.subarray(run[0]!.start, run.at(-1)!.end)]));
  }
  return folder.storePath;
}

const segmentsOf = async (store: string) => (await fs.readdir(path.join(store, 'clog'))).filter((name) => name.endsWith('.clog')).sort();

it('a log of several segments is copied a segment per thread: each as a copy of it alone would be, and SurrealDB 2 exports the same from it', async () => {
  const store = await storeOfSegments(5);
  const dir = await tempDir();
  const lean = path.join(dir, 'lean');
  const leftOut = await copyStoreToRead('surrealkv-2', store, lean);
  expect(await segmentsOf(lean)).toEqual(await segmentsOf(store));
  const expected = { records: 0, bytes: 0 };
  for (const name of await segmentsOf(store)) {
    const alone = path.join(dir, `alone-${name}`);
    expect(await copySegmentLean(path.join(store, 'clog', name), alone, expected)).toBe(true);
    expect((await fs.readFile(path.join(lean, 'clog', name))).equals(await fs.readFile(alone)), name).toBe(true);
    expect((await fs.stat(path.join(lean, 'clog', name))).mode & 0o777).toBe(0o600);
  }
  expect(leftOut).toEqual(expected);
  expect(leftOut.records).toBeGreaterThan(0);

  const whole = path.join(dir, 'whole');
  await copyStoreFiles(store, whole);
  const fromLean = await servedExport(lean);
  expect(fromLean.text).toContain('DEFINE INDEX msg_content_search ON msg');
  expect(fromLean.text).toBe((await servedExport(whole)).text);
}, 300_000);

it('a record of the last of several segments that fails its checksum: the store is copied whole', async () => {
  const store = await storeOfSegments(3);
  const [, , last] = await segmentsOf(store);
  const file = path.join(store, 'clog', last!);
  const bytes = await fs.readFile(file);
  const [entry] = (await entriesOf(file)).slice(-5);
  bytes[entry!.end - 1] = bytes[entry!.end - 1]! ^ 0x40;
  await fs.writeFile(file, bytes);
  const copy = path.join(await tempDir(), 'copy');
  expect(await copyStoreToRead('surrealkv-2', store, copy)).toEqual({ records: 0, bytes: 0 });
  for (const name of await segmentsOf(store)) {
    expect((await fs.readFile(path.join(copy, 'clog', name))).equals(await fs.readFile(path.join(store, 'clog', name))), name).toBe(true);
  }
}, 300_000);

it("a segment a thread cannot write fails the copy with that write's error and its code, once every thread has stopped", async () => {
  const store = await storeOfSegments(3);
  const to = await tempDir();
  const jobs = (await segmentsOf(store)).map((name) => ({ from: path.join(store, 'clog', name), to: path.join(to, name) }));
  // A file already where the second segment goes: that thread's write is refused.
  await fs.writeFile(jobs[1]!.to, 'in the way');
  const refused = (await copySegmentsLean(jobs, { records: 0, bytes: 0 }).catch((error: unknown) => error)) as NodeJS.ErrnoException;
  expect(refused).toBeInstanceOf(Error);
  expect(refused.code).toBe('EEXIST');
  expect(refused.message).toContain(jobs[1]!.to);
  expect(await fs.readFile(jobs[1]!.to, 'utf8')).toBe('in the way');
}, 300_000);

/** The store's one segment copied on one thread: the bytes, what was left out, and whether it was read to its end. */
async function copiedOnOneThread(segment: string): Promise<{ bytes: Buffer | null; leftOut: LeftOut; readable: boolean }> {
  const to = path.join(await tempDir(), 'one-thread.clog');
  const leftOut = { records: 0, bytes: 0 };
  const readable = await copySegmentLean(segment, to, leftOut);
  return { bytes: readable ? await fs.readFile(to) : null, leftOut, readable };
}

/** The same, in two halves on two threads (the pool's worker for the second), and what is left beside the copy. */
async function copiedInHalves(segment: string): Promise<{ bytes: Buffer | null; leftOut: LeftOut; readable: boolean; beside: string[] }> {
  const dir = await tempDir();
  const to = path.join(dir, 'halves.clog');
  const leftOut = { records: 0, bytes: 0 };
  const readable = await copyInHalves({ from: segment, to }, leftOut);
  return { bytes: readable ? await fs.readFile(to) : null, leftOut, readable, beside: (await fs.readdir(dir)).filter((name) => name !== 'halves.clog') };
}

it('a log of one segment is copied in two halves, on two threads: the same bytes, and the same left out, as on one', async () => {
  const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
  const segment = path.join(folder.storePath, SEGMENT);
  const halves = await copiedInHalves(segment);
  expect(halves.readable).toBe(true);
  expect(halves.beside, 'the second half\'s own file, once joined').toEqual([]);
  const one = await copiedOnOneThread(segment);
  expect(halves.bytes!.equals(one.bytes!)).toBe(true);
  expect(halves.leftOut).toEqual(one.leftOut);
  expect(halves.leftOut.records).toBeGreaterThan(0);
}, 300_000);

it('a second half that did not start where the first half\'s records lead is not joined: the first thread copies the rest itself', async () => {
  const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
  const segment = path.join(folder.storePath, SEGMENT);
  const to = path.join(await tempDir(), 'halves.clog');
  const leftOut = { records: 0, bytes: 0 };
  // As if it had missed a record's start: it starts at the record after it.
  const readable = await copySegmentLeanInHalves(segment, to, leftOut, async (half) => {
    const found = await copySecondHalf(half.from, half.to, half.after, { records: 0, bytes: 0 });
    await fs.rm(half.to);
    const own = { records: 0, bytes: 0 };
    const later = await copySecondHalf(half.from, half.to, found.startedAt! + 1, own);
    expect(later.startedAt).toBeGreaterThan(found.startedAt!);
    return { ...later, leftOut: own };
  });
  const one = await copiedOnOneThread(segment);
  expect(readable).toBe(true);
  expect((await fs.readFile(to)).equals(one.bytes!)).toBe(true);
  expect(leftOut).toEqual(one.leftOut);
}, 300_000);

it.each([
  ['first', 0.25],
  ['second', 0.75],
] as const)('a record of the %s half that fails its checksum: the segment is not read to its end, as on one thread', async (_half, where) => {
  const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
  const segment = path.join(folder.storePath, SEGMENT);
  const bytes = await fs.readFile(segment);
  const entries = await entriesOf(segment);
  const damaged = entries.find((entry) => entry.start >= bytes.length * where)!;
  bytes[damaged.end - 1] = bytes[damaged.end - 1]! ^ 0x40;
  await fs.writeFile(segment, bytes);
  expect((await copiedOnOneThread(segment)).readable).toBe(false);
  const halves = await copiedInHalves(segment);
  expect(halves.readable).toBe(false);
  expect(halves.beside).toEqual([]);
}, 300_000);
