// The import sends the records of tables without a full-text index last, while the full-text indexes build beside them
// (core/import-lanes.ts, steps/beside-builds.ts). A run says what it built that way and everything arrives; a run killed
// while those builds go on, whoever began them (the import the export step began, or the import step), finishes with
// --resume: no record twice, and every index there and answering.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { cleanUp } from '../helpers/kill-resume.js';
import { runUntilKilled } from '../helpers/kill-points.js';
import { runPatternDb, type RunResult } from '../helpers/pattern-db.js';
import { client, expectEveryRecordOnce } from '../helpers/pattern-server.js';
import { processesMentioning } from '../helpers/processes.js';
import { freePort, startTestServer, surrealBin, type TestServer } from '../helpers/surreal.js';

const SMALL_CHUNKS = { PATTERN_DB_IMPORT_CHUNK_BYTES: String(64 * 1024) };
type Server = Pick<TestServer, 'url' | 'username' | 'password'>;
/** Where the held-back records wait on disk (files/held-statements-file.ts). */
const heldFileOf = (stateDir: string) => path.join(stateDir, 'import-held-records.jsonl');

const folders: PatternFolder[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await cleanUp(folder);
});

async function folderOf(messages: number, engine: 2 | 3 = 3): Promise<PatternFolder> {
  const folder = await patternFolder(messages, 1, PATTERN_TOML, engine);
  folders.push(folder);
  return folder;
}

/** Every record once, and msg's full-text index answering: a word of a message finds it. */
async function expectArrivedAndSearchable(server: Server, folder: PatternFolder): Promise<void> {
  await expectEveryRecordOnce(server, folder.counts);
  const http = client(server, 'pattern', 'pattern');
  const [texts] = (await http.sql('SELECT VALUE content.Text FROM msg WHERE content.Text != NONE LIMIT 1;')) as string[][];
  const word = /[a-z]{5,}/i.exec(texts![0]!)![0];
  // Without the index, the server refuses `@@` outright.
  const [found] = (await http.sql(`SELECT VALUE id FROM msg WHERE content @@ ${JSON.stringify(word)};`)) as unknown[][];
  expect(found!.length, `messages the full-text index finds for "${word}"`).toBeGreaterThan(0);
}

function besideSaid(run: RunResult): string | undefined {
  return run.events.find((e) => e.type === 'diagnostic' && e.code === 'I_INDEXES_BESIDE')?.message;
}

/** What a run says it built beside the records of every table but msg and mem. */
function builtBesideAll(folder: PatternFolder): string {
  const held = Object.entries(folder.counts).filter(([table]) => !['msg', 'mem'].includes(table)).reduce((sum, [, n]) => sum + n, 0);
  return `Built mem_desc_search on mem, mem_label_search on mem, mem_value_search on mem, msg_content_search on msg while ${held} records of tables without a full-text index went in.`;
}

// A 2.x store goes up by the import step's own reading of the file, which the upgrade repairs first.
it.each([
  ['a 3.x store', 3, []],
  ['a 2.x store (upgrade)', 2, ['--target-version', '3']],
] as const)('%s into a running 3.x server: msg\'s full-text index builds while the records of tables without one go in', async (_name, engine, flags) => {
  const folder = await folderOf(300, engine);
  const server = await startTestServer();
  try {
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, ...SMALL_CHUNKS };
    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url, ...flags], { cwd: folder.dir, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(besideSaid(run)).toBe(builtBesideAll(folder));
    expect(run.result?.verify?.ok).toBe(true);
    await expectArrivedAndSearchable(server, folder);
    await expect(fs.stat(heldFileOf(path.join(folder.dir, '.pattern-db'))), 'the held-back records\' file, once read back').rejects.toThrow(/ENOENT/);
  } finally {
    await server.stop();
  }
}, 120_000);

it('--driver cli builds them beside the held-back records too, each index sent by `surreal import` as every chunk is', async () => {
  const folder = await folderOf(300);
  const server = await startTestServer();
  try {
    // A real surreal that keeps a copy of every file it is given to import (its last argument).
    const imported = path.join(folder.dir, 'imported.surql');
    const logging = path.join(folder.dir, 'logging-surreal');
    await fs.writeFile(logging, `#!/bin/sh\nif [ "$1" = import ]; then for last; do :; done; cat "$last" >> '${imported}'; fi\nexec '${await surrealBin(3)}' "$@"\n`, { mode: 0o755 });
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, SURREAL_BIN: logging, ...SMALL_CHUNKS };
    const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', 'cli', '--target', server.url], { cwd: folder.dir, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(besideSaid(run)).toBe(builtBesideAll(folder));
    expect(run.result?.verify?.ok).toBe(true);
    await expectArrivedAndSearchable(server, folder);
    const sent = await fs.readFile(imported, 'utf8');
    for (const index of ['mem_desc_search', 'mem_label_search', 'mem_value_search', 'mem_vector_idx', 'msg_content_search', 'msg_vector_idx', 'task_vector_idx']) {
      expect(sent.match(new RegExp(`DEFINE INDEX ${index} `, 'g')), `${index} sent by surreal import`).toHaveLength(1);
    }
  } finally {
    await server.stop();
  }
}, 120_000);

/** The indexes a `surreal import` of a beside build defined, with when it began and ended (seconds). */
interface BuildSpan {
  index: string;
  began: number;
  ended: number;
}

