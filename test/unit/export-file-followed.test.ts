// The import follows an export file from the moment it exists (steps/import-ahead.ts), cutting its chunks while the
// file is written: both writers of a served export say when the file is there, before its first byte, and one that
// cannot be followed writes nothing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { repairExport } from '../../src/files/repair-export.js';
import { upgradeRepairer } from '../../src/core/statement-repairs.js';
import { writeAsItIs } from '../../src/surreal/source-store.js';
import { tempDir } from '../helpers/temp-folders.js';

const dir = await tempDir('pattern-db-followed-');
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const DUMP = ['OPTION IMPORT;\n', 'DEFINE TABLE msg TYPE ANY SCHEMALESS;\n', "INSERT [ { id: msg:1, text: 'a' } ];\n"];

type Write = (dump: Readable, file: string, onCreated: () => Promise<void>) => Promise<unknown>;
const WRITERS: Array<[string, Write]> = [
  ['repaired as it arrives', (dump, file, onCreated) => repairExport(dump, file, upgradeRepairer(), { onCreated })],
  ['kept as it is', (dump, file, onCreated) => writeAsItIs(dump, file, onCreated)],
];

/** The file as `onCreated` found it: its size and mode. */
async function seenAt(file: string): Promise<{ size: number; mode: number }> {
  const { size, mode } = await fs.stat(file);
  return { size, mode: mode & 0o777 };
}

it.each(WRITERS)('an export %s is there to follow, empty and private, before its first byte is written', async (way, write) => {
  const file = path.join(dir, `${way.replace(/ /g, '-')}.surql`);
  const seen: Array<{ size: number; mode: number }> = [];
  await write(Readable.from(DUMP), file, async () => void seen.push(await seenAt(file)));
  expect(seen).toEqual([{ size: 0, mode: 0o600 }]);
  expect(await fs.readFile(file, 'utf8')).toBe(DUMP.join(''));
});

it.each(WRITERS)('an export %s that cannot be followed fails with that error and writes nothing', async (way, write) => {
  const file = path.join(dir, `unfollowed-${way.replace(/ /g, '-')}.surql`);
  const dump = Readable.from(DUMP);
  await expect(write(dump, file, () => Promise.reject(new Error('no reader')))).rejects.toThrow('no reader');
  expect(await seenAt(file)).toEqual({ size: 0, mode: 0o600 });
});
