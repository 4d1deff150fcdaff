import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { writeArchive } from '../../src/ops/backup-archive.js';
import {
  backupFileName,
  backupHeaderLine,
  backupTimeOf,
  backupTimestamp,
  checksumLine,
  parseBackupHeader,
  parseChecksumLine,
} from '../../src/ops/backup-naming.js';
import { applyRetention } from '../../src/ops/backup-retention.js';
import { tempDir } from '../helpers/temp-folders.js';

const at = (iso: string) => new Date(iso);

describe('backup names', () => {
  it('are <ns>-<db>-<UTC time>.surql.gz and read back to the same time', () => {
    const when = at('2026-11-27T03:15:00.042Z');
    expect(backupTimestamp(when)).toBe('20261127T031500.042Z');
    const name = backupFileName('pattern', 'pattern', when);
    expect(name).toBe('pattern-pattern-20261127T031500.042Z.surql.gz');
    expect(backupTimeOf(name, 'pattern', 'pattern')?.toISOString()).toBe(when.toISOString());
  });

  it('refuse a namespace or database that would move the file or break a line: path separators and control characters', () => {
    const when = at('2026-11-27T03:15:00.042Z');
    expect(() => backupFileName('../../etc', 'pattern', when)).toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining('--namespace') }));
    expect(() => backupFileName('pattern', 'a\\b', when)).toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining('--database') }));
    expect(() => backupFileName('pattern', 'x\ny', when)).toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining('--database') }));
    expect(() => backupFileName('pat\u0000', 'pattern', when)).toThrow(/--namespace/);
    expect(backupFileName('my-ns.1', 'db_2', when)).toBe('my-ns.1-db_2-20261127T031500.042Z.surql.gz');
  });

  it('belong to exactly one namespace/database and a valid time', () => {
    expect(backupTimeOf('pattern-pattern-20261127T031500.042Z.surql.gz', 'pattern', 'other')).toBeNull();
    expect(backupTimeOf('pattern-pattern-20261127T031500.042Z.surql', 'pattern', 'pattern')).toBeNull();
    expect(backupTimeOf('pattern-pattern-20261399T031500.042Z.surql.gz', 'pattern', 'pattern')).toBeNull();
    expect(backupTimeOf('pattern-pattern-latest.surql.gz', 'pattern', 'pattern')).toBeNull();
    expect(backupTimeOf('xpattern-pattern-20261127T031500.042Z.surql.gz', 'pattern', 'pattern')).toBeNull();
  });

  it('checksum lines are what sha256sum writes and reads', () => {
    const sha = 'a'.repeat(64);
    expect(checksumLine(sha, 'x.surql.gz')).toBe(`${sha}  x.surql.gz\n`);
    expect(parseChecksumLine(`${sha}  x.surql.gz\n`)).toEqual({ sha256: sha, name: 'x.surql.gz' });
    expect(parseChecksumLine(`${sha.toUpperCase()} *x.surql.gz`)).toEqual({ sha256: sha, name: 'x.surql.gz' });
    expect(parseChecksumLine('not a checksum')).toBeNull();
  });

  it('the header line inside an archive says what it holds', () => {
    const header = { namespace: 'ns', database: 'db', takenAt: '2026-11-27T03:15:00.042Z', source: 'http://127.0.0.1:8000' };
    const line = backupHeaderLine(header);
    expect(line.startsWith('-- pattern-db backup: ')).toBe(true);
    expect(parseBackupHeader(line.trimEnd())).toEqual(header);
    expect(parseBackupHeader('-- ------------------------------')).toBeNull();
    // The major whose SurrealQL it holds; archives from before it was recorded have none.
    expect(parseBackupHeader(backupHeaderLine({ ...header, major: 2 }).trimEnd())).toEqual({ ...header, major: 2 });
  });
});

