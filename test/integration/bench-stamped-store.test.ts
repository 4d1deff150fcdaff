// `npm run bench -- --stamped`: the generated 3.x store as a surreal 3.1+ leaves it, cached beside the 3.0 store it
// was copied from, which stays as it was.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { benchStore } from '../../bench/bench-store.js';
import { storeFormatOf } from '../../src/surreal/store.js';
import { folderDigest } from '../helpers/fixture-store.js';
import { surrealBin } from '../helpers/surreal.js';
import { tempDir } from '../helpers/temp-folders.js';

const MESSAGES = 20;
let cache: string;
const tmpdir = process.env.TMPDIR;
beforeAll(async () => {
  // The bench caches its stores in the temporary folder: this file's stores go to one of its own.
  cache = await tempDir('pattern-db-bench-cache-');
  process.env.TMPDIR = cache;
});
afterAll(() => {
  if (tmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpdir;
});

it('stamps a copy of the generated 3.0 store into the 3.1+ format, with the same records, and keeps both', async () => {
  const surreal = await surrealBin(3);
  const stamped = await benchStore(3, MESSAGES, { stampWith: surreal });
  expect(stamped.path).toBe(path.join(cache, 'pattern-db-bench', `e3-m${MESSAGES}-s1-stamped`, 'pattern.db'));
  expect((await storeFormatOf(stamped.path)).format).toBe('surrealkv-3.1+');
  expect(await fs.readdir(path.dirname(stamped.path))).toEqual(['counts.json', 'pattern.db']);

  const base = await benchStore(3, MESSAGES);
  expect(base.path).toBe(path.join(cache, 'pattern-db-bench', `e3-m${MESSAGES}-s1`, 'pattern.db'));
  expect((await storeFormatOf(base.path)).format).toBe('surrealkv-3.0');
  expect(stamped.counts).toEqual(base.counts);
  expect(stamped.counts.msg).toBe(MESSAGES);

  // Cached: asked again, neither is made or touched again.
  const before = await folderDigest(stamped.path);
  expect(await benchStore(3, MESSAGES, { stampWith: surreal })).toEqual(stamped);
  expect(await folderDigest(stamped.path)).toBe(before);
}, 300_000);
