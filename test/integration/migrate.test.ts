// Whole migrations of a 20,000-message Pattern-shaped store into a real server, through both drivers.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { folderDigest, patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { startTestServer } from '../helpers/surreal.js';

const MESSAGES = 20_000;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function targetCounts(url: string, username: string, password: string, tables: string[]): Promise<Record<string, number>> {
  const http = new SurrealHttp({ url, username, password, namespace: 'pattern', database: 'pattern' });
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [n] = (await http.sql(`RETURN count(SELECT VALUE id FROM \`${table}\`);`)) as number[];
    counts[table] = Number(n);
  }
  return counts;
}

describe.each(['cli', 'sdk'] as const)('migrate --driver %s', (driver) => {
  it(`moves ${MESSAGES} messages into a server, verifies every record and rewrites only [database]`, async () => {
    const folder = await patternFolder(MESSAGES);
    const before = await folderDigest(folder.storePath);
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

    // The target, read independently, holds what the store holds.
    expect(await targetCounts(server.url, server.username, server.password, Object.keys(folder.counts))).toEqual(folder.counts);
    expect(folder.counts.msg).toBe(MESSAGES);

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

    // The live store was never written; the export stays as a backup.
    expect(await folderDigest(folder.storePath)).toBe(before);
    expect((await fs.stat(path.join(folder.dir, 'pattern_export.surql'))).size).toBeGreaterThan(1000);
  }, 600_000);
});
