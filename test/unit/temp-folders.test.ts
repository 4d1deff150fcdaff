import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../helpers/surreal.js';
import { removeMadeFolders } from '../helpers/temp-folders.js';

it("removes the folders the helpers made, with what is in them, and leaves the test's own", async () => {
  const made = await tempDir();
  await fs.mkdir(path.join(made, 'server.db'));
  await fs.writeFile(path.join(made, 'server.db', 'LOCK'), '');
  const own = await fs.mkdtemp(path.join(os.tmpdir(), 'temp-folders-'));
  await removeMadeFolders();
  expect(await fs.stat(made).then(() => 'there', () => 'gone')).toBe('gone');
  expect(await fs.stat(own).then(() => 'there', () => 'gone')).toBe('there');
  await fs.rm(own, { recursive: true });
});