describe('retention', () => {
  const names = [
    'pattern-pattern-20261101T031500.000Z.surql.gz',
    'pattern-pattern-20261103T031500.000Z.surql.gz',
    'pattern-pattern-20261102T031500.000Z.surql.gz',
    'pattern-pattern-20261104T031500.000Z.surql.gz',
    'pattern-pattern-20261104T031500.000Z.surql.gz.sha256',
    'pattern-other-20261001T031500.000Z.surql.gz',
    'pattern-pattern-manual.surql.gz',
    'notes.txt',
  ];

  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** A folder holding `names` (backups without a header go by their name); the retention of pattern/`database` in it. */
  const retainIn = async (database: string, keep: number) => {
    dir = await tempDir('pattern-db-retention-');
    for (const name of names) await fs.writeFile(path.join(dir, name), 'not read');
    const { deleted, kept } = await applyRetention(dir, 'pattern', database, keep, path.join(dir, names[3]!));
    return { deleted: deleted.map((f) => path.basename(f)), kept: kept.map((f) => path.basename(f)) };
  };

  it('deletes only the oldest backups of this database beyond the newest N', async () => {
    expect(await retainIn('pattern', 2)).toEqual({
      deleted: ['pattern-pattern-20261102T031500.000Z.surql.gz', 'pattern-pattern-20261101T031500.000Z.surql.gz'],
      kept: ['pattern-pattern-20261104T031500.000Z.surql.gz', 'pattern-pattern-20261103T031500.000Z.surql.gz'],
    });
    expect((await retainIn('pattern', 10)).deleted).toEqual([]);
    expect(await retainIn('other', 1)).toEqual({ deleted: [], kept: ['pattern-other-20261001T031500.000Z.surql.gz'] });
  });

  it('always keeps at least the newest one', async () => {
    expect((await retainIn('pattern', 0)).deleted).toHaveLength(3);
  });

  it('leaves a file alone whose header names another database, even when its name matches', async () => {
    dir = await tempDir('pattern-db-retention-');
    // a-b/c and a/b-c share the prefix a-b-c-.
    const header = (namespace: string, database: string) => backupHeaderLine({ namespace, database, takenAt: '', source: '' });
    const write = (name: string, ns: string, db: string) => writeArchive(Readable.from(['OPTION IMPORT;\n']), path.join(dir!, name), header(ns, db));
    await write('a-b-c-20261101T000000.000Z.surql.gz', 'a', 'b-c');
    await write('a-b-c-20261102T000000.000Z.surql.gz', 'a-b', 'c');
    await write('a-b-c-20261103T000000.000Z.surql.gz', 'a-b', 'c');
    const newest = path.join(dir, 'a-b-c-20261103T000000.000Z.surql.gz');
    const result = await applyRetention(dir, 'a-b', 'c', 1, newest);
    expect(result.deleted).toEqual([path.join(dir, 'a-b-c-20261102T000000.000Z.surql.gz')]);
    expect(result.skipped).toEqual([path.join(dir, 'a-b-c-20261101T000000.000Z.surql.gz')]);
    expect((await fs.readdir(dir)).sort()).toEqual([
      'a-b-c-20261101T000000.000Z.surql.gz',
      'a-b-c-20261101T000000.000Z.surql.gz.sha256',
      'a-b-c-20261103T000000.000Z.surql.gz',
      'a-b-c-20261103T000000.000Z.surql.gz.sha256',
    ]);
  });

  it("counts only this database's backups towards --keep: newer ones of a pair sharing the name prefix take none of its places", async () => {
    dir = await tempDir('pattern-db-retention-');
    const header = (namespace: string, database: string) => backupHeaderLine({ namespace, database, takenAt: '', source: '' });
    const write = (day: number, ns: string, db: string) => writeArchive(Readable.from(['OPTION IMPORT;\n']), path.join(dir!, `a-b-c-202611${String(day).padStart(2, '0')}T000000.000Z.surql.gz`), header(ns, db));
    await write(1, 'a', 'b-c');
    await write(2, 'a', 'b-c');
    await write(3, 'a-b', 'c');
    await write(4, 'a-b', 'c');
    await write(5, 'a', 'b-c');
    const name = (day: number) => path.join(dir!, `a-b-c-202611${String(day).padStart(2, '0')}T000000.000Z.surql.gz`);
    const result = await applyRetention(dir, 'a', 'b-c', 2, name(5));
    expect(result).toEqual({ deleted: [name(1)], kept: [name(5), name(2)], skipped: [name(4), name(3)] });
  });
});
