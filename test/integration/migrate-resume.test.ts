// The server dies in the middle of an import: a clear error, then --resume finishes the job without duplicates.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { startManagedServer, stopManagedServer } from '../../src/surreal/server.js';
import { patternFolder } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb } from '../helpers/pattern-db.js';
import { freePort, surrealBin } from '../helpers/surreal.js';

const password = 'resume-test-pass-9';
const stateDirs: string[] = [];
afterAll(async () => {
  for (const dir of stateDirs) await stopManagedServer(dir).catch(() => undefined);
});

async function serverOn(storage: string, port: number) {
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pattern-db-server-'));
  stateDirs.push(stateDir);
  return startManagedServer({ bin: await surrealBin(), storage, bind: `127.0.0.1:${port}`, username: 'root', password, stateDir });
}

it('resumes an import after the server was killed, and verifies the result', async () => {
  const folder = await patternFolder(20_000);
  const storage = `surrealkv://${await fs.mkdtemp(path.join(os.tmpdir(), 'pattern-db-target-'))}/data`;
  const port = await freePort();
  const first = await serverOn(storage, port);
  const url = first.url;

  let killed = false;
  const interrupted = await runPatternDb(['migrate', '--yes', '--json', '--target', url], {
    cwd: folder.dir,
    env: { SURREAL_USER: 'root', SURREAL_PASS: password },
    onEvent: (event) => {
      if (!killed && event.type === 'progress' && event.step === 'import' && event.done > 0) {
        killed = true;
        process.kill(first.pid, 'SIGKILL');
      }
    },
  });
  expect(killed).toBe(true);
  expect(interrupted.exitCode).toBe(1);
  const code = errorsOf(interrupted)[0];
  expect(['E_CONN_LOST', 'E_CONN_REFUSED']).toContain(code);
  expect(interrupted.result?.error?.fix).toContain('--resume');
  expect(await fs.readFile(folder.configPath, 'utf8')).toContain('type = "embedded"');

  await serverOn(storage, port);
  const resumed = await runPatternDb(['migrate', '--yes', '--json', '--resume', '--target', url], { cwd: folder.dir, env: { SURREAL_USER: 'root', SURREAL_PASS: password } });
  expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
  expect(resumed.events.some((e) => e.type === 'status' && e.step === 'export' && e.state === 'skipped')).toBe(true);
  expect(resumed.result?.verify?.ok).toBe(true);

  const http = new SurrealHttp({ url, username: 'root', password, namespace: 'pattern', database: 'pattern' });
  const [messages] = (await http.sql('RETURN count(SELECT VALUE id FROM msg);')) as number[];
  expect(messages).toBe(folder.counts.msg);
  expect(await fs.readFile(folder.configPath, 'utf8')).toContain('type = "remote"');
}, 900_000);

it('refuses to start over silently when an earlier run is unfinished', async () => {
  const folder = await patternFolder(300);
  const stateDir = path.join(folder.dir, '.pattern-db');
  await fs.mkdir(stateDir, { recursive: true });
  await fs.writeFile(
    path.join(stateDir, 'journal.json'),
    JSON.stringify({ version: 1, startedAt: '', updatedAt: '', fingerprint: {}, steps: { preflight: { state: 'done' }, export: { state: 'done' }, import: { state: 'failed', checkpoint: { chunksDone: 1 } } } }),
  );
  const port = await freePort();
  const run = await runPatternDb(['migrate', '--yes', '--json', '--target', `http://127.0.0.1:${port}`], { cwd: folder.dir, env: { SURREAL_USER: 'root', SURREAL_PASS: password } });
  expect(errorsOf(run)).toContain('E_JOURNAL');
  expect(run.result?.error?.fix).toContain('--resume');
});
