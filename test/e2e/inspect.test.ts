// The built pattern-db inspect in a real terminal (tmux): browse a generated store, open a record, try a write in the
// console, quit; the snapshot is gone afterwards and the store untouched. Final screens go to test-output/e2e/.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { folderDigest, patternFolder } from '../helpers/fixture-store.js';
import { binPath, repoRoot } from '../helpers/pattern-db.js';
import { client } from '../helpers/pattern-server.js';
import { startTestServer } from '../helpers/surreal.js';
import { READONLY_USER_PREFIX } from '../../src/surreal/inspect-readonly-user.js';
import { TmuxSession } from './tmux.js';

const screens = path.join(repoRoot, 'test-output', 'e2e');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

it('browses the config\'s store on a terminal, refuses a write in the console, and leaves nothing behind', async () => {
  const folder = await patternFolder(300);
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  const digest = await folderDigest(folder.storePath);
  const session = await TmuxSession.start(`node ${binPath} inspect`, { cwd: folder.dir, columns: 120, rows: 30, env: { XDG_STATE_HOME: folder.dir } });
  cleanups.push(() => session.kill());
  const see = (pattern: RegExp) => session.waitFor(pattern, 15_000);

  // Wide terminal: the tree beside a preview of what the cursor is on.
  await session.waitFor(/pattern\s+29 tables, 862 records/, 60_000);
  await see(/^main\s+Database pattern\/pattern$/m);
  await session.send(['/']);
  await session.type('msg');
  await session.send(['Enter']);
  await see(/Indexes \(2\)/);
  expect(await session.screen()).toMatch(/msg_vector_idx\s+vector \(HNSW\)/);
  await session.send(['Escape']);
  await session.send(['/']);
  await session.type('agent');
  await session.send(['Enter']);
  await session.send(['Enter']);
  await see(/agent › records 1–6 of 6/);
  await session.send(['Enter']);
  await see(/id: agent:/);
  await session.send(['G']); // the end of the record: its edges
  await see(/→ agent_messages:\w+\s+to msg:/);
  await session.save(screens, 'inspect-01-record.txt');

  await session.send(['c']);
  await see(/SurrealQL in pattern\/pattern · read-only/);
  await session.type('DELETE msg');
  await session.send(['C-d']);
  await see(/Refused \(E_READ_ONLY\)/);
  await session.type('SELECT count() FROM msg GROUP ALL');
  await session.send(['C-d']);
  await see(/count\s*\n\s*─+\s*\n\s*300/);
  await session.save(screens, 'inspect-02-console.txt');

  await session.send(['C-c']);
  await see(/\[exit 0\]/);
  // The snapshot is gone, and so are the folders made for it.
  await expect(fs.stat(path.join(folder.dir, '.pattern-db'))).rejects.toThrow();
  expect(await folderDigest(folder.storePath)).toBe(digest);
  const history = await fs.readFile(path.join(folder.dir, 'pattern-db', 'inspect-history.jsonl'), 'utf8');
  expect(history).toContain('SELECT count() FROM msg GROUP ALL');
}, 120_000);

it.each(['SIGTERM', 'SIGHUP'] as const)('interrupted on a terminal (%s), it removes its snapshot and the read-only user it defined, and exits 130', async (signal) => {
  const folder = await patternFolder(30);
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  const server = await startTestServer({ major: 3 });
  cleanups.push(() => server.stop());
  const readOnlyUsers = async () => {
    const [root] = (await client(server).sql('INFO FOR ROOT')) as Array<{ users: Record<string, string> }>;
    return Object.keys(root!.users).filter((name) => name.startsWith(READONLY_USER_PREFIX));
  };
  const env = { XDG_STATE_HOME: folder.dir, SURREAL_PASS: server.password };
  const onStore = await TmuxSession.start(`node ${binPath} inspect`, { cwd: folder.dir, columns: 120, rows: 30, env });
  cleanups.push(() => onStore.kill());
  const onServer = await TmuxSession.start(`node ${binPath} inspect ${server.url} --username ${server.username}`, { cwd: folder.dir, columns: 120, rows: 30, env });
  cleanups.push(() => onServer.kill());
  await onStore.waitFor(/pattern\s+29 tables/, 60_000);
  await onServer.waitFor(/Database pattern\/pattern|namespaces?/i, 60_000);
  // The console's first query defines the read-only user it runs as.
  await onServer.send(['c']);
  await onServer.waitFor(/read-only/, 15_000);
  await onServer.type('RETURN 40 + 2');
  await onServer.send(['C-d']);
  await onServer.waitFor(/\b42\b/, 15_000);
  expect(await readOnlyUsers()).toHaveLength(1);

  await onStore.signal(signal);
  await onServer.signal(signal);
  await onStore.waitFor(/\[exit 130\]/, 30_000);
  await onServer.waitFor(/\[exit 130\]/, 30_000);
  await expect(fs.stat(path.join(folder.dir, '.pattern-db'))).rejects.toThrow();
  expect(await readOnlyUsers()).toEqual([]);
}, 120_000);
