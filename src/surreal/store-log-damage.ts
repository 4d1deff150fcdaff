// surrealkv keeps what a store has not yet put elsewhere in a log of segments: SurrealDB 2's (surrealkv 0.9) is the
// whole store in one append-only commit log (clog/, segments of up to 512 MiB); SurrealDB 3's (surrealkv 0.20+) is the
// write-ahead log of its LSM tree (wal/), holding whatever the engine had not flushed to its tables when it closed
// (@surrealdb/node 3.0's engine flushes nothing: its 300-message store is all in wal/). When either opens a store
// whose log holds a record that is cut short or fails its checksum, it keeps what comes before that record and drops
// the rest of that segment, writing what it keeps into a new file of the same name. SurrealDB 2 says so only on
// stderr:
//   Corruption error: CorruptionError { kind: Other, message: "…CRC mismatch…", segment_id: 0, offset: 5285469 }
//   Repairing corrupted segment with id: 0 and offset: 5285469
// a surreal 3 server in its log (`Detected WAL corruption in segment 1 at offset 2975522: … Attempting repair...`),
// and @surrealdb/node's engine not at all. A write cut short by a crash loses one transaction; one flipped byte in the
// middle of a 300-message store's log lost half its messages to SurrealDB 2 and all of them to SurrealDB 3.0.
// Whatever opens the store itself next does the same to it. pattern-db sees it on its copy, the first time the copy is
// opened: a segment that is a new file since.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { megabytes } from '../core/byte-size.js';
import type { StoreFormat } from '../core/store-format.js';
import { COPY_DAMAGED, KEEP_A_COPY } from './store-table-damage.js';

export interface StoreDamage {
  /** The SurrealDB whose log it is: 2 (the commit log, clog/) or 3 (the write-ahead log, wal/). */
  major: 2 | 3;
  segment: number;
  /** Where the dropped part of the segment begins (unknown if SurrealDB 2's line never came). */
  offset: number | undefined;
  /** The segment's size before the open. */
  segmentBytes: number;
  /** surrealkv's own words for what it found there. */
  corruption: string | undefined;
}

interface StoreLog {
  major: 2 | 3;
  /** The folder of its segments, each `<folder>/<id, 20 digits>.<folder>`. */
  folder: 'clog' | 'wal';
  name: string;
  /** The line that names the segment repaired and where the dropped part begins. */
  repairing: RegExp;
  /** The line that says what was wrong there. */
  corruption: RegExp;
}

const LOGS: Record<2 | 3, StoreLog> = {
  2: {
    major: 2,
    folder: 'clog',
    name: 'log',
    repairing: /Repairing corrupted segment with id: (\d+) and offset: (\d+)/,
    corruption: /^Corruption error: .*segment_id: (\d+), offset: (\d+)/,
  },
  3: {
    major: 3,
    folder: 'wal',
    name: 'write-ahead log',
    repairing: /Detected WAL corruption in segment (\d+) at offset (\d+)/,
    corruption: /Detected WAL corruption in segment (\d+) at offset (\d+).*/,
  },
};

function logOf(format: StoreFormat): StoreLog | undefined {
  if (format === 'surrealkv-2') return LOGS[2];
  return format === 'surrealkv-3.0' || format === 'surrealkv-3.1+' ? LOGS[3] : undefined;
}

/** What surrealkv 0.9 answers when the damage is in a segment before the last, which it does not repair. */
const OLDER_SEGMENT = /Mismatched segment ID: expected=(\d+), found=(\d+)/;
/**
 * How long SurrealDB 2's line that names the offset is waited for once the segment is known to be rewritten: it goes
 * to stderr before the server answers, but a pipe can deliver it after. SurrealDB 3 keeps exactly what comes before
 * the damage (the new file is the old one's first bytes), so its segment's size says where the damage begins.
 */
const REPAIR_LINE_WAIT_MS = 2_000;

interface SegmentFile {
  bytes: number;
  inode: number;
}

