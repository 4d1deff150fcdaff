// The built pattern-db in a real terminal (tmux): keys typed by a "user", a whole migration into a server the
// wizard starts, then the target and the config checked independently. Its screens (test-output/e2e/flow-*.txt)
// are the README's.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { binPath, repoRoot } from '../helpers/pattern-db.js';
import { freePort, surrealBin } from '../helpers/surreal.js';
import { TmuxSession } from './tmux.js';
import { answerText } from './wizard-walk.js';

const screens = path.join(repoRoot, 'test-output', 'e2e');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});


it('migrates a SurrealDB 2 store through the wizard at 80x24, answered with key presses', async () => {
  // Engine 2: what every Pattern user has. 200 messages keep the full-text index build (the slow part on 2.x) short.
  const folder = await patternFolder(200, 1, PATTERN_TOML, 2);
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  const port = await freePort();
  const password = 'e2e-Wizard-pass-7';
  const env = { SURREAL_BIN: await surrealBin(3), SURREAL2_BIN: await surrealBin(2) };
  const session = await TmuxSession.start(`node ${binPath}`, { cwd: folder.dir, columns: 80, rows: 24, env });
  cleanups.push(() => session.kill());
  cleanups.push(() => execa('node', [binPath, 'server', 'stop', '--state-dir', path.join(folder.dir, '.pattern-db')], { reject: false }));

  await session.waitFor(/Start the migration\?/, 120_000);
  await session.save(screens, 'flow-01-welcome.txt');
  await session.send(['Enter']);

  await session.waitFor(/Where should the data go\?/);
  await session.send(['Enter']); // start a new server here
  await session.waitFor(/Storage for the new server/);
  await session.send(['Down', 'Enter']); // memory
  await session.waitFor(/which SurrealDB should the new server run\?/);
  await session.save(screens, 'flow-02-version.txt');
  await session.send(['Enter']); // stay on 2: Pattern connects as it is
  await session.waitFor(/Address to listen on/);
  await answerText(session, `127.0.0.1:${port}`);
  await session.waitFor(/Root user/);
  await answerText(session, 'admin');
  await session.waitFor(/Root password for the new server/);
  await session.save(screens, 'flow-03-password.txt');
  await session.type(password);
  await session.send(['Enter']);

  const indexing = await session.waitFor(/index \d+ of \d+: \S+ on \S+/, 120_000);
  await session.save(screens, 'flow-04-import.txt');
  expect(indexing).not.toMatch(/100%/);

  await session.waitFor(/Write these changes/, 240_000);
  await session.send(['v']);
  await session.waitFor(/records in \d+ tables match/);
  await session.save(screens, 'flow-05-verified.txt');
  await session.send(['v']);
  let diff = await session.waitFor(/Write these changes/);
  await session.save(screens, 'flow-06-config-diff.txt');
  // y is taken once every line of the diff has been on screen.
  for (let i = 0; i < 10 && /to read the remaining/.test(diff); i++) {
    await session.send(['PageDown']);
    diff = await session.screen();
  }
  await session.send(['y']);
  await session.waitFor(/How should Pattern get the server credentials\?/);
  await session.send(['Enter']); // from the environment

  const done = await session.waitFor(/What next\?/, 60_000);
  await session.save(screens, 'flow-07-done.txt');
  expect(done).toMatch(/^✔ checks {2}✔ export {2}✔ server {2}✔ import {2}✔ verify {2}✔ config\s*$/m);
  expect(done).toMatch(/Credentials\s+admin: the password you typed/);
  expect(done).not.toContain(password);
  await session.send(['Down', 'Down', 'Enter']); // Finish
  await session.send(['q']);
  await session.waitFor(/\[exit 0\]/, 30_000);

  // Independently: the server holds every message, and Pattern's config points at it.
  const http = new SurrealHttp({ url: `http://127.0.0.1:${port}`, username: 'admin', password, namespace: 'pattern', database: 'pattern' });
  const [messages] = (await http.sql('RETURN count(SELECT VALUE id FROM msg);')) as number[];
  expect(messages).toBe(folder.counts.msg);
  const config = await fs.readFile(folder.configPath, 'utf8');
  expect(config).toContain(`url = "ws://127.0.0.1:${port}"`);
  expect(config).toContain('type = "remote"');
  expect(config).not.toContain(password);
}, 600_000);
