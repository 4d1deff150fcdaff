// `migrate` proves the data on the server is the store's: a record changed, one missing and one extra on the server
// between the import and the verification make it stop with exit code 3, naming them, and leave the config alone.
// The plain output's verification table names all three too (and, before the server was changed, proved every table).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { patternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { startTestServer } from '../helpers/surreal.js';

/** The plain output's verification table: from its title to the line before the result's summary. */
function tableOf(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('Verification by '));
  expect(start, stdout).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('  '));
  return lines.slice(start, end);
}

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

    // A verify of its own (its own journal) prints the plain table.
    const proven = await runPatternDb(['verify', '--target', server.url, '--state-dir', path.join(folder.dir, '.plain-verify')], { cwd: folder.dir, env });
    expect(proven.exitCode, proven.stdout + proven.stderr).toBe(0);
    const provenTable = tableOf(proven.stdout);
    expect(provenTable[0]).toMatch(/^Verification by (hash|value): the target holds exactly what the store holds\.$/);
    expect(provenTable[1]).toMatch(/^ {2}table +source +target +compared +result$/);
    expect(provenTable[2]).toMatch(/^ {2}definitions +\d+ +identical$/);
    expect(provenTable.filter((line) => / identical$/.test(line))).toHaveLength(Object.keys(folder.counts).length + 1);
    const messages = folder.counts.msg!;
    expect(provenTable).toContainEqual(expect.stringMatching(new RegExp(`^ {2}msg +${messages} +${messages} +${messages} +identical$`)));

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

    const plain = await runPatternDb(['verify', '--target', server.url, '--state-dir', path.join(folder.dir, '.plain-verify')], { cwd: folder.dir, env });
    expect(plain.exitCode, plain.stdout + plain.stderr).toBe(3);
    const table = tableOf(plain.stdout);
    expect(table[0]).toMatch(/^Verification by (hash|value): the target differs from the store\.$/);
    // Tables that differ come first, after the definitions, each with its kinds of difference and a record of each.
    // (Deleting a message also took agent_messages rows with it: that table differs too.)
    const at = table.findIndex((line) => line.startsWith('  msg '));
    expect(at, plain.stdout).toBeGreaterThan(2);
    expect(table[at]).toMatch(new RegExp(`^ {2}msg +${messages} +${messages} +${messages + 1} +1 missing, 1 extra, 1 changed$`));
    expect(table.slice(at + 1, at + 4)).toEqual([`    missing ${missingText}`, '    extra msg:verify_extra', `    changed ${changedText}`]);
    expect(table.slice(at + 1).filter((line) => !line.startsWith('    ')).every((line) => / identical$/.test(line)), plain.stdout).toBe(true);
  } finally {
    await server.stop();
  }
}, 600_000);
