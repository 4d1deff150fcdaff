// A backup killed part-way: what it left is recognised by name (and by its writer being gone), and nothing else is.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishArchive, writePartialArchive } from '../../src/ops/backup-archive.js';
import { backupLeftovers, removeDumpLeftovers } from '../../src/ops/backup-leftovers.js';
import { backupHeaderLine } from '../../src/ops/backup-naming.js';
import { backupsOf } from '../../src/ops/backup-retention.js';
import { tempDir } from '../helpers/temp-folders.js';

const A = 'pattern-pattern-20261127T031500.000Z.surql.gz';
const B = 'pattern-pattern-20261128T031500.000Z.surql.gz';
const alive = (pid: number) => pid === 4242;

let dir: string;
beforeEach(async () => {
  dir = await tempDir('pattern-db-leftovers-');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('leftovers of an interrupted backup', () => {
  it("are its partial archive and checksum and a checksum without its archive; a running backup's and other files are not", () => {
    const names = [
      A,
      `${A}.sha256`,
      `${B}.999.partial`,
      `${B}.sha256.999.partial`,
      `${B}.4242.partial`,
      'pattern-pattern-20261129T031500.000Z.surql.gz.sha256',
      'pattern-other-20261129T031500.000Z.surql.gz.999.partial',
      'notes.txt.999.partial',
      'pattern-pattern-20261130T031500.000Z.surql.gz.sha256',
      'pattern-pattern-20261130T031500.000Z.surql.gz.4242.partial',
      'pattern-pattern-20261201T031500.000Z.surql.gz.sha256',
      'pattern-pattern-20261201T031500.000Z.surql.gz.999.partial',
    ];
    expect(backupLeftovers(names, 'pattern', 'pattern', alive)).toEqual([
      `${B}.999.partial`,
      `${B}.sha256.999.partial`,
      'pattern-pattern-20261201T031500.000Z.surql.gz.999.partial',
      'pattern-pattern-20261129T031500.000Z.surql.gz.sha256',
      // killed between its checksum and its rename: both go
      'pattern-pattern-20261201T031500.000Z.surql.gz.sha256',
    ]);
  });

  it('never count as backups, and an archive gets its name only after its checksum is beside it', async () => {
    const file = path.join(dir, B);
    const written = await writePartialArchive(Readable.from(['OPTION IMPORT;\n']), file, backupHeaderLine({ namespace: 'pattern', database: 'pattern', takenAt: '', source: '' }));
    expect(await fs.readdir(dir)).toEqual([`${B}.${process.pid}.partial`]);
    expect(backupsOf(await fs.readdir(dir), 'pattern', 'pattern')).toEqual([]);
    await publishArchive(written, file);
    expect((await fs.readdir(dir)).sort()).toEqual([B, `${B}.sha256`]);
  });

  it("in the state folder are the plain dumps of backups whose process is gone", async () => {
    for (const name of ['backup-999-1.surql', 'backup-4242-1.surql', 'restore-999-1.surql', 'journal.json']) await fs.writeFile(path.join(dir, name), '');
    expect(await removeDumpLeftovers(dir, alive)).toEqual([path.join(dir, 'backup-999-1.surql')]);
    expect((await fs.readdir(dir)).sort()).toEqual(['backup-4242-1.surql', 'journal.json', 'restore-999-1.surql']);
  });
});
