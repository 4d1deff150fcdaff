// tailFile: the export as `surreal export` writes it, read once, in order, through a rename, to its last byte.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { tailFile } from '../../src/files/tail-file.js';

async function folder(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'pattern-db-tail-'));
}

async function readAll(file: string, finalSize: () => number | undefined, signal = new AbortController().signal): Promise<string> {
  const pieces: Buffer[] = [];
  for await (const piece of tailFile(file, { finalSize, signal, pollMs: 5, readBytes: 7 })) pieces.push(piece);
  return Buffer.concat(pieces).toString('utf8');
}

it('reads what is appended while it is written, through the rename that ends the write, up to the final size', async () => {
  const dir = await folder();
  const partial = path.join(dir, 'export.surql.partial');
  await fs.writeFile(partial, '');
  let size: number | undefined;
  const reading = readAll(partial, () => size);
  let written = '';
  for (let i = 0; i < 20; i += 1) {
    const line = `INSERT [{ id: msg:${i} }];\n`;
    await fs.appendFile(partial, line);
    written += line;
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  await fs.rename(partial, path.join(dir, 'export.surql'));
  size = Buffer.byteLength(written);
  expect(await reading).toBe(written);
});

it('waits for a file not yet created', async () => {
  const dir = await folder();
  const file = path.join(dir, 'later.surql');
  let size: number | undefined;
  const reading = readAll(file, () => size);
  await new Promise((resolve) => setTimeout(resolve, 30));
  await fs.writeFile(file, 'DEFINE TABLE msg;\n');
  size = 18;
  expect(await reading).toBe('DEFINE TABLE msg;\n');
});

it('fails when the file ends short of the size its writer gave, or was never there', async () => {
  const dir = await folder();
  const short = path.join(dir, 'short.surql');
  await fs.writeFile(short, 'DEFINE TABLE msg;\n');
  await expect(readAll(short, () => 100)).rejects.toThrow(/ended after 18 bytes; its writer wrote 100/);
  await expect(readAll(path.join(dir, 'missing.surql'), () => 0)).rejects.toThrow(/ENOENT/);
});

it('stops when aborted, while it waits for more', async () => {
  const dir = await folder();
  const file = path.join(dir, 'growing.surql');
  await fs.writeFile(file, 'x');
  const controller = new AbortController();
  const reading = readAll(file, () => undefined, controller.signal);
  await new Promise((resolve) => setTimeout(resolve, 20));
  controller.abort(new Error('the export failed'));
  await expect(reading).rejects.toThrow(/the export failed/);
});
