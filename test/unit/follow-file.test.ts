// Reading a file while another writer appends to it, as the import does while `surreal export` writes.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { deferred } from '../../src/core/deferred.js';
import { followFile } from '../../src/files/follow-file.js';
import { tempDir } from '../helpers/surreal.js';

const dir = await tempDir('pattern-db-follow-');
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A file opened for reading, and an appender that writes to it from "another writer". */
async function growingFile(name: string): Promise<{ handle: fs.FileHandle; append: (text: string) => Promise<void> }> {
  const file = path.join(dir, name);
  await fs.writeFile(file, '');
  const handle = await fs.open(file, 'r');
  return { handle, append: (text) => fs.appendFile(file, text) };
}

async function collect(pieces: AsyncIterable<Buffer>): Promise<string> {
  const all: Buffer[] = [];
  for await (const piece of pieces) all.push(piece);
  return Buffer.concat(all).toString('utf8');
}

it('yields what is appended while the writer runs, and everything it wrote once it is done', async () => {
  const { handle, append } = await growingFile('grows');
  let done: () => void = () => undefined;
  const written = new Promise<void>((resolve) => (done = resolve));
  const read = collect(followFile(handle, written, new AbortController().signal));
  const lines = Array.from({ length: 20 }, (_, i) => `INSERT INTO t { id: ${i} }; -- é ✓\n`);
  for (const line of lines) {
    await append(line);
    await pause(5);
  }
  // The last bytes land just before the writer says it is done: they are read all the same.
  await append('-- end\n');
  done();
  expect(await read).toBe(lines.join('') + '-- end\n');
  await handle.close();
});

it('reads a file written in full before it started, in pieces, up to its end', async () => {
  const { handle, append } = await growingFile('whole');
  const text = 'x'.repeat(3 * 1024 * 1024 + 17);
  await append(text);
  const pieces: number[] = [];
  for await (const piece of followFile(handle, Promise.resolve(), new AbortController().signal)) pieces.push(piece.length);
  expect(pieces.reduce((a, b) => a + b, 0)).toBe(text.length);
  expect(pieces.length).toBeGreaterThan(1);
  await handle.close();
});

it('throws the writer\'s failure', async () => {
  const { handle, append } = await growingFile('fails');
  await append('INSERT INTO t { id: 1 };\n');
  let fail: (error: Error) => void = () => undefined;
  const written = new Promise<void>((_, reject) => (fail = reject));
  const read = collect(followFile(handle, written, new AbortController().signal));
  await pause(50);
  fail(new Error('surreal export failed'));
  await expect(read).rejects.toThrow('surreal export failed');
  await handle.close();
});

it('stops waiting for the writer when aborted', async () => {
  const { handle } = await growingFile('aborted');
  const controller = new AbortController();
  const read = collect(followFile(handle, new Promise(() => undefined), controller.signal));
  await pause(50);
  controller.abort(new Error('cancelled'));
  await expect(read).rejects.toThrow('cancelled');
  await handle.close();
});

// Seen in CI: a surreal export that failed cut its file between the size looked at and the read.
it('a file that shrinks under it: the writer\'s failure is thrown if it fails, else that the bytes were missing', async () => {
  for (const outcome of ['fails', 'succeeds'] as const) {
    const { handle, append } = await growingFile(`shrinks-${outcome}`);
    await append('INSERT INTO t { id: 1 };\n');
    const real = handle.stat.bind(handle);
    // Every look after the first finds 100 bytes more than the file holds, as if it had been cut just after.
    let looks = 0;
    vi.spyOn(handle, 'stat').mockImplementation(async () => {
      const stat = await real();
      return (looks++ ? { ...stat, size: stat.size + 100 } : stat) as Awaited<ReturnType<typeof real>>;
    });
    const written = deferred();
    const read = collect(followFile(handle, written.promise, new AbortController().signal));
    read.catch(() => undefined);
    await pause(50);
    if (outcome === 'fails') written.reject(new Error('surreal export failed'));
    else written.resolve();
    await expect(read).rejects.toThrow(outcome === 'fails' ? 'surreal export failed' : '100 bytes announced past byte 25 could not be read.');
    await handle.close();
  }
});
