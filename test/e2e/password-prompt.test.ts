// The password prompt in a real terminal (tmux): a password typed with backspaces, Ctrl-U and a paste must never
// reach the screen, neither whole nor any 3-character piece of it; and no prompt where Pattern's .env has the password.
// Final screens go to test-output/e2e/.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { patternFolder } from '../helpers/fixture-store.js';
import { binPath, repoRoot } from '../helpers/pattern-db.js';
import { seedPatternDatabase } from '../helpers/pattern-server.js';
import { startTestServer, surrealBin, tempDir, type TestServer } from '../helpers/surreal.js';
import { TmuxSession } from './tmux.js';

const screens = path.join(repoRoot, 'test-output', 'e2e');
const cleanups: Array<() => Promise<unknown>> = [];
let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer({ password: 'Zq7wJx-9Vkq-Pmb4' });
  await seedPatternDatabase(server, 'pattern', 'pattern', 5);
  dir = await tempDir();
  cleanups.push(() => server.stop(), () => fs.rm(dir, { recursive: true, force: true }));
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Every piece of `secret` of 3 or more characters that shows on `screen`. */
function leakedPieces(screen: string, secret: string): string[] {
  const pieces: string[] = [];
  for (let length = 3; length <= secret.length; length++) {
    for (let start = 0; start + length <= secret.length; start++) {
      const piece = secret.slice(start, start + length);
      if (screen.includes(piece)) pieces.push(piece);
    }
  }
  return pieces;
}

async function start(command: string): Promise<TmuxSession> {
  const session = await TmuxSession.start(`node ${binPath} ${command}`, { cwd: dir, columns: 120, rows: 30, env: { SURREAL_USER: server.username } });
  cleanups.push(() => session.kill());
  await session.waitFor(new RegExp(`Password for ${server.username}:`), 30_000);
  return session;
}

it('backup asks for the password and shows nothing of it, however it is typed and corrected', async () => {
  const session = await start(`backup --target ${server.url} --dir backups`);
  const typed = ['Zq7w', 'Yq8Xz', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'Jx-9Vkq-Pmb5', 'BSpace', '4'];
  const seen: string[] = [];
  for (const key of typed) {
    if (key === 'BSpace') await session.send(['BSpace']);
    else await session.type(key);
    seen.push(await session.screen());
  }
  await session.send(['Enter']);
  seen.push(await session.waitFor(/\[exit \d+\]/, 60_000));
  await session.save(screens, 'password-prompt-backup.txt');
  for (const screen of seen) {
    expect(leakedPieces(screen, server.password)).toEqual([]);
    expect(leakedPieces(screen, 'Yq8Xz')).toEqual([]);
  }
  // The corrected password is the one that was used.
  expect(seen.at(-1)).toMatch(/backup finished successfully\.\s*\n\[exit 0\]/);
});

it('inspect: Ctrl-U clears what was typed, a pasted password works, and Ctrl-C at the prompt cancels cleanly', async () => {
  const session = await start(`inspect ${server.url}`);
  const seen: string[] = [];
  await session.type('Jk2Vq9');
  seen.push(await session.screen());
  await session.send(['C-u']);
  await session.send([`${server.password}\r`], { literal: true }); // a paste ending in Enter, in one write
  seen.push(await session.waitFor(/Database pattern\/pattern/, 60_000));
  await session.send(['q']);
  seen.push(await session.waitFor(/\[exit \d+\]/, 15_000));
  await session.save(screens, 'password-prompt-inspect.txt');
  for (const screen of seen) {
    expect(leakedPieces(screen, server.password)).toEqual([]);
    expect(leakedPieces(screen, 'Jk2Vq9')).toEqual([]);
  }
  expect(seen.at(-1)).toMatch(/\[exit 0\]/);

  const cancelled = await start(`backup --target ${server.url} --dir backups`);
  await cancelled.type('Wq5');
  await cancelled.send(['C-c']);
  const screen = await cancelled.waitFor(/\[exit \d+\]/, 15_000);
  expect(screen).toMatch(/\[exit 130\]/);
  expect(screen).not.toContain('Wq5');
  // The terminal is back in cooked mode: the shell's echo shows what is typed after the program ended.
  await cancelled.type('typed-after');
  expect(await cancelled.screen()).toContain('typed-after');
});

it('the wizard takes the password from .env as every other command does, and asks for none', async () => {
  const target = await startTestServer();
  const folder = await patternFolder(20);
  cleanups.push(() => target.stop(), () => fs.rm(folder.dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(folder.dir, '.env'), `SURREAL_USER=${target.username}\nSURREAL_PASS=${target.password}\n`, { mode: 0o600 });
  const session = await TmuxSession.start(`node ${binPath} migrate --target ${target.url}`, { cwd: folder.dir, columns: 100, rows: 32, env: { SURREAL_BIN: await surrealBin() } });
  cleanups.push(() => session.kill());
  await session.waitFor(/Start the migration\?/, 120_000);
  await session.send(['Enter']);
  const screen = await session.waitFor(/Write these changes|Password for/, 240_000);
  await session.save(screens, 'password-from-env-wizard.txt');
  expect(screen).not.toMatch(/Password for/);
  await session.send(['C-c']);
}, 400_000);