/** Each segment of the log, by id. */
async function logSegments(folder: string, log: StoreLog): Promise<Map<number, SegmentFile>> {
  const dir = path.join(folder, log.folder);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const pattern = new RegExp(`^(\\d+)\\.${log.folder}$`);
  const segments = new Map<number, SegmentFile>();
  for (const name of names) {
    const id = pattern.exec(name)?.[1];
    if (id === undefined) continue;
    const stat = await fs.stat(path.join(dir, name)).catch(() => null);
    if (stat) segments.set(Number(id), { bytes: stat.size, inode: stat.ino });
  }
  return segments;
}

/**
 * Opens a snapshot (`open`: a private server, or the embedded engine) and says what damage that open found in the
 * store's log. `openingLines` is what the opener printed, when it prints (a server does; the engine does not).
 */
export async function openNoticingDamage<T>(
  snapshot: string,
  format: StoreFormat,
  open: () => Promise<T>,
  openingLines: (opened: T) => readonly string[] = () => [],
): Promise<{ opened: T; damage: StoreDamage | undefined }> {
  const log = logOf(format);
  if (!log) return { opened: await open(), damage: undefined };
  const before = await logSegments(snapshot, log);
  const opened = await open();
  const after = await logSegments(snapshot, log);
  const rewritten = [...before].find(([id, file]) => after.has(id) && after.get(id)!.inode !== file.inode)?.[0];
  // A server's line is evidence on its own for SurrealDB 3: a server started twice on the copy (a store with root users
  // of its own) has flushed the repaired segment and removed it by the time it answers. SurrealDB 2 keeps its segments.
  const named = log.major === 3 ? repairedIn(openingLines(opened), log).find((id) => before.has(id)) : undefined;
  const segment = named ?? rewritten;
  if (segment === undefined) return { opened, damage: undefined };
  const bytes = before.get(segment)!.bytes;
  const lines = log.major === 2 ? await repairLines(() => openingLines(opened), log) : openingLines(opened);
  const logged = lines.map((line) => log.repairing.exec(line)).find((match) => match !== null && Number(match[1]) === segment)?.[2];
  const offset = logged !== undefined ? Number(logged) : log.major === 3 ? after.get(segment)?.bytes : undefined;
  return { opened, damage: { major: log.major, segment, offset, segmentBytes: bytes, corruption: corruptionIn(lines, log)?.line } };
}

/** surrealkv's line on the damaged record, with where it is when it says. */
function corruptionIn(lines: readonly string[], log: StoreLog): { line: string; segment: number; offset: number } | undefined {
  for (const line of lines) {
    const match = log.corruption.exec(line.trim());
    if (match) return { line: log.major === 2 ? line.trim() : match[0], segment: Number(match[1]), offset: Number(match[2]) };
  }
  return undefined;
}

/** The segments the opener's lines say it repaired. */
function repairedIn(lines: readonly string[], log: StoreLog): number[] {
  return lines.flatMap((line) => {
    const match = log.repairing.exec(line);
    return match ? [Number(match[1])] : [];
  });
}

