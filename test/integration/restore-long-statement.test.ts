// A backup whose SurrealQL holds a statement that never ends (a few MB of gzip can hold a gigabyte-long line, with a
// valid .sha256 beside it) is refused as it is read: the restore neither holds the line in memory nor writes it out,
// and the server is left alone.
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterAll, expect, it } from 'vitest';
import { databaseExists, rootClient } from '../../src/surreal/server-catalog.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { startTestServer, tempDir } from '../helpers/surreal.js';

const LINE_BYTES = 1_000_000_000;

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** An archive of `OPTION IMPORT;` then a line of LINE_BYTES without a `;`, and its .sha256. */
async function bombArchive(file: string): Promise<void> {
  const piece = Buffer.alloc(1 << 20, 'a');
  async function* text(): AsyncGenerator<Buffer> {
    yield Buffer.from('OPTION IMPORT;\nINSERT INTO note [{ id: note:1, text: "');
    for (let sent = 0; sent < LINE_BYTES; sent += piece.length) yield piece;
  }
  await pipeline(Readable.from(text()), createGzip({ level: 1 }), createWriteStream(file));
  const sha256 = createHash('sha256').update(await fs.readFile(file)).digest('hex');
  await fs.writeFile(`${file}.sha256`, `${sha256}  ${path.basename(file)}\n`);
}

/** The highest resident memory of `pid` so far, in MB (0 once it is gone). */
async function peakMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

it('refuses a statement that runs on past 250 million characters as it reads it, holding and writing far less than the line', async () => {
  const server = await startTestServer();
  cleanups.push(server.stop);
  const work = await tempDir();
  cleanups.push(() => fs.rm(work, { recursive: true, force: true }));
  const file = path.join(work, 'pattern-pattern-bomb.surql.gz');
  await bombArchive(file);
  expect((await fs.stat(file)).size).toBeLessThan(10_000_000);

  let pid = 0;
  let peak = 0;
  const watch = setInterval(() => void peakMb(pid).then((mb) => (peak = Math.max(peak, mb))), 20);
  const run = await runPatternDb(['restore', file, '--target', server.url, '--database', 'bombed', '--json', '--state-dir', path.join(work, 'state')], {
    cwd: work,
    env: { SURREAL_USER: server.username, SURREAL_PASS: server.password },
    onSpawn: (spawned) => (pid = spawned),
  }).finally(() => clearInterval(watch));

  expect(run.exitCode, run.stdout + run.stderr).toBe(1);
  expect(run.result?.error.code).toBe('E_BACKUP_CORRUPT');
  expect(run.result?.error.message).toContain('a statement runs on past 250 million characters without ending, after 1 whole statements');
  expect(peak, 'the restore was watched').toBeGreaterThan(0);
  expect(peak).toBeLessThan(700);
  // The plain copy of what was read is removed with the refusal.
  const left = await fs.readdir(path.join(work, 'state'), { recursive: true }).catch(() => [] as string[]);
  expect(left.filter((name) => String(name).endsWith('.surql'))).toEqual([]);
  expect(await databaseExists(rootClient(server), 'pattern', 'bombed')).toBe(false);
}, 300_000);
