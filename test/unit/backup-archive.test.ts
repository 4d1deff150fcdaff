import { promises as fs, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyArchive, writeArchive } from '../../src/ops/backup-archive.js';
import { backupHeaderLine } from '../../src/ops/backup-naming.js';
import { tempDir } from '../helpers/temp-folders.js';

// Set, the archive's file is created as usual but every write to it is refused with this errno.
const refuseWrites = vi.hoisted(() => ({ code: undefined as string | undefined }));
vi.mock('../../src/files/private-files.js', async (original) => {
  const actual = await original<typeof import('../../src/files/private-files.js')>();
  return {
    ...actual,
    privateWriteStream: (file: string) => {
      const { code } = refuseWrites;
      if (!code) return actual.privateWriteStream(file);
      writeFileSync(file, '', { flag: 'wx', mode: 0o600 });
      return new Writable({ write: (_chunk, _encoding, done) => done(Object.assign(new Error(`${code}: refused, write`), { code })) });
    },
  };
});

const DUMP = [
  '-- ------------------------------\n-- OPTION\n-- ------------------------------\n\nOPTION IMPORT;\n\n',
  'DEFINE TABLE msg TYPE ANY SCHEMALESS PERMISSIONS NONE;\n',
  "INSERT [ { id: msg:a, text: 'one; two' }, { id: msg:b, text: 'x' } ];\n",
  'DEFINE TABLE empty TYPE ANY SCHEMALESS PERMISSIONS NONE;\n',
  'INSERT RELATION [ { id: likes:1, in: msg:a, out: msg:b } ];\n',
];
const header = { namespace: 'pattern', database: 'pattern', takenAt: '2026-11-27T03:15:00.000Z', source: 'http://127.0.0.1:8000' };

let dir: string;
beforeEach(async () => {
  dir = await tempDir('pattern-db-archive-');
});
afterEach(async () => {
  refuseWrites.code = undefined;
  await fs.rm(dir, { recursive: true, force: true });
});

describe('backup archives', () => {
  it('are gzip with the header first, a 0600 file, and read back with their records per table', async () => {
    const file = path.join(dir, 'b.surql.gz');
    const written = await writeArchive(Readable.from(DUMP), file, backupHeaderLine(header));
    expect(((await fs.stat(file)).mode & 0o777).toString(8)).toBe('600');
    expect(written.bytes).toBe((await fs.stat(file)).size);
    const text = gunzipSync(await fs.readFile(file)).toString('utf8');
    expect(text).toBe(backupHeaderLine(header) + DUMP.join(''));
    expect(written.uncompressedBytes).toBe(Buffer.byteLength(text));

    const contents = await verifyArchive(file);
    expect(contents).toMatchObject({ header, recordsByTable: { msg: 2, likes: 1 }, records: 3, sha256: written.sha256 });
    expect(contents.tables.sort()).toEqual(['empty', 'likes', 'msg']);
    expect(await fs.readdir(dir)).toEqual(['b.surql.gz', 'b.surql.gz.sha256']);
  });

  it('leave nothing behind when the source fails', async () => {
    const file = path.join(dir, 'b.surql.gz');
    const failing = new Readable({
      read() {
        this.push('OPTION IMPORT;\n');
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(writeArchive(failing, file, backupHeaderLine(header))).rejects.toThrow('connection reset');
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it.each(['ENOSPC', 'EDQUOT'])('a write refused with %s is E_DISK_FULL, with the fix, and leaves nothing behind', async (code) => {
    refuseWrites.code = code;
    const file = path.join(dir, 'b.surql.gz');
    const refused = writeArchive(Readable.from(DUMP), file, backupHeaderLine(header));
    await expect(refused).rejects.toMatchObject({ code: 'E_DISK_FULL', message: expect.stringContaining(file), fix: expect.stringContaining('Free disk space') });
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('are refused when the SurrealQL inside is cut in the middle of a statement', async () => {
    const file = path.join(dir, 'b.surql.gz');
    const cut = DUMP.join('').slice(0, DUMP.join('').indexOf("'one;") + 3);
    await writeArchive(Readable.from([cut]), file, backupHeaderLine(header));
    await expect(verifyArchive(file)).rejects.toMatchObject({ code: 'E_BACKUP_CORRUPT', message: /cut short/ });
  });

  it('are refused when they hold no export at all', async () => {
    const file = path.join(dir, 'b.surql.gz');
    await writeArchive(Readable.from(['-- just a comment\n']), file, '');
    await expect(verifyArchive(file)).rejects.toMatchObject({ code: 'E_BACKUP_CORRUPT', message: /no SurrealDB export/ });
  });

  it('without a checksum file are refused unless the caller accepts that', async () => {
    const file = path.join(dir, 'b.surql.gz');
    await writeArchive(Readable.from(DUMP), file, backupHeaderLine(header));
    await fs.rm(`${file}.sha256`);
    await expect(verifyArchive(file)).rejects.toMatchObject({ code: 'E_BACKUP_CORRUPT', message: /no checksum file/ });
    expect((await verifyArchive(file, { requireChecksum: false })).records).toBe(3);
  });

  it('keep the SurrealQL they checked as a private copy to load, and remove it when a statement is refused, naming its line', async () => {
    const file = path.join(dir, 'b.surql.gz');
    await writeArchive(Readable.from(DUMP), file, backupHeaderLine(header));
    const plain = path.join(dir, 'checked.surql');
    await verifyArchive(file, { plainCopy: plain, screen: () => null });
    expect(await fs.readFile(plain, 'utf8')).toBe(backupHeaderLine(header) + DUMP.join(''));
    expect(((await fs.stat(plain)).mode & 0o777).toString(8)).toBe('600');
    await fs.rm(plain);

    const refused = verifyArchive(file, { plainCopy: plain, screen: (s) => (s.kind === 'insert-relation' ? 'no relations today' : null) });
    // Line 1 is the header; the relation is the last of the dump's lines.
    const line = (backupHeaderLine(header) + DUMP.join('')).split('\n').findIndex((l) => l.startsWith('INSERT RELATION')) + 1;
    await expect(refused).rejects.toMatchObject({ code: 'E_RESTORE_REFUSED', message: expect.stringContaining(`at line ${line}: "INSERT RELATION [ { id: likes:1`) });
    expect(await fs.stat(plain).catch(() => null)).toBeNull();

    // A damaged archive decompresses to garbage a screen may refuse: the damage is what is reported.
    await fs.writeFile(`${file}.sha256`, `${'0'.repeat(64)}  b.surql.gz\n`);
    await expect(verifyArchive(file, { screen: () => 'refused' })).rejects.toMatchObject({ code: 'E_BACKUP_CORRUPT', message: expect.stringContaining('checksum does not match') });
  });
});
