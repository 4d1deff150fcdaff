// A database moved from a SurrealDB 2.x server into a 3.x server the documented way: `surreal export --v3` with the
// 2.x binary, then POST /import (the body starts with `OPTION IMPORT;`) into 3.x. The statements 3.x refuses are
// dropped here the simple way the tests need (the lead's import repair does this for real): the `DEFINE FIELD id …
// TYPE record` lines and the word FLEXIBLE.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { client } from './pattern-server.js';
import { surrealBin, tempDir, type TestServer } from './surreal.js';

export async function exportV3(server: TestServer, namespace: string, database: string): Promise<string> {
  const dir = await tempDir('pattern-db-export-');
  const file = path.join(dir, 'v3.surql');
  try {
    await execa(await surrealBin(2), ['export', '--endpoint', server.url, '--namespace', namespace, '--database', database, '--v3', '--log', 'warn', file], {
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password, SURREAL_ONLINE_VERSION_CHECK: 'false' },
    });
    return await fs.readFile(file, 'utf8');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export function dropWhat3xRefuses(dump: string): string {
  return dump
    .split('\n')
    .filter((line) => !/^DEFINE FIELD id ON \S+ TYPE record\b/.test(line))
    .map((line) => (line.startsWith('DEFINE FIELD ') ? line.replace(/ FLEXIBLE(?= )/, '') : line))
    .join('\n');
}

/** Exports namespace/database from a 2.x server and imports it into a 3.x server; throws on any import error. */
export async function moveTo3(from: TestServer, to: TestServer, namespace: string, database: string): Promise<void> {
  const dump = dropWhat3xRefuses(await exportV3(from, namespace, database));
  const target = client(to, namespace, database);
  await target.ensureDatabase();
  const { errors } = await target.importBody(dump);
  if (errors.length) throw new Error(`import into 3.x failed: ${errors.map((e) => e.message).join('; ')}`);
}
