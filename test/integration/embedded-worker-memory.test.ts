// The embedded engine's process is kept small (surreal/embedded.ts): V8's young generation is half its default size,
// glibc keeps fewer arenas and gives big buffers back, and the block cache is small. A value the user set wins.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { EmbeddedStore } from '../../src/surreal/embedded.js';
import { engineWorkersOf } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-folders.js';

const selection = { namespace: 'pattern', database: 'pattern' };
const userArenas = process.env.MALLOC_ARENA_MAX;

afterEach(() => {
  if (userArenas === undefined) delete process.env.MALLOC_ARENA_MAX;
  else process.env.MALLOC_ARENA_MAX = userArenas;
});

async function workerSettings(): Promise<{ args: string[]; env: Record<string, string> }> {
  const workers = await engineWorkersOf();
  expect(workers).toHaveLength(1);
  const read = (file: string) => fs.readFile(`/proc/${workers[0]}/${file}`, 'utf8').then((text) => text.split('\0').filter(Boolean));
  const env = Object.fromEntries((await read('environ')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  return { args: await read('cmdline'), env };
}

it('the engine runs in a process set to stay small', async () => {
  delete process.env.MALLOC_ARENA_MAX;
  const store = await EmbeddedStore.open(path.join(await tempDir(), 'store'), selection);
  try {
    const { args, env } = await workerSettings();
    expect(args.slice(0, args.findIndex((arg) => arg.endsWith('embedded-worker.js')))).toContain('--max-semi-space-size=8');
    expect(env).toMatchObject({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', SURREAL_SURREALKV_BLOCK_CACHE_CAPACITY: String(16 * 1024 * 1024) });
    expect(await store.query('RETURN 1')).toEqual([1]);
  } finally {
    store.close();
  }
});

it('a setting the user gave the environment is the one the engine gets', async () => {
  process.env.MALLOC_ARENA_MAX = '4';
  const store = await EmbeddedStore.open(path.join(await tempDir(), 'store'), selection);
  try {
    expect((await workerSettings()).env.MALLOC_ARENA_MAX).toBe('4');
  } finally {
    store.close();
  }
});
