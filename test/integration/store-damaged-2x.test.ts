// A SurrealDB 2 store whose log is damaged: surrealkv 0.9 keeps what comes before the damage and drops the rest of
// the segment when it opens the store, saying so only on stderr. pattern-db sees it on its copy and says so, instead of
// moving part of the store and calling it verified.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WizardController } from '../../src/commands/wizard-controller.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { servePrivately } from '../../src/surreal/private-server.js';
import { folderDigest, interactiveOptions, patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb } from '../helpers/pattern-db.js';
import { freePort, startTestServer, surrealBin, tempDir } from '../helpers/surreal.js';
import { countingSurreal } from '../helpers/counting-surreal.js';
import { flipByteHalfway, snapshotsLeftIn } from '../helpers/store-damage.js';
import { seedPatternDatabase } from '../helpers/pattern-server.js';
import { driveWizard, existingServerAnswers } from '../helpers/wizard-drive.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function clogFile(folder: PatternFolder): Promise<string> {
  const clog = path.join(folder.storePath, 'clog');
  const [first] = (await fs.readdir(clog)).filter((name) => name.endsWith('.clog')).sort();
  return path.join(clog, first!);
}

/** A crash that cut the last write short: the log's last bytes are missing. */
async function cutShort(folder: PatternFolder, bytes: number): Promise<void> {
  const file = await clogFile(folder);
  await fs.truncate(file, (await fs.stat(file)).size - bytes);
}

