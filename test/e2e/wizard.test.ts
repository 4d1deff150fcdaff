// The built pattern-db in a real terminal (tmux): keys typed by a "user", a whole migration into a server the
// wizard starts, then the target and the config checked independently. Final screens go to test-output/e2e/.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { patternFolder } from '../helpers/fixture-store.js';
import { binPath, repoRoot } from '../helpers/pattern-db.js';
import { freePort, surrealBin } from '../helpers/surreal.js';
import { TmuxSession } from './tmux.js';

const screens = path.join(repoRoot, 'test-output', 'e2e');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function answerText(session: TmuxSession, text: string): Promise<void> {
  await session.type(text);
  await session.send(['Enter']);
}

it('migrates a Pattern-shaped store through the wizard, answered with key presses', async () => {
  const folder = await patternFolder(2000);
  const port = await freePort();
  const password = 'e2e-Wizard-pass-7';
  const session = await TmuxSession.start(`node ${binPath}`, { cwd: folder.dir, columns: 100, rows: 32, env: { SURREAL_BIN: await surrealBin() } });
  cleanups.push(() => session.kill());
  cleanups.push(() => execa('node', [binPath, 'server', 'stop', '--state-dir', path.join(folder.dir, '.pattern-db')], { reject: false }));

  await session.waitFor(/Start the migration\?/, 120_000);
  await session.save(screens, '01-welcome.txt');
  await session.send(['Enter']);

  await session.waitFor(/Where should the data go\?/);
  await session.send(['Enter']); // start a new server here
  await session.waitFor(/Storage for the new server/);
  await session.send(['Down', 'Enter']); // memory
  await session.waitFor(/Address to listen on/);
  await answerText(session, `127.0.0.1:${port}`);
  await session.waitFor(/Root user/);
  await answerText(session, 'admin');
  await session.waitFor(/Root password for the new server/);
  await session.save(screens, '02-target.txt');
  await session.type(password);
  await session.send(['Enter']);

  await session.waitFor(/Write these changes/, 240_000);
  await session.save(screens, '03-config-diff.txt');
  await session.send(['y']);
  await session.waitFor(/How should Pattern get the server credentials\?/);
  await session.send(['Enter']); // from the environment

  const done = await session.waitFor(/pattern-cli agent list/, 60_000);
  await session.save(screens, '04-done.txt');
  expect(done).not.toContain(password);
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
