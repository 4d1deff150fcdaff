// The wizard's typed answers in a real terminal (tmux) at 80x24: keys that come faster than a frame all count, an
// answer is checked at its question and asked again with the reason, and a failure wraps at word boundaries.
// Final screens go to test-output/e2e/.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PATTERN_TOML, patternFolder, type PatternFolder } from '../helpers/fixture-store.js';
import { binPath, repoRoot } from '../helpers/pattern-db.js';
import { freePort, surrealBin, surreal2Bin } from '../helpers/surreal.js';
import { TmuxSession, withoutSpaces } from './tmux.js';

const screens = path.join(repoRoot, 'test-output', 'e2e');
const cleanups: Array<() => Promise<unknown>> = [];
let folder: PatternFolder;

beforeAll(async () => {
  folder = await patternFolder(30, 1, PATTERN_TOML, 2);
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function wizard(args = ''): Promise<TmuxSession> {
  const session = await TmuxSession.start(`node ${binPath} ${args}`, {
    cwd: folder.dir,
    columns: 80,
    rows: 24,
    env: { SURREAL_BIN: await surrealBin(), SURREAL2_BIN: await surreal2Bin() },
  });
  cleanups.push(() => session.kill());
  cleanups.push(() => execa('node', [binPath, 'server', 'stop', '--state-dir', path.join(folder.dir, '.pattern-db')], { reject: false }));
  return session;
}

/** From the welcome screen to "Address to listen on" for a new memory server. */
async function toAddressQuestion(session: TmuxSession): Promise<void> {
  await session.waitFor(/Start the migration\?/, 60_000);
  await session.send(['Enter']);
  await session.waitFor(/Where should the data go\?/);
  await session.send(['Enter']); // a new server here
  await session.waitFor(/Storage for the new server/);
  await session.send(['Down', 'Enter']); // memory
  const version = await session.waitFor(/which SurrealDB should the new server run\?|Address to listen on/);
  if (/which SurrealDB/.test(version)) await session.send(['Enter']); // stay on 2
  await session.waitFor(/Address to listen on/);
}

/** The line the answer is typed on. */
function answerLine(screen: string): string {
  return screen.split('\n').find((line) => line.startsWith('› ')) ?? '';
}

it('every key counts: bursts of backspaces, a literal burst, Ctrl-U', async () => {
  const session = await wizard();
  await toAddressQuestion(session);
  await session.type('abcdef');
  await session.waitFor(/› abcdef/);
  await session.send(['BSpace', 'BSpace', 'BSpace']); // three keys in one send-keys call
  expect(answerLine(await session.screen())).toMatch(/^› abc\s*$/);
  await session.save(screens, 'wizard-answers-backspace-burst.txt');
  await session.type('xyz\x7f\x7fW'); // one write: text, two backspaces, text
  expect(answerLine(await session.screen())).toMatch(/^› abcxW\s*$/);
  await session.send(['C-u']);
  expect(answerLine(await session.screen())).toMatch(/^› 127\.0\.0\.1:8000 {2}\(Enter keeps it\)\s*$/);
  await session.type('nothing-here');
  await session.send(['C-u', 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', ':', '8']);
  expect(answerLine(await session.screen())).toMatch(/^› localhost:8\s*$/);
  await session.save(screens, 'wizard-answers-ctrl-u.txt');
  await session.send(['C-c']);
  const closing = await session.waitFor(/\[exit \d+\]/, 30_000);
  expect(withoutSpaces(closing)).toContain(withoutSpaces('pattern-db: stopped. Your store and your Pattern config are as they were.'));
  expect(closing).toContain('[exit 130]');
}, 120_000);

it('an address is checked at its question and asked again with the reason; a good one moves on', async () => {
  const session = await wizard();
  await toAddressQuestion(session);
  await session.type('   ');
  await session.send(['Enter']);
  let screen = await session.waitFor(/An address is needed/);
  expect(screen).toMatch(/Address to listen on/);
  expect(screen).toMatch(/✘ An address is needed\. Write HOST:PORT, e\.g\. 127\.0\.0\.1:8000/);
  await session.send(['C-u']);
  await session.type('127.0.0.1:');
  await session.send(['Enter']);
  screen = await session.waitFor(/has no port/);
  await session.save(screens, 'wizard-answers-bad-address.txt');
  expect(screen).toMatch(/Address to listen on/);
  expect(answerLine(screen)).toMatch(/^› 127\.0\.0\.1:\s*$/); // what was typed is kept
  expect(screen).not.toMatch(/prerequisites|Root user/i);
  await session.send(['BSpace']);
  await session.type(':99999');
  await session.send(['Enter']);
  screen = await session.waitFor(/99999 is not a port/);
  expect(answerLine(screen)).toMatch(/^› 127\.0\.0\.1:99999\s*$/);
  const port = await freePort();
  await session.send(['C-u']);
  await session.type(`127.0.0.1:${port}`);
  await session.send(['Enter']);
  screen = await session.waitFor(/Root user/);
  expect(screen).not.toMatch(/is not a port|has no port/);
  await session.type('bad name');
  await session.send(['Enter']);
  screen = await session.waitFor(/spaces or control characters/);
  expect(screen).toMatch(/Root user/);
  await session.save(screens, 'wizard-answers-bad-user.txt');
  await session.send(['C-c']);
  await session.waitFor(/\[exit \d+\]/, 30_000);
}, 120_000);

/** The whitespace-separated words of some screen lines, with the box's borders taken off. */
function wordsOf(lines: string[]): Set<string> {
  return new Set(lines.flatMap((line) => line.replace(/[│╭╮╰╯─]/g, ' ').split(/\s+/).filter(Boolean)));
}

/** Which words of `text` are not on `lines` whole: a word cut at the end of a line is missing. */
function cutWords(text: string, lines: string[]): string[] {
  const shown = wordsOf(lines);
  return text.split(/\s+/).filter((word) => word && !shown.has(word));
}

it('a failure longer than the width wraps at word boundaries, no word cut', async () => {
  // A host that never resolves: a real failure, quick, with a message, a fix and a warning longer than 80 columns.
  const url = 'http://no-such-pattern-database-server.invalid:8000';
  const stateDir = path.join(folder.dir, 'plain-state');
  // The same failure in plain output, for the words the screen must show whole.
  const plain = await execa('node', [binPath, 'migrate', '--target', url, '--yes', '--state-dir', stateDir], {
    cwd: folder.dir,
    reject: false,
    env: { SURREAL_PASS: 'some-password', SURREAL_BIN: await surrealBin(), SURREAL2_BIN: await surreal2Bin() },
  });
  const output = `${plain.stdout}\n${plain.stderr}`;
  const message = /^error \[E_HOST_NOT_FOUND\] (.*)$/m.exec(output)?.[1] ?? '';
  const fix = /^error \[E_HOST_NOT_FOUND\][^\n]*\n(?: {2}evidence: [^\n]*\n)? {2}fix: (.*)$/m.exec(output)?.[1] ?? '';
  const warning = /^warning \[W_NO_TLS\] (.*)$/m.exec(output)?.[1] ?? '';
  expect(message.length).toBeGreaterThan(80 - 6);
  expect(fix.length).toBeGreaterThan(80);
  expect(warning.length).toBeGreaterThan(80);

  const session = await wizard(`migrate --target ${url}`);
  await session.waitFor(/Start the migration\?/, 60_000);
  await session.send(['Enter']);
  await session.waitFor(/Password for/);
  await session.type('some-password');
  await session.send(['Enter']);
  const screen = await session.waitFor(/Diagnosis \(pattern-db doctor\): (?!checking)/, 60_000);
  await session.save(screens, 'wizard-answers-failure-wrap.txt');
  const lines = screen.split('\n');
  expect(lines.every((line) => line.length <= 80)).toBe(true);
  expect(lines.filter((line) => line.trimEnd().endsWith('…'))).toEqual([]);
  const box = lines.slice(lines.findIndex((l) => l.startsWith('╭')) + 1, lines.findIndex((l) => l.startsWith('╰')));
  expect(box.filter((line) => /\w/.test(line)).length).toBeGreaterThanOrEqual(3); // title and a message on 2+ lines
  expect(cutWords(message, box)).toEqual([]);
  const fixLines = lines.slice(lines.findIndex((l) => l.startsWith('Fix: ')), lines.findIndex((l) => l.startsWith('Diagnosis')));
  expect(fixLines.length).toBeGreaterThanOrEqual(2);
  expect(cutWords(fix, fixLines)).toEqual([]);
  expect(cutWords(warning, lines)).toEqual([]);
  await session.send(['q']);
  await session.waitFor(/\[exit \d+\]/, 30_000);
}, 120_000);