describe('a SurrealDB 2 store whose log is damaged', () => {
  it('a write cut short: migrate stops before anything reaches the server, then moves what SurrealDB 2 reads with --resume --skip-check E_STORE_DAMAGED, and says so', async () => {
    const folder = await patternFolder(30, 1, PATTERN_TOML, 2);
    await cutShort(folder, 40);
    const digest = await folderDigest(folder.storePath);
    const server = await startTestServer({ major: 3 });
    cleanups.push(server.stop);
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password };

    const stopped = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, env });
    expect(stopped.exitCode).toBe(1);
    expect(errorsOf(stopped)).toEqual(['E_STORE_DAMAGED']);
    const error = stopped.result?.error as { message: string; evidence: string; fix: string };
    expect(error.message).toMatch(/^SurrealDB 2 found the log of .*pattern\.db damaged \(clog\/0{20}\.clog\) and read it only up to the damage, dropping everything from byte \d+ of that segment on: about \d+ bytes \(\d+(\.\d)?% of that segment\)/);
    expect(error.evidence).toMatch(/^Corruption error: .*\nRepairing corrupted segment with id: 0 and offset: \d+$/);
    expect(error.fix).toContain('The store itself was not changed');
    expect(error.fix).toContain('run the same command again with --resume --skip-check E_STORE_DAMAGED');
    const target = new SurrealHttp({ url: server.url, username: server.username, password: server.password });
    expect(await target.sql('INFO FOR ROOT;')).toMatchObject([{ namespaces: {} }]);
    expect(await fs.readFile(folder.configPath, 'utf8')).toBe(PATTERN_TOML);
    expect(await snapshotsLeftIn(folder.dir)).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(digest);

    const moved = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url, '--resume', '--skip-check', 'E_STORE_DAMAGED'], { cwd: folder.dir, env });
    expect(moved.exitCode, moved.stdout + moved.stderr).toBe(0);
    expect(moved.events.find((e) => e.code === 'W_CHECK_SKIPPED')?.message).toMatch(/^Skipped at your request: SurrealDB 2 found the log of .* damaged/);
    expect(moved.result?.verify).toMatchObject({ ok: true, readUpToDamage: expect.stringMatching(/^what SurrealDB 2 read of the store, up to the damage in its log: about \d+ bytes/) });
    expect(moved.events.find((e) => e.code === 'I_VERIFIED')?.message).toContain('identical to what SurrealDB 2 read of the store, up to the damage in its log');
    expect(await folderDigest(folder.storePath)).toBe(digest);
  }, 300_000);

  it('a store with root users of its own, served again without them: the damage the first open repaired is still named', async () => {
    const dir = await tempDir('pattern-db-damaged-2x-');
    const storePath = path.join(dir, 'pattern.db');
    const writer = await startTestServer({ major: 2, storage: `surrealkv://${storePath}` });
    try {
      const records = Array.from({ length: 50 }, (_, n) => `CREATE msg:${n} SET text = 'message ${n}';`).join('\n');
      await new SurrealHttp({ url: writer.url, username: writer.username, password: writer.password, namespace: 'pattern', database: 'pattern' }).sql(records);
    } finally {
      await writer.stop();
    }
    await fs.writeFile(path.join(dir, 'pattern.toml'), PATTERN_TOML);
    const folder: PatternFolder = { dir, configPath: path.join(dir, 'pattern.toml'), storePath, counts: {} };
    await cutShort(folder, 40);

    const doctor = await runPatternDb(['doctor', '--json'], { cwd: dir });
    const counts = doctor.events.find((e) => e.type === 'check' && e.id === 'schema.counts')!;
    expect(counts, JSON.stringify(doctor.events.filter((e) => e.type === 'check'))).toMatchObject({ status: 'fail', code: 'E_STORE_DAMAGED' });
    expect(counts.message).toMatch(/about \d+ bytes/);
    expect(await snapshotsLeftIn(folder.dir)).toEqual([]);
  }, 300_000);

  it('the wizard offers to go past it; the run then says what it moved and verified', async () => {
    const folder = await patternFolder(30, 1, PATTERN_TOML, 2);
    await cutShort(folder, 40);
    const server = await startTestServer({ major: 2 });
    cleanups.push(server.stop);
    const controller = new WizardController(interactiveOptions(folder));
    const driven = driveWizard(controller, { ...existingServerAnswers(server), 'prerequisites.skip': ['skip'] });

    expect(await controller.run()).toBe(0);
    expect(driven.asked[0]?.id).toBe('prerequisites.skip');
    expect(driven.diagnostics.map((d) => d.code)).toContain('W_CHECK_SKIPPED');
    expect(driven.diagnostics.find((d) => d.code === 'I_VERIFIED')?.message).toContain('identical to what SurrealDB 2 read of the store, up to the damage in its log: about');
  }, 600_000);

  it('damage in a segment before the last, which SurrealDB 2 does not repair: migrate and doctor name it, and doctor opens the store once', async () => {
    const dir = await tempDir('pattern-db-damaged-2x-');
    const storePath = path.join(dir, 'pattern.db');
    // Segments of 4 KB: a store of several segments without writing hundreds of megabytes.
    const writer = await servePrivately({ bin: await surrealBin(2), folder: storePath, auth: 'none', keepValuesRead: true, env: { SURREAL_SURREALKV_MAX_SEGMENT_SIZE: '4096' } });
    try {
      const records = Array.from({ length: 40 }, (_, n) => `CREATE msg:${n} SET text = '${'message '.repeat(30)}${n}';`).join('\n');
      await writer.client({ namespace: 'pattern', database: 'pattern' }).sql(records);
    } finally {
      await writer.stop();
    }
    await fs.writeFile(path.join(dir, 'pattern.toml'), PATTERN_TOML);
    const folder: PatternFolder = { dir, configPath: path.join(dir, 'pattern.toml'), storePath, counts: {} };
    expect((await fs.readdir(path.join(storePath, 'clog'))).length).toBeGreaterThan(2);
    await flipByteHalfway(await clogFile(folder));
    const digest = await folderDigest(storePath);

    const migrate = await runPatternDb(['migrate', '--yes', '--json', '--start-server', 'memory', '--bind', `127.0.0.1:${await freePort()}`], { cwd: dir, env: { SURREAL_USER: 'root', SURREAL_PASS: 'damaged-pass-1' } });
    expect(errorsOf(migrate)).toEqual(['E_STORE_DAMAGED']);
    expect(migrate.result?.error.message).toMatch(/^SurrealDB 2 found the log of the store damaged at byte \d+ of clog\/0{20}\.clog, a segment before its last \(clog\/0{18}\d\d\.clog\), which it does not repair: it cannot open the store/);
    expect(migrate.result?.error.evidence).toMatch(/Mismatched segment ID: expected=\d+, found=0$/);

    const counting = await countingSurreal(await surrealBin(2));
    const doctor = await runPatternDb(['doctor', '--json'], { cwd: dir, env: { SURREAL2_BIN: counting.bin } });
    const schema = doctor.events.filter((e) => e.type === 'check' && e.group === 'schema');
    expect(schema.map((c) => [c.id, c.status, c.code])).toEqual([
      ['schema.metadata', 'fail', 'E_STORE_DAMAGED'],
      ['schema.tables', 'skip', 'S_SKIPPED'],
      ['schema.indexes', 'skip', 'S_SKIPPED'],
      ['schema.counts', 'skip', 'S_SKIPPED'],
    ]);
    expect(schema[1]?.message).toBe('the store cannot be read');
    expect((await counting.commands()).filter((c) => c === 'start')).toHaveLength(1);

    // Checked against a server with the store beside it, the counts are not passed on the server's alone.
    const server = await startTestServer({ major: 3 });
    cleanups.push(server.stop);
    await seedPatternDatabase(server, 'pattern', 'pattern', 10);
    const beside = await runPatternDb(['doctor', '--json', '--target', server.url], { cwd: dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    const counts = beside.events.find((e) => e.type === 'check' && e.id === 'schema.counts')!;
    expect(counts).toMatchObject({ status: 'fail', code: 'E_STORE_DAMAGED' });
    expect(counts.evidence[0]).toBe("records on the server (the store's could not be read to compare them):");
    expect(await snapshotsLeftIn(folder.dir)).toEqual([]);
    expect(await folderDigest(storePath)).toBe(digest);
  }, 300_000);

  it('one byte changed halfway: doctor fails the record counts with what survived, inspect warns, backup writes nothing', async () => {
    const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
    const size = await flipByteHalfway(await clogFile(folder));
    const digest = await folderDigest(folder.storePath);

    const doctor = await runPatternDb(['doctor', '--json'], { cwd: folder.dir });
    expect(doctor.exitCode).toBe(1);
    const counts = doctor.events.find((e) => e.type === 'check' && e.id === 'schema.counts')!;
    expect(counts).toMatchObject({ status: 'fail', code: 'E_STORE_DAMAGED' });
    const dropped = /dropping everything from byte (\d+) of that segment on: about ([\d.]+) MB/.exec(counts.message as string);
    expect(dropped, counts.message as string).not.toBeNull();
    expect(Number(dropped![1])).toBeLessThan(size / 2 + 1);
    expect(counts.evidence[0]).toBe('records read up to the damage:');
    const messages = Number(/^msg\s+(\d+)$/m.exec((counts.evidence as string[]).join('\n'))?.[1]);
    expect(messages).toBeGreaterThan(0);
    expect(messages).toBeLessThan(folder.counts.msg!);

    const inspect = await runPatternDb(['inspect', '--json'], { cwd: folder.dir });
    expect(inspect.exitCode, inspect.stderr).toBe(0);
    expect(inspect.result?.source.damaged).toMatch(/^SurrealDB 2 found the log of .* damaged/);
    const plain = await runPatternDb(['inspect'], { cwd: folder.dir });
    expect(plain.stdout.split('\n')[1]).toMatch(/^warning: SurrealDB 2 found the log of .* damaged/);

    const backup = await runPatternDb(['backup', '--source', folder.storePath, '--dir', 'backups', '--json'], { cwd: folder.dir });
    expect(backup.exitCode).toBe(1);
    expect(errorsOf(backup)).toEqual(['E_STORE_DAMAGED']);
    expect(backup.result?.error.fix).toContain('No backup was written');
    expect(await fs.readdir(path.join(folder.dir, 'backups')).catch(() => [])).toEqual([]);

    expect(await snapshotsLeftIn(folder.dir)).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(digest);
  }, 300_000);
});
