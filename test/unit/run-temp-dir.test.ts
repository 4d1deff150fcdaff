import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { useRunTempDir } from '../helpers/run-temp-dir.js';

it('points TMPDIR at a folder of the run and removes it, with whatever was left in it, at the end', async () => {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'run-temp-'));
  const before = process.env.TMPDIR;
  const end = await useRunTempDir(base);
  try {
    expect(os.tmpdir()).toBe(path.join(base, `pdbt-${process.pid}`));
    const left = await fs.mkdtemp(path.join(os.tmpdir(), 'pattern-db-test-'));
    await fs.writeFile(path.join(left, 'pattern.toml'), '[database]\n');
  } finally {
    await end();
  }
  expect(process.env.TMPDIR).toBe(before);
  expect(await fs.readdir(base)).toEqual([]);
  await fs.rm(base, { recursive: true });
});

it("removes the folder of a run killed before its end, and leaves a running run's and a folder that is not a run's", async () => {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'run-temp-'));
  const gone = spawnSync('true').pid!;
  const run = async (pid: number, marked: boolean) => {
    const dir = path.join(base, `pdbt-${pid}`);
    await fs.mkdir(path.join(dir, 'pattern-db-test-abc'), { recursive: true });
    if (marked) await fs.writeFile(path.join(dir, '.pattern-db-test-run'), `${pid}\n`);
    return `pdbt-${pid}`;
  };
  await run(gone, true);
  const running = await run(process.ppid, true);
  const someoneElses = await run(gone + 1_000_000, false);
  const end = await useRunTempDir(base);
  try {
    expect((await fs.readdir(base)).sort()).toEqual([`pdbt-${process.pid}`, running, someoneElses].sort());
  } finally {
    await end();
  }
  await fs.rm(base, { recursive: true });
});
