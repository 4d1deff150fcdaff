// Whole migrations of a 20,000-message Pattern-shaped store into a real server, through both drivers, each proven
// by the program's verify and by the test's own read of every record on both sides.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { everyRecord, storeRecords } from '../helpers/every-record.js';
import { folderDigest, patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { startTestServer } from '../helpers/surreal.js';

const MESSAGES = 20_000;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe.each(['cli', 'sdk'] as const)('migrate --driver %s', (driver) => {
  it(`moves ${MESSAGES} messages into a server, verifies every record and rewrites only [database]`, async () => {
    const folder = await patternFolder(MESSAGES);
    const before = await folderDigest(folder.storePath);
    const tables = Object.keys(folder.counts);
    const source = await storeRecords(folder.storePath, tables, 3);
    const server = await startTestServer();
    cleanups.push(server.stop);

    const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', driver, '--target', server.url], {
      cwd: folder.dir,
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password },
    });

    expect(run.stderr).not.toContain(server.password);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.result?.ok).toBe(true);
    expect(run.result?.verify?.ok).toBe(true);
    expect(run.result?.export?.driver).toBe(driver);

    // The target, read by the test itself, holds every record of the store, value for value.
    expect(Object.fromEntries(Object.entries(source).map(([table, rows]) => [table, rows.length]))).toEqual(folder.counts);
    expect(folder.counts.msg).toBe(MESSAGES);
    const target = new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' });
    expect(await everyRecord(target, tables)).toEqual(source);

    // Only [database] changed, as Pattern reads it; everything else is byte for byte the same.
    const rewritten = await fs.readFile(folder.configPath, 'utf8');
    const database = parse(rewritten).database as Record<string, unknown>;
    expect(database).toMatchObject({ type: 'remote', url: server.url.replace('http://', 'ws://'), namespace: 'pattern', database: 'pattern' });
    expect(rewritten).not.toContain(server.password);
    const untouched = (text: string) => text.split('[database]')[0];
    expect(untouched(rewritten)).toBe(untouched(PATTERN_TOML));
    expect(rewritten.split('[[groups]]')[1]).toBe(PATTERN_TOML.split('[[groups]]')[1]);
    const backup = run.result?.config?.backupPath as string;
    expect(await fs.readFile(backup, 'utf8')).toBe(PATTERN_TOML);

    // The preflight copied the store without reading it; the export counted it with a reader of its own, beside the
    // export, and the file holds exactly that. The journal's checksum, taken as the file was written, is the file's.
    expect(run.result?.preflight?.sourceCounts).toBeUndefined();
    expect(run.result?.export?.census?.counts).toEqual(folder.counts);
    expect(run.result?.export?.recordsByTable).toEqual(Object.fromEntries(Object.entries(folder.counts).filter(([, n]) => n > 0)));
    expect(run.events.find((e) => e.code === 'I_SOURCE')?.step).toBe('export');
    // The export's progress counts up to the store's records and never past them.
    const exportDone = run.events.filter((e) => e.type === 'progress' && e.step === 'export').map((e) => [e.done as number, e.total as number | undefined] as const);
    const records = Object.values(folder.counts).reduce((a, b) => a + b, 0);
    expect(exportDone.map(([done]) => done)).toEqual(exportDone.map(([done]) => done).sort((a, b) => a - b));
    expect(exportDone.filter(([done, total]) => total !== undefined && done > total)).toEqual([]);
    expect(exportDone.at(-1)).toEqual([records, records]);
    const exportFile = path.join(folder.dir, 'pattern_export.surql');
    const sha256 = createHash('sha256').update(await fs.readFile(exportFile)).digest('hex');
    expect(run.result?.export?.sha256).toBe(sha256);
    const journal = JSON.parse(await fs.readFile(path.join(folder.dir, '.pattern-db', 'journal.json'), 'utf8'));
    expect(journal.steps.export.artifacts).toEqual([{ path: exportFile, sha256, bytes: (await fs.stat(exportFile)).size }]);

    // The live store was never written; the export stays as a backup.
    expect(await folderDigest(folder.storePath)).toBe(before);
    expect((await fs.stat(path.join(folder.dir, 'pattern_export.surql'))).size).toBeGreaterThan(1000);
  }, 600_000);
});
