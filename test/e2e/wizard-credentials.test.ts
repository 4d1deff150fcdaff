// What the wizard's choices mean, in a real terminal (tmux) at 80x24: a generated root password is shown once before
// the server starts with it, and the last screen says where the credentials are; a memory server's loss is said next
// to the command that stops it; the route's warning shows where the route is chosen, not on every later screen.
// Final screens go to test-output/e2e/.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { binPath, repoRoot } from '../helpers/pattern-db.js';
import { freePort, surrealBin } from '../helpers/surreal.js';
import { TmuxSession } from './tmux.js';
import { walkToRootPassword } from './wizard-walk.js';

const screens = path.join(repoRoot, 'test-output', 'e2e');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A Pattern folder on a SurrealDB 2 store (what users have), the wizard started in it at 80x24. */
async function wizardIn(messages: number, args = ''): Promise<{ session: TmuxSession; dir: string }> {
  const folder = await patternFolder(messages, 1, PATTERN_TOML, 2);
  const env = { SURREAL_BIN: await surrealBin(3), SURREAL2_BIN: await surrealBin(2) };
  const session = await TmuxSession.start(`node ${binPath} ${args}`, { cwd: folder.dir, columns: 80, rows: 24, env });
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  cleanups.push(() => execa('node', [binPath, 'server', 'stop', '--state-dir', path.join(folder.dir, '.pattern-db')], { reject: false }));
  cleanups.push(() => session.kill());
  return { session, dir: folder.dir };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

it('a generated root password is shown once, before the server starts, and the last screen says so', async () => {
  const { session, dir } = await wizardIn(30);
  const port = await freePort();
  await walkToRootPassword(session, { port });
  await session.send(['Tab']);

  const shown = await session.waitFor(/Store it now/);
  await session.save(screens, 'credentials-01-generated-password.txt');
  const password = /^\s{4}(\S{32})\s*$/m.exec(shown)?.[1];
  expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(shown).toMatch(/Shown only this once/);
  expect(shown).toMatch(/enter stored it, go on/);
  // Nothing has used it yet: no server step, nothing listening on the port.
  expect(shown).toMatch(/pattern-db · Choose the server/);
  expect(shown).not.toMatch(/Starting the SurrealDB server/);
  expect(await listening(port)).toBe(false);

  await session.send(['Enter']);
  const diff = await session.waitFor(/Write these changes/, 120_000);
  expect(diff).not.toContain(password);
  await session.send(['n']);

  const done = await session.waitFor(/Finished with problems[\s\S]*# memory storage/, 60_000);
  await session.save(screens, 'credentials-02-done-declined.txt');
  expect(done).not.toContain(password);
  expect(done).toMatch(/Credentials\s+admin: the generated password, shown only once/);
  // The memory server's loss, on the line right under the command that stops it.
  expect(done).toMatch(/\$ pattern-db server stop --state-dir \.pattern-db\n\s+# memory storage: stopping the server deletes everything in it/);
  expect(done).not.toMatch(/For production[\s\S]*in memory/);
  await session.send(['q']);
  await session.waitFor(/\[exit 1\]/, 30_000);
  // Not left in the terminal's scrollback either.
  const { stdout: scrollback } = await execa('tmux', ['capture-pane', '-p', '-S', '-', '-t', session.name]);
  expect(scrollback).toContain('the generated password, shown only once');
  expect(scrollback).not.toContain(password);

  // It was written nowhere: not in the journal, the server's state or log, the export, the config or its backup.
  const files = (await fs.readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && !path.join(e.parentPath, e.name).includes('pattern.db'));
  expect(files.length).toBeGreaterThan(3);
  for (const file of files) expect(await fs.readFile(path.join(file.parentPath, file.name), 'latin1'), file.name).not.toContain(password);
  // The password shown is the one the server took.
  expect(await listening(port)).toBe(true);
  const http = new SurrealHttp({ url: `http://127.0.0.1:${port}`, username: 'admin', password: password!, namespace: 'pattern', database: 'pattern' });
  expect(await http.checkCredentials()).toBe('root');
}, 240_000);

it("the route's warning shows where SurrealDB 3 is chosen, and is not pinned to the later screens", async () => {
  const { session } = await wizardIn(30);
  const port = await freePort();
  await session.waitFor(/Start the migration\?/, 120_000);
  expect(await session.screen()).not.toMatch(/Rust SDK 2\.3|W_PATTERN_SDK/);
  await session.send(['Enter']);
  await session.waitFor(/Where should the data go\?/);
  await session.send(['Enter']);
  await session.waitFor(/Storage for the new server/);
  await session.send(['Down', 'Enter']);
  const choice = await session.waitFor(/which SurrealDB should the new server run\?/);
  await session.save(screens, 'route-01-version-choice.txt');
  expect(choice.replace(/\s+/g, ' ')).toContain('⚠ SurrealDB 3: Pattern releases of the SurrealDB era embed the Rust SDK 2.3, which refuses 3.x servers.');
  await session.send(['Down', 'Enter']);
  await session.waitFor(/Address to listen on/);
  await session.type(`127.0.0.1:${port}`);
  await session.send(['Enter']);
  await session.waitFor(/Root user/);
  await session.type('admin');
  await session.send(['Enter']);
  await session.waitFor(/Root password for the new server/);
  await session.type('route-Test-pass-42');
  await session.send(['Enter']);

  const diff = await session.waitFor(/Write these changes/, 120_000);
  await session.save(screens, 'route-02-config-question.txt');
  expect(diff).not.toMatch(/W_PATTERN_SDK|Rust SDK 2\.3/);
  await session.send(['q']);
  await session.waitFor(/\[exit \d+\]/, 30_000);
}, 240_000);

it('a new server named by flags (as `npm run demo` does) gets the same offer: Tab, and the password is shown once before it starts', async () => {
  const port = await freePort();
  const { session } = await wizardIn(30, `migrate --start-server memory --bind 127.0.0.1:${port}`);
  await session.waitFor(/Start the migration\?/, 120_000);
  await session.send(['Enter']);
  await session.waitFor(/Root password for the new server[\s\S]*tab takes a generated 32-character password/, 60_000);
  await session.send(['Tab']);
  const shown = await session.waitFor(/Store it now/);
  expect(shown).toMatch(/^ {4}[A-Za-z0-9_-]{32}\s*$/m);
  expect(await listening(port)).toBe(false);
  await session.send(['q']);
  await session.waitFor(/\[exit \d+\]/, 30_000);
  expect(await listening(port)).toBe(false);
}, 120_000);
