import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newJournal } from '../../src/core/journal.js';
import { writeJournal } from '../../src/files/journal-file.js';
import { createPrivateFile, makeOwnPrivateDir, makePrivateDir, makeTreePrivate, privateWriteStream, writePrivateFile } from '../../src/files/private-files.js';
import { tempDir } from '../helpers/temp-folders.js';

let dir: string;
let previousUmask: number;
const modeOf = async (p: string) => ((await fs.stat(p)).mode & 0o777).toString(8);

beforeAll(async () => {
  previousUmask = process.umask(0o022);
  dir = await tempDir('pattern-db-modes-');
});

afterAll(async () => {
  process.umask(previousUmask);
  await fs.rm(dir, { recursive: true, force: true });
});

it('creates every missing folder 0700, and leaves a folder that exists as it is unless it is pattern-db\'s own', async () => {
  await makePrivateDir(path.join(dir, 'a', 'b'));
  expect([await modeOf(path.join(dir, 'a')), await modeOf(path.join(dir, 'a', 'b'))]).toEqual(['700', '700']);
  await fs.mkdir(path.join(dir, 'open'), { mode: 0o755 });
  await makePrivateDir(path.join(dir, 'open'));
  expect(await modeOf(path.join(dir, 'open'))).toBe('755');
  await makeOwnPrivateDir(path.join(dir, 'open'));
  expect(await modeOf(path.join(dir, 'open'))).toBe('700');
});

it('creates files 0600 and refuses to reuse an existing one', async () => {
  const file = path.join(dir, 'export.surql');
  await createPrivateFile(file);
  expect(await modeOf(file)).toBe('600');
  await expect(createPrivateFile(file)).rejects.toMatchObject({ code: 'EEXIST' });
  const streamed = path.join(dir, 'dump.surql');
  const out = privateWriteStream(streamed);
  await new Promise<void>((resolve, reject) => out.end('data', () => resolve()).once('error', reject));
  expect(await modeOf(streamed)).toBe('600');
});

it('makes a copied tree 0700/0600', async () => {
  const tree = path.join(dir, 'copy');
  await fs.mkdir(path.join(tree, 'sstables'), { recursive: true, mode: 0o755 });
  await fs.writeFile(path.join(tree, 'sstables', '1.sst'), 'x', { mode: 0o644 });
  await makeTreePrivate(tree);
  expect([await modeOf(tree), await modeOf(path.join(tree, 'sstables')), await modeOf(path.join(tree, 'sstables', '1.sst'))]).toEqual(['700', '700', '600']);
});

describe.each([
  ['journal.json', (stateDir: string) => writeJournal(stateDir, newJournal({ command: 'migrate' }))],
  ['a private file', (stateDir: string) => writePrivateFile(path.join(stateDir, 'journal.json'), '{}\n')],
])('%s, replaced through a temporary beside it', (_name, write) => {
  it('writes through no link planted at the temporary name, and leaves the linked file as it was', async () => {
    const stateDir = await makeOwnState('planted');
    const victim = path.join(dir, 'victim-of-planted.txt');
    await fs.writeFile(victim, 'not yours\n', { mode: 0o644 });
    await fs.symlink(victim, `${path.join(stateDir, 'journal.json')}.${process.pid}.tmp`);
    await write(stateDir);
    expect(await fs.readFile(victim, 'utf8')).toBe('not yours\n');
    expect((await fs.lstat(path.join(stateDir, 'journal.json'))).isFile()).toBe(true);
    expect(await modeOf(path.join(stateDir, 'journal.json'))).toBe('600');
  });

  it('is 0600 even where a leftover readable by others had its temporary name', async () => {
    const stateDir = await makeOwnState('leftover');
    await fs.writeFile(`${path.join(stateDir, 'journal.json')}.${process.pid}.tmp`, 'half of an older one', { mode: 0o644 });
    await write(stateDir);
    expect(await modeOf(path.join(stateDir, 'journal.json'))).toBe('600');
    expect(await fs.readdir(stateDir)).toEqual(['journal.json']);
  });
});

let states = 0;
async function makeOwnState(name: string): Promise<string> {
  const stateDir = path.join(dir, `state-${name}-${(states += 1)}`);
  await makeOwnPrivateDir(stateDir);
  return stateDir;
}