/** A real surreal that, for each beside build it imports, waits 0.3 s, imports it, then logs its span to `log`. */
async function spanLoggingSurreal(dir: string): Promise<{ bin: string; spans: () => Promise<BuildSpan[]> }> {
  const bin = path.join(dir, 'span-logging-surreal');
  const log = path.join(dir, 'spans.log');
  const script = [
    '#!/bin/sh',
    'for last; do :; done',
    'case "$last" in *import-beside-index-*) ;; *) exec \'' + await surrealBin(3) + '\' "$@" ;; esac',
    'began=$(date +%s.%N)',
    'sleep 0.3',
    `'${await surrealBin(3)}' "$@" || exit $?`,
    'index=$(grep -o "DEFINE INDEX [a-z_]*" "$last" | cut -d" " -f3)',
    `echo "$index $began $(date +%s.%N)" >> '${log}'`,
  ];
  await fs.writeFile(bin, script.join('\n') + '\n', { mode: 0o755 });
  const spans = async () =>
    (await fs.readFile(log, 'utf8')).trim().split('\n').map((line) => {
      const [index, began, ended] = line.split(' ');
      return { index: index!, began: Number(began), ended: Number(ended) };
    });
  return { bin, spans };
}

it('--driver cli: the full-text builds of different tables go at once, each table\'s one after the other', async () => {
  const folder = await folderOf(300);
  const server = await startTestServer();
  try {
    const surreal = await spanLoggingSurreal(folder.dir);
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, SURREAL_BIN: surreal.bin, ...SMALL_CHUNKS };
    const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', 'cli', '--target', server.url], { cwd: folder.dir, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(besideSaid(run)).toBe(builtBesideAll(folder));
    await expectArrivedAndSearchable(server, folder);
    const spans = await surreal.spans();
    const mem = spans.filter((s) => s.index.startsWith('mem_')).sort((a, b) => a.began - b.began);
    const msg = spans.find((s) => s.index === 'msg_content_search')!;
    expect(mem.map((s) => s.index).sort()).toEqual(['mem_desc_search', 'mem_label_search', 'mem_value_search']);
    for (const [before, after] of mem.slice(1).map((s, i) => [mem[i]!, s] as const)) {
      expect(after.began, `${after.index} began once ${before.index} was built`).toBeGreaterThanOrEqual(before.ended);
    }
    expect(msg.began, 'msg\'s build began before mem\'s were all built').toBeLessThan(mem.at(-1)!.ended);
  } finally {
    await server.stop();
  }
}, 120_000);

it('killed while the import the export step began builds them, --resume finishes with every index', async () => {
  const folder = await folderOf(300);
  const server = await startTestServer();
  const stateDir = path.join(folder.dir, '.pattern-db');
  try {
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, ...SMALL_CHUNKS };
    const args = ['migrate', '--yes', '--json', '--target', server.url];
    const interrupted = await runUntilKilled({ name: 'full-text indexes building beside the held-back records', pause: 'indexes-beside' }, args, { cwd: folder.dir, stateDir, env });
    expect(interrupted.killed).toBe(true);
    // Killed while they went in, the records held back are still set aside on disk, for the owner's eyes only.
    const held = heldFileOf(stateDir);
    expect((await fs.stat(held)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(held, 'utf8')).toContain('agent_messages:');
    const resumed = await runPatternDb([...args, '--resume'], { cwd: folder.dir, env });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.result?.verify?.ok).toBe(true);
    await expectArrivedAndSearchable(server, folder);
    await expect(fs.stat(held), 'the killed run\'s file, once the resumed run read its own back').rejects.toThrow(/ENOENT/);
    expect(await processesMentioning(folder.dir), 'processes left behind').toEqual([]);
  } finally {
    await server.stop();
  }
}, 180_000);

// 3.3.5 takes a DEFINE INDEX sent again under OPTION IMPORT without a word, so only the journal shows the replay's cause.
it('killed while the import step builds them (a server it starts), --resume takes their chunks for replays and finishes', async () => {
  const folder = await folderOf(300);
  const stateDir = path.join(folder.dir, '.pattern-db');
  const port = await freePort();
  const env = { SURREAL_USER: 'root', SURREAL_PASS: 'beside-pass-14', ...SMALL_CHUNKS };
  const args = ['migrate', '--yes', '--json', '--start-server', `surrealkv://${path.join(folder.dir, 'server.db')}`, '--bind', `127.0.0.1:${port}`];
  const interrupted = await runUntilKilled({ name: 'full-text indexes building beside the held-back records', pause: 'indexes-beside' }, args, { cwd: folder.dir, stateDir, env });
  expect(interrupted.killed).toBe(true);
  const journal = JSON.parse(await fs.readFile(path.join(stateDir, 'journal.json'), 'utf8'));
  expect(journal.steps.import?.checkpoint?.indexesBegun, 'journaled before the builds began').toBe(true);
  const resumed = await runPatternDb([...args, '--resume'], { cwd: folder.dir, env });
  expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
  expect(resumed.result?.verify?.ok).toBe(true);
  await expectArrivedAndSearchable({ url: `http://127.0.0.1:${port}`, username: env.SURREAL_USER, password: env.SURREAL_PASS }, folder);
}, 180_000);
