// The wizard at 80x24 in a real terminal (tmux) with a config whose diff is longer than the screen: the question
// says there is more, y before the end writes nothing, every diff line is seen by scrolling, then y writes it; the
// last screen scrolls to its last command and its last advice. Screens go to test-output/e2e/.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PATTERN_TOML, patternFolder } from '../helpers/fixture-store.js';
import { binPath, repoRoot } from '../helpers/pattern-db.js';
import { freePort, surrealBin } from '../helpers/surreal.js';
import { TmuxSession } from './tmux.js';
import { walkToRootPassword } from './wizard-walk.js';

const screens = path.join(repoRoot, 'test-output', 'e2e');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const LONG_COMMENT = 'this comment is long on purpose: it explains why the embedded store moved to a server, and it is wider than a terminal of 80 columns';
const NOTES = Array.from({ length: 7 }, (_, i) => `# note ${i + 1} about the database, kept as written`).join('\n');
const MORE = Array.from({ length: 7 }, (_, i) => `# more ${i + 1}: another note that stays`).join('\n');
const TOML = PATTERN_TOML.replace('type = "embedded"               # moved by pattern-db', `type = "embedded"   # ${LONG_COMMENT}\n${NOTES}`).replace(
  'strict_mode = false',
  `${MORE}\nstrict_mode = false`,
);

/** The diff's rows on screen by their number in the whole diff, read from the footer ("lines 5-20 of 23"). */
function diffRows(screen: string, into: Map<number, string>): number {
  const rows = screen.split('\n');
  const footer = rows.findIndex((r) => /^lines \d+-\d+ of \d+/.test(r));
  const [, first, last, total] = /^lines (\d+)-(\d+) of (\d+)/.exec(rows[footer]!)!.map(Number);
  const window = rows.slice(footer - (last! - first! + 1), footer);
  window.forEach((row, i) => into.set(first! + i, row));
  return total!;
}

it('the config diff scrolls and y waits until all of it was seen; the last screen scrolls to its end', async () => {
  expect(TOML).toContain(LONG_COMMENT);
  const folder = await patternFolder(30, 1, TOML, 2);
  const port = await freePort();
  const stateDir = path.join(folder.dir, '.pattern-db');
  const session = await TmuxSession.start(`node ${binPath}`, {
    cwd: folder.dir,
    columns: 80,
    rows: 24,
    env: { SURREAL_BIN: await surrealBin(3), SURREAL2_BIN: await surrealBin(2) },
  });
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  cleanups.push(() => execa('node', [binPath, 'server', 'stop', '--state-dir', stateDir], { reject: false }));
  cleanups.push(() => session.kill());

  await walkToRootPassword(session, { port });
  await session.type('e2e-Scroll-pass-7');
  await session.send(['Enter']);

  // At the question: the screen says there is more, and how to read it.
  const first = await session.waitFor(/Write these changes to .*pattern\.toml\? y\/N/, 240_000);
  await session.save(screens, 'wizard-scroll-01-question.txt');
  expect(first).toMatch(/lines 1-\d+ of \d+ · ↓ to read the remaining \d+ lines before answering/);
  expect(first).not.toContain('+url = "ws://');
  expect(first.trimEnd().split('\n').at(-1)).toMatch(/↑\/↓ scroll/);
  expect(first.split('\n').length).toBeLessThanOrEqual(24);

  // y before the end: nothing is written, the screen says why.
  const original = await fs.readFile(folder.configPath, 'utf8');
  await session.send(['y']);
  const refused = await session.waitFor(/y waits until all is read: ↓ for the other \d+/);
  await session.save(screens, 'wizard-scroll-02-y-too-early.txt');
  expect(refused).toMatch(/Write these changes/);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(await fs.readFile(folder.configPath, 'utf8')).toBe(original);

  // Scrolling shows every row; the long line wraps, it is not cut.
  const seen = new Map<number, string>();
  const total = diffRows(refused, seen);
  let screen = refused;
  for (let i = 0; i < 40 && !/lines \d+-(\d+) of \1 · ↑\/↓ scroll/.test(screen); i++) {
    await session.send(['Down']);
    screen = await session.screen();
    diffRows(screen, seen);
  }
  await session.save(screens, 'wizard-scroll-03-read.txt');
  expect(screen).toMatch(/lines \d+-(\d+) of \1 · ↑\/↓ scroll/);
  expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  const text = [...seen.entries()].sort(([a], [b]) => a - b).map(([, row]) => row).join('\n');
  expect(text).not.toContain('…');
  // The long line wrapped (at a space, which the terminal does not keep at the end of a row); all of it is there.
  expect(text.replace(/\s+/g, '')).toContain(`+type="remote"#${LONG_COMMENT.replace(/\s+/g, '')}`);
  expect(text).toMatch(/^ # note 1 about the database/m);
  expect(text).toMatch(/^ strict_mode = false/m);
  expect(text).toContain(`+url = "ws://127.0.0.1:${port}"`);
  expect(text).toContain('+database = "pattern"');

  await session.send(['y']);
  // The credentials are settled first: a .env that cannot be written leaves the config as it was.
  await session.waitFor(/How should Pattern get the server credentials\?/);
  expect(await fs.readFile(folder.configPath, 'utf8')).toBe(original);
  await session.send(['Enter']); // from the environment

  // The last screen: "What next?" owns the arrows; pgdn/end scroll to the last command and the last advice.
  const done = await session.waitFor(/What next\?/, 60_000);
  expect(await fs.readFile(folder.configPath, 'utf8')).toContain(`url = "ws://127.0.0.1:${port}"`);
  await session.save(screens, 'wizard-scroll-04-done-top.txt');
  expect(done).toMatch(/lines 1-\d+ of \d+ · pgup\/pgdn scroll/);
  expect(done).not.toContain('+10 more');
  let end = done;
  for (let i = 0; i < 20 && !/lines \d+-(\d+) of \1 /.test(end); i++) {
    await session.send(['PageDown']);
    end = await session.screen();
  }
  await session.save(screens, 'wizard-scroll-05-done-end.txt');
  expect(end).toMatch(/lines \d+-(\d+) of \1 /);
  expect(end).toMatch(/\$ pattern-db backup schedule/);
  // The last advice, whole (wrapped, not cut).
  expect(end).toMatch(/keep\s+the export made today\.$/m);
  await session.send(['q']);
  await session.waitFor(/\[exit \d+\]/, 30_000);
}, 300_000);
