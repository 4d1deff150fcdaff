// `migrate` compares the records while the server builds the indexes (steps/verify-ahead.ts). What it proves is what
// the server holds once every record is in: a record changed, one missing and one extra at that moment are named, and
// an index that then fails to build fails the run. Either way the config is left alone and nothing the comparison
// started (the embedded engine's worker on the snapshot) is left running.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { isRetryableConflict } from '../../src/core/import-chunks.js';
import { pauseMarker, PAUSE_ENV } from '../../src/core/pause-point.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { runPatternDb, type RunResult } from '../helpers/pattern-db.js';
import { processesMentioning } from '../helpers/processes.js';
import { startTestServer, type TestServer } from '../helpers/surreal.js';

/** What reads the source for the comparison: the embedded engine's worker, or (2.x) a private server on the snapshot. */
const sourceReaders = (folder: PatternFolder, engine: 2 | 3) => (engine === 2 ? processesMentioning(path.join(folder.dir, '.pattern-db')) : processesMentioning('embedded-worker.js'));

/** `migrate`, paused once every record is in; `meanwhile` changes the server, then the run goes on. */
async function migrateChangedWhileIndexing(folder: PatternFolder, engine: 2 | 3, server: TestServer, meanwhile: (http: SurrealHttp) => Promise<void>, flags: readonly string[] = []): Promise<RunResult> {
  const stateDir = path.join(folder.dir, '.pattern-db');
  const marker = path.join(stateDir, pauseMarker('records-in'));
  const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, [PAUSE_ENV]: 'records-in' };
  // The readers of the snapshot while the export runs: its census's.
  const duringExport = new Set<number>();
  let exporting = false;
  const watchExport = async () => {
    while (exporting) {
      for (const pid of await sourceReaders(folder, engine)) duringExport.add(pid);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const running = runPatternDb(['migrate', '--yes', '--json', '--target', server.url, ...flags], {
    cwd: folder.dir,
    env,
    onEvent: (event) => {
      if (event.type !== 'status' || event.step !== 'export') return;
      exporting = event.state === 'running';
      if (exporting) void watchExport();
    },
  });
  for (;;) {
    if (await fs.stat(marker).then(() => true, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const readers = await sourceReaders(folder, engine);
  try {
    await meanwhile(new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' }));
  } finally {
    await fs.rm(marker);
  }
  const run = await running;
  expect(readers, 'the source is already open for the comparison').not.toEqual([]);
  // A 3.0 store is exported from a throwaway copy, so the census's reader of the snapshot stays open for the
  // comparison: the snapshot is opened once. A 2.x export reads the snapshot itself, so its census closed before.
  if (engine === 3) expect(readers.every((pid) => duringExport.has(pid)), `readers then ${readers}, during the export ${[...duringExport]}`).toBe(true);
  expect(await sourceReaders(folder, engine), 'the source reader left running').toEqual([]);
  expect(await fs.readFile(folder.configPath, 'utf8'), 'the config, left alone').toBe(PATTERN_TOML);
  return run;
}

/** Sends `change` again while the server refuses it with a conflict it calls retryable (an index build read the rows). */
async function retryingConflicts(change: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await change();
      return;
    } catch (error) {
      if (attempt >= 20 || !isRetryableConflict(String((error as Error).message))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

it.each([
  { route: '3.x → 3.x (by hash)', engine: 3 as const, flags: [] },
  // The in-process export's import reads the source's digests only from this moment on.
  { route: '3.x → 3.x, exported in-process (by hash)', engine: 3 as const, flags: ['--driver', 'sdk'] },
  { route: '2.x → 3.x (by value)', engine: 2 as const, flags: [] },
])('$route: names a record changed, one missing and one extra on the server once every record is in, as the indexes build', async ({ engine, flags }) => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, engine);
  const server = await startTestServer();
  try {
    let ids: string[] = [];
    const run = await migrateChangedWhileIndexing(folder, engine, server, async (http) => {
      ids = (await http.sql('SELECT VALUE <string> id FROM msg ORDER BY id LIMIT 2;'))[0] as string[];
      const [changed, missing] = ids as [string, string];
      // One transaction: msg's full-text index is building, and the server may refuse it as a retryable conflict.
      await retryingConflicts(() =>
        http.sql(`BEGIN TRANSACTION;
          CREATE msg:ahead_extra CONTENT (SELECT * OMIT id FROM ONLY ${missing});
          UPDATE ${changed} SET word_count += 1;
          DELETE ${missing};
          COMMIT TRANSACTION;`),
      );
    }, flags);
    expect(run.exitCode, run.stdout + run.stderr).toBe(3);
    expect(run.result?.error?.code).toBe('E_VERIFY_MISMATCH');
    const evidence = String(run.result?.error?.evidence);
    expect(evidence).toMatch(/^msg: 1 missing, 1 extra, 1 changed/m);
    for (const id of [...ids, 'msg:ahead_extra']) expect(evidence).toContain(id);
    const lateLine = run.events.find((e) => e.type === 'log' && /could not be compared during the import/.test(String(e.line)));
    expect(lateLine, 'compared during the import, not again after it').toBeUndefined();
    const imported = run.events.findIndex((e) => e.type === 'status' && e.step === 'import' && e.state === 'done');
    expect(imported, 'the import finished: every index was built').toBeGreaterThanOrEqual(0);
  } finally {
    await server.stop();
  }
});

it('fails the run when an index cannot be built on what the server holds, and keeps the config', async () => {
  const folder = await patternFolder(300);
  const server = await startTestServer();
  try {
    // The HNSW index on msg.embedding takes vectors of 1536 dimensions only.
    const run = await migrateChangedWhileIndexing(folder, 3, server, async (http) => {
      const [first] = (await http.sql('SELECT VALUE <string> id FROM msg ORDER BY id LIMIT 1;'))[0] as string[];
      await http.sql(`CREATE msg:short_vector CONTENT (SELECT * OMIT id FROM ONLY ${first}); UPDATE msg:short_vector SET embedding = [0.5, 0.25, 0.125];`);
    });
    expect(run.exitCode, run.stdout + run.stderr).not.toBe(0);
    expect(run.result?.failedStep).toBe('import');
    expect(run.result?.error?.code).toBe('E_STATEMENT');
    expect(String(run.result?.error?.evidence)).toMatch(/dimension/i);
    expect(run.events.some((e) => e.type === 'status' && e.step === 'verify'), 'no verification reported').toBe(false);
  } finally {
    await server.stop();
  }
});
