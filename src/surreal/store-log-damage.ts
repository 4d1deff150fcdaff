// A SurrealDB 2 store keeps everything in one append-only log (clog/, segments of up to 512 MiB, surrealkv 0.9). When
// surrealkv opens a store whose last segment holds a record that is cut short or fails its checksum, it keeps what
// comes before that record and drops the rest of the segment: it renames the segment aside, writes what it keeps into
// a new file of the same name, and says so only on stderr:
//   Corruption error: CorruptionError { kind: Other, message: "…CRC mismatch…", segment_id: 0, offset: 5285469 }
//   Repairing corrupted segment with id: 0 and offset: 5285469
// A write cut short by a crash loses one transaction; one flipped byte in the middle of a 5,000-message store's only
// segment loses every record after it. Pattern's own SurrealDB 2 does the same to the store itself at its next start.
// pattern-db sees it on its copy, the first time a private server opens it: a segment that is a new file since.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { megabytes } from '../core/byte-size.js';
import type { StoreFormat } from '../core/store-format.js';

export interface StoreDamage {
  segment: number;
  /** Where the dropped part of the segment begins, as surrealkv logged it (unknown if the line never came). */
  offset: number | undefined;
  /** The segment's size before the open. */
  segmentBytes: number;
  /** surrealkv's own words for what it found there. */
  corruption: string | undefined;
}

const REPAIRING = /Repairing corrupted segment with id: (\d+) and offset: (\d+)/;
const CORRUPTION = /^Corruption error: .*segment_id: (\d+), offset: (\d+)/;
/** What surrealkv answers when the damage is in a segment before the last, which it does not repair. */
const OLDER_SEGMENT = /Mismatched segment ID: expected=(\d+), found=(\d+)/;
/**
 * How long the server's line that names the offset is waited for once the segment is known to be rewritten: it goes
 * to stderr before the server answers, but a pipe can deliver it after.
 */
const REPAIR_LINE_WAIT_MS = 2_000;

interface SegmentFile {
  bytes: number;
  inode: number;
}

/** Each segment of the log, by id. */
async function clogSegments(folder: string): Promise<Map<number, SegmentFile>> {
  const clog = path.join(folder, 'clog');
  const names = await fs.readdir(clog).catch(() => [] as string[]);
  const segments = new Map<number, SegmentFile>();
  for (const name of names) {
    const id = /^(\d+)\.clog$/.exec(name)?.[1];
    if (id === undefined) continue;
    const stat = await fs.stat(path.join(clog, name)).catch(() => null);
    if (stat) segments.set(Number(id), { bytes: stat.size, inode: stat.ino });
  }
  return segments;
}

/** Starts `serve` on a snapshot and says what damage its open found in a 2.x store's log (none for other formats). */
export async function serveNoticingDamage<T extends { openingLines: readonly string[] }>(
  snapshot: string,
  format: StoreFormat,
  serve: () => Promise<T>,
): Promise<{ served: T; damage: StoreDamage | undefined }> {
  if (format !== 'surrealkv-2') return { served: await serve(), damage: undefined };
  const before = await clogSegments(snapshot);
  const served = await serve();
  const after = await clogSegments(snapshot);
  const rewritten = [...before].find(([id, file]) => after.get(id)?.inode !== file.inode);
  if (!rewritten) return { served, damage: undefined };
  const [segment, { bytes }] = rewritten;
  const lines = await repairLines(served);
  const offset = lines.map((line) => REPAIRING.exec(line)).find((match) => match !== null && Number(match[1]) === segment)?.[2];
  return {
    served,
    damage: {
      segment,
      offset: offset === undefined ? undefined : Number(offset),
      segmentBytes: bytes,
      corruption: corruptionIn(lines)?.line,
    },
  };
}

/** surrealkv's line on the damaged record, with where it is. */
function corruptionIn(lines: readonly string[]): { line: string; segment: number; offset: number } | undefined {
  for (const line of lines) {
    const match = CORRUPTION.exec(line.trim());
    if (match) return { line: line.trim(), segment: Number(match[1]), offset: Number(match[2]) };
  }
  return undefined;
}

/** The server's opening lines once they hold its repair line, or after REPAIR_LINE_WAIT_MS without it. */
async function repairLines(served: { openingLines: readonly string[] }): Promise<readonly string[]> {
  const deadline = Date.now() + REPAIR_LINE_WAIT_MS;
  while (!served.openingLines.some((line) => REPAIRING.test(line)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return served.openingLines;
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
  return `what SurrealDB 2 read of the store, up to the damage in its log${size ? `: ${size} dropped` : ''}`;
}

const segmentFile = (damage: Pick<StoreDamage, 'segment'>): string => `clog/${String(damage.segment).padStart(20, '0')}.clog`;

/** What SurrealDB 2 did with the store's damaged log, in one sentence. */
export function damageMessage(damage: StoreDamage, storePath: string): string {
  const size = droppedSize(damage);
  const dropped = size ? `everything from byte ${damage.offset} of that segment on: ${size}` : `everything from the damage to the end of that segment (${megabytes(damage.segmentBytes)} in all)`;
  return `SurrealDB 2 found the log of ${storePath} damaged (${segmentFile(damage)}) and read it only up to the damage, dropping ${dropped}, with any record written there.`;
}

/**
 * E_STORE_DAMAGED for a store whose copy SurrealDB 2 cut short. `next` says what the command can do about it (run again
 * skipping the check, or keep the folder itself as the backup).
 */
export function storeDamagedError(damage: StoreDamage, storePath: string, next: string): PatternDbError {
  const repaired =
    damage.offset === undefined
      ? `${segmentFile(damage)} became a new file when SurrealDB 2 opened the copy (its repair); its log did not say where the damage begins`
      : `Repairing corrupted segment with id: ${damage.segment} and offset: ${damage.offset}`;
  return new PatternDbError('E_STORE_DAMAGED', damageMessage(damage, storePath), {
    evidence: [damage.corruption, repaired].filter(Boolean).join('\n'),
    fix:
      `The store itself was not changed: this happened to pattern-db's copy. Pattern's SurrealDB 2 drops the same part of the store the next time it starts, so copy the store folder somewhere safe first (cp -a), and do not start Pattern on it until you have. ` +
      `A few hundred bytes are most likely one write a crash cut short; more, in the middle of the log, means the disk damaged it: restore the store from a backup if you have one. ${next}`,
  });
}

/**
 * E_STORE_DAMAGED for a 2.x store that would not open at all: damage in a segment before the last, which surrealkv
 * does not repair (`Mismatched segment ID`). Undefined when the lines of the failed open say nothing of the kind.
 */
export function unopenableDamage(lines: readonly string[], folder: string): PatternDbError | undefined {
  const corruption = corruptionIn(lines);
  const older = lines.map((line) => OLDER_SEGMENT.exec(line)).find((match) => match !== null);
  if (!corruption || !older) return undefined;
  return new PatternDbError(
    'E_STORE_DAMAGED',
    `SurrealDB 2 found the log of the store damaged at byte ${corruption.offset} of ${segmentFile(corruption)}, a segment before its last (${segmentFile({ segment: Number(older[1]) })}), which it does not repair: it cannot open the store (its copy ${folder}) at all.`,
    {
      evidence: [corruption.line, older[0]].join('\n'),
      fix:
        "The store itself was not changed: this happened to pattern-db's copy. Pattern's SurrealDB 2 cannot open it either. Copy the store folder somewhere safe first (cp -a), then restore it from a backup if you have one; " +
        'nothing in pattern-db reads past this damage.',
    },
  );
}
