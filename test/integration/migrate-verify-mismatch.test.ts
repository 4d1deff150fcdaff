// `migrate` proves the data on the server is the store's: a record changed, one missing and one extra on the server
// between the import and the verification make it stop with exit code 3, naming them, and leave the config alone.
import { promises as fs } from 'node:fs';
import { expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { patternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { startTestServer } from '../helpers/surreal.js';

it('exits 3 naming a changed, a missing and an extra record that the server holds after the import', async () => {
  const folder = await patternFolder(300);
  const server = await startTestServer();
  const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password };
  try {
    // The run is stopped once the import is journaled as done, so that the server can be changed before verify runs.
    let pid = 0;
    const imported = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], {
      cwd: folder.dir,
      env,
      onSpawn: (spawned) => (pid = spawned),
      onEvent: (event) => {
        if (event.type === 'status' && event.step === 'import' && event.state === 'done') process.kill(pid, 'SIGKILL');
      },
    });
    expect(imported.result, 'the run was stopped before it finished').toBeUndefined();
    expect(imported.events.some((e) => e.type === 'status' && e.step === 'verify' && e.state !== 'running'), 'verify had not finished').toBe(false);

    const http = new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' });
    const [changed, missing] = (await http.sql('SELECT VALUE id FROM msg ORDER BY id LIMIT 2;'))[0] as unknown[];
    const [changedText, missingText] = (await http.sql(`RETURN [<string> ${String(changed)}, <string> ${String(missing)}];`))[0] as string[];
    await http.sql(`
      CREATE msg:verify_extra CONTENT (SELECT * OMIT id FROM ONLY ${missingText});
      UPDATE ${changedText} SET word_count += 1;
      DELETE ${missingText};`);

    const resumed = await runPatternDb(['migrate', '--yes', '--json', '--resume', '--target', server.url], { cwd: folder.dir, env });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(3);
    expect(resumed.result?.error?.code).toBe('E_VERIFY_MISMATCH');
    const evidence = String(resumed.result?.error?.evidence);
    expect(evidence).toMatch(/^msg: 1 missing, 1 extra, 1 changed/m);
    for (const id of [changedText, missingText, 'msg:verify_extra']) expect(evidence).toContain(id);
    expect(await fs.readFile(folder.configPath, 'utf8')).toContain('type = "embedded"');
  } finally {
    await server.stop();
  }
}, 600_000);