/** The opener's lines once they hold its repair line, or after REPAIR_LINE_WAIT_MS without it. */
async function repairLines(lines: () => readonly string[], log: StoreLog): Promise<readonly string[]> {
  const deadline = Date.now() + REPAIR_LINE_WAIT_MS;
  while (!lines().some((line) => log.repairing.test(line)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return lines();
}

/** How much of the segment was dropped ("about 5.3 MB (50% of that segment)"), when where the damage begins is known. */
function droppedSize(damage: StoreDamage, of = 'that segment'): string | undefined {
  if (damage.offset === undefined) return undefined;
  const dropped = Math.max(0, damage.segmentBytes - damage.offset);
  const share = damage.segmentBytes ? Math.round((dropped / damage.segmentBytes) * 1000) / 10 : 0;
  return `about ${dropped < 1e6 ? `${dropped} bytes` : megabytes(dropped)} (${share}% of ${of})`;
}

/** What a verification of such a store compared the target with, for its verdict. */
export function readUpToDamage(damage: StoreDamage): string {
  const size = droppedSize(damage, 'its log segment');
  return `what SurrealDB ${damage.major} read of the store, up to the damage in its ${LOGS[damage.major].name}${size ? `: ${size} dropped` : ''}`;
}

const segmentFile = (log: StoreLog, segment: number): string => `${log.folder}/${String(segment).padStart(20, '0')}.${log.folder}`;

/** What SurrealDB did with the store's damaged log, in one sentence. */
export function damageMessage(damage: StoreDamage, storePath: string): string {
  const size = droppedSize(damage);
  const dropped = size ? `everything from byte ${damage.offset} of that segment on: ${size}` : `everything from the damage to the end of that segment (${megabytes(damage.segmentBytes)} in all)`;
  const log = LOGS[damage.major];
  return `SurrealDB ${damage.major} found the ${log.name} of ${storePath} damaged (${segmentFile(log, damage.segment)}) and read it only up to the damage, dropping ${dropped}, with any record written there.`;
}

/** What the store's own next opener does with the same damage. */
const NEXT_OPEN: Record<2 | 3, string> = {
  2: "Pattern's SurrealDB 2 drops the same part of the store the next time it starts",
  3: 'Whatever opens the store itself with SurrealDB 3 (Pattern, a surreal server) drops the same part of it',
};

/** The repair, in surrealkv's words where SurrealDB 2 says where the damage begins, else as the segment's files show it. */
function repairEvidence(damage: StoreDamage): string {
  const file = segmentFile(LOGS[damage.major], damage.segment);
  if (damage.offset === undefined) return `${file} became a new file when SurrealDB ${damage.major} opened the copy (its repair); its log did not say where the damage begins`;
  if (damage.major === 2) return `Repairing corrupted segment with id: ${damage.segment} and offset: ${damage.offset}`;
  return `SurrealDB 3 kept ${damage.offset} of the ${damage.segmentBytes} bytes of ${file} when it opened the copy (its repair)`;
}

/**
 * E_STORE_DAMAGED for a store whose copy SurrealDB cut short. `next` says what the command can do about it (run again
 * skipping the check, or keep the folder itself as the backup).
 */
export function storeDamagedError(damage: StoreDamage, storePath: string, next: string): PatternDbError {
  return new PatternDbError('E_STORE_DAMAGED', damageMessage(damage, storePath), {
    evidence: [damage.corruption, repairEvidence(damage)].filter(Boolean).join('\n'),
    fix:
      `${COPY_DAMAGED} ${NEXT_OPEN[damage.major]}, so copy the store folder somewhere safe first (cp -a), and do not start Pattern on it until you have. ` +
      `A few hundred bytes are most likely one write a crash cut short; more, in the middle of the log, means the disk damaged it: restore the store from a backup if you have one. ${next}`,
  });
}

/**
 * E_STORE_DAMAGED for a 2.x store that would not open at all: damage in a segment before the last, which surrealkv
 * does not repair (`Mismatched segment ID`). Undefined when the lines of the failed open say nothing of the kind.
 */
export function unopenableDamage(lines: readonly string[], folder: string): PatternDbError | undefined {
  const corruption = corruptionIn(lines, LOGS[2]);
  const older = lines.map((line) => OLDER_SEGMENT.exec(line)).find((match) => match !== null);
  if (!corruption || !older) return undefined;
  return new PatternDbError(
    'E_STORE_DAMAGED',
    `SurrealDB 2 found the log of the store damaged at byte ${corruption.offset} of ${segmentFile(LOGS[2], corruption.segment)}, a segment before its last (${segmentFile(LOGS[2], Number(older[1]))}), which it does not repair: it cannot open the store (its copy ${folder}) at all.`,
    {
      evidence: [corruption.line, older[0]].join('\n'),
      fix: `${COPY_DAMAGED} Pattern's SurrealDB 2 cannot open it either. ${KEEP_A_COPY}`,
    },
  );
}
