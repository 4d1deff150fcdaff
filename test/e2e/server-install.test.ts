// A server that outlives the session, at 80x24 in a real terminal (tmux): the wizard's last screen says a reboot
// stops the server it started and names `pattern-db server install`; that command shows what it would do, asks for
// the password and then y/N, and an answer of n writes nothing. Screens go to test-output/e2e/.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { binPath, repoRoot } from '../helpers/pattern-db.js';
import { freePort, surrealBin } from '../helpers/surreal.js';
import { TmuxSession, withoutSpaces } from './tmux.js';
import { answerText, walkToRootPassword } from './wizard-walk.js';

const screens = path.join(repoRoot, 'test-output', 'e2e');
const size = { columns: 80, rows: 24 };
const password = 'e2e-Install-pass-5';
const cleanups: Array<() => Promise<unknown>> = [];
let folder: PatternFolder;
let env: Record<string, string>;

beforeAll(async () => {
  folder = await patternFolder(30, 1, PATTERN_TOML, 2);
  env = { SURREAL_BIN: await surrealBin(3), SURREAL2_BIN: await surrealBin(2), XDG_CONFIG_HOME: path.join(folder.dir, 'config') };
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  cleanups.push(() => execa('node', [binPath, 'server', 'stop', '--state-dir', path.join(folder.dir, '.pattern-db')], { reject: false }));
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function start(command: string, extraEnv: Record<string, string> = {}): Promise<TmuxSession> {
  const session = await TmuxSession.start(`node ${binPath} ${command}`, { cwd: folder.dir, ...size, env: { ...env, ...extraEnv } });
  cleanups.push(() => session.kill());
  return session;
}


it("the wizard's last screen says a reboot stops the server it started, and names server install", async () => {
  const port = await freePort();
  const session = await start('');
  await walkToRootPassword(session, { port, storage: 'surrealkv' });
  await answerText(session, password);
  await session.waitFor(/Write these changes/, 240_000);
  await session.send(['y']);
  await session.waitFor(/How should Pattern get the server credentials\?/);
  await session.send(['Enter']); // from the environment
  const done = await session.waitFor(/What next\?/, 60_000);
  await session.save(screens, 'server-install-done.txt');
  expect(done).toMatch(/After reboot\s+gone \(a background process\): pattern-db server install/);
  // The command itself is first under "Next", one page down at 80x24.
  await session.send(['PageDown']);
  const next = await session.waitFor(/\$ pattern-db server install {3}# start it at boot/);
  await session.save(screens, 'server-install-done-next.txt');
  expect(next).toMatch(/lines \d+-\d+ of \d+/);
  await session.send(['q']);
  await session.waitFor(/\[exit 0\]/, 30_000);
  // The server it started runs on, for the next test.
}, 300_000);

it('server install shows the unit, asks for the password and y/N, and n writes nothing', async () => {
  const calls = path.join(folder.dir, 'systemctl-calls');
  const systemctl = path.join(folder.dir, 'systemctl');
  await fs.writeFile(systemctl, `#!/bin/sh\necho "$@" >> '${calls}'\n`, { mode: 0o755 });
  const session = await start('server install', { PATTERN_DB_SYSTEMCTL: systemctl });
  const asked = await session.waitFor(/Password for admin on http:\/\/127\.0\.0\.1:\d+:/, 60_000);
  expect(asked).toContain('No password for admin was found');
  expect(withoutSpaces(asked)).toContain(withoutSpaces('.pattern-db/server.env (mode 0600)'));
  await answerText(session, password);
  const question = await session.waitFor(/Install pattern-db-server-\d+\.service and switch the server over to it\? \[y\/N\]/);
  await session.save(screens, 'server-install-ask.txt');
  expect(question).not.toContain(password);
  await answerText(session, 'n');
  const end = await session.waitFor(/\[exit \d+\]/, 30_000);
  await session.save(screens, 'server-install-declined.txt');
  expect(end).toContain('Not installed (answered no): nothing was written.');
  expect(end).toContain('[exit 1]');
  expect(await fs.stat(path.join(folder.dir, '.pattern-db', 'server.env')).catch(() => null)).toBeNull();
  expect(await fs.stat(path.join(folder.dir, 'config')).catch(() => null)).toBeNull();
  expect(await fs.readFile(calls, 'utf8')).toBe('--user show-environment\n');
}, 120_000);
