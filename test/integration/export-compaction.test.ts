// A SurrealDB 3.0 store whose tables a surreal 3.1+ would compact as it opens them (several times those tables held in
// memory while it exports): exported in-process by default, and by surreal with a warning under --driver cli.
import { afterAll, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { everyRecord, storeRecords } from '../helpers/every-record.js';
import { folderDigest, patternFolder } from '../helpers/fixture-store.js';
import { dueLevel0Compaction } from '../helpers/level0-tables.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { startTestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

it.each([
  ['auto', 'in-process', 'I_EXPORT_IN_PROCESS', [], 'sdk'],
  ['cli', 'by surreal export', 'W_EXPORT_COMPACTION', ['--driver', 'cli'], 'cli'],
] as const)('a 3.0 store due a compaction, --driver %s: exported %s, said (%s), every record arrives, the store untouched', async (_driver, _how, code, flags, exporter) => {
  const folder = await patternFolder(30);
  const source = await storeRecords(folder.storePath, Object.keys(folder.counts), 3);
  await dueLevel0Compaction(folder.storePath);
  const before = await folderDigest(folder.storePath);
  const server = await startTestServer({ major: 3 });
  cleanups.push(server.stop);

  const run = await runPatternDb(['migrate', '--yes', '--json', ...flags, '--target', server.url], {
    cwd: folder.dir,
    env: { SURREAL_USER: server.username, SURREAL_PASS: server.password },
  });

  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect(run.result?.export?.driver).toBe(exporter);
  const said = run.events.filter((e) => ['I_EXPORT_IN_PROCESS', 'W_EXPORT_COMPACTION'].includes(e.code));
  expect(said.map((e) => e.code)).toEqual([code]);
  expect(said[0]!.message).toMatch(/level 0 of tables \(.+\) is due a compaction, which surreal 3\.\d+\.\d+ runs as it exports, holding several times .+ in memory$/);
  expect(run.result?.verify).toMatchObject({ ok: true });
  const target = new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' });
  expect(await everyRecord(target, Object.keys(folder.counts))).toEqual(source);
  expect(await folderDigest(folder.storePath)).toBe(before);
}, 300_000);
