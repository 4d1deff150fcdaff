import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrivateFile, makeOwnPrivateDir, makePrivateDir, makeTreePrivate, privateWriteStream } from '../../src/files/private-files.js';
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
