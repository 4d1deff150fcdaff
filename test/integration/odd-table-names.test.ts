// A table whose name holds \, ⟩ and a backtick is moved and proven like any other, from a store of either major:
// the census, the export's checks and the verification name it with core/surql-ident's backticks. (With the SDK's
// ⟨…⟩ the census read `a\b` as "a", backspace, and the 3.x run stopped with E_INTERNAL, the 2.x one with E_EXPORT.)
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ident } from '../../src/core/surql-ident.js';
import { EmbeddedStore } from '../../src/surreal/embedded.js';
import { stopManagedServer } from '../../src/surreal/server.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { client } from '../helpers/pattern-server.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/surreal.js';

const TABLE = 'a\\b⟩`c';
const RECORDS = 1200;
const WRITE = `FOR $i IN 0..${RECORDS} { CREATE ${ident(TABLE)}:[$i] SET v = $i, note = 'row ' + <string> $i }; CREATE note:1 SET v = 1;`;
const CONFIG = '[user]\nid = "odd"\n[database]\ntype = "embedded"\npath = "./pattern.db"\n';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function folderWith(write: (storePath: string) => Promise<void>): Promise<string> {
  const dir = await tempDir();
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, 'pattern.toml'), CONFIG);
  await write(path.join(dir, 'pattern.db'));
  return dir;
}

async function writtenBy3(storePath: string): Promise<void> {
  const store = await EmbeddedStore.open(storePath, { namespace: 'pattern', database: 'pattern' });
  try {
    const ran = await store.run(WRITE, { namespace: 'pattern', database: 'pattern' });
    expect(ran.filter((statement) => !statement.ok)).toEqual([]);
    expect(await store.count(TABLE)).toBe(RECORDS);
  } finally {
    await store.close();
  }
}

async function writtenBy2(storePath: string): Promise<void> {
  const server = await startTestServer({ major: 2, storage: `surrealkv://${storePath}` });
  try {
    const http = client(server, 'pattern', 'pattern');
    await http.ensureDatabase();
    await http.sql(WRITE);
    expect(await http.sql(`RETURN count(SELECT VALUE id FROM ${ident(TABLE)});`)).toEqual([RECORDS]);
  } finally {
    await stopManagedServer(server.stateDir);
  }
}

describe.each([
  { major: 3, write: writtenBy3 },
  { major: 2, write: writtenBy2 },
])('a SurrealDB $major store with a table named a\\b⟩`c, into 3.3.5', ({ write }) => {
  it('is migrated and verified, and a record changed on the server afterwards is named by verify', async () => {
    const dir = await folderWith(write);
    const target: TestServer = await startTestServer({ major: 3 });
    cleanups.push(target.stop);
    const env = { SURREAL_USER: target.username, SURREAL_PASS: target.password };

    const moved = await runPatternDb(['migrate', '--yes', '--json', '--target', target.url], { cwd: dir, env });
    expect(moved.exitCode, moved.stdout + moved.stderr).toBe(0);
    expect(moved.events).toContainEqual(expect.objectContaining({ code: 'I_VERIFIED' }));
    const http = client(target, 'pattern', 'pattern');
    expect(await http.sql(`RETURN count(SELECT VALUE id FROM ${ident(TABLE)});`)).toEqual([RECORDS]);

    await http.sql(`UPDATE ${ident(TABLE)}:[700] SET v = -1;`);
    const checked = await runPatternDb(['verify', '--json', '--source', path.join(dir, 'pattern.db'), '--target', target.url, '--state-dir', path.join(dir, '.verify')], { cwd: dir, env });
    expect(checked.exitCode, checked.stdout + checked.stderr).toBe(3);
    expect(checked.result?.error?.code).toBe('E_VERIFY_MISMATCH');
    const evidence = String(checked.result?.error?.evidence);
    expect(evidence).toMatch(/: 0 missing, 0 extra, 1 changed, e\.g\. \S+:\[700\]$/m);
    expect(evidence.startsWith(`${TABLE}: `), evidence).toBe(true);
  }, 300_000);
});
