// The import's progress in a real terminal (tmux, 80x24), on a 2.x store as Pattern users have: the records, then
// each index as it builds (SurrealDB 2 builds msg's full-text index slowly), the bar below 100% and a time left above
// 0 until the last index is built. Screens go to test-output/e2e/.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PATTERN_TOML, patternFolder } from '../helpers/fixture-store.js';
import { binPath, repoRoot } from '../helpers/pattern-db.js';
import { freePort, surreal2Bin, surrealBin } from '../helpers/surreal.js';
import { TmuxSession, withoutSpaces } from './tmux.js';
import { answerText, walkToRootPassword } from './wizard-walk.js';

const screens = path.join(repoRoot, 'test-output', 'e2e');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});


const percentOf = (screen: string): number | undefined => {
  const match = /(\d+)%/.exec(screen);
  return match ? Number(match[1]) : undefined;
};

it('shows the records, then each index as it builds, with the bar below 100% and time left until the last one', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  const port = await freePort();
  // Chunks of 64 KiB: the records of 300 messages take several requests, not one that can pass between two looks.
  const env = { SURREAL_BIN: await surrealBin(), SURREAL2_BIN: await surreal2Bin(), PATTERN_DB_IMPORT_CHUNK_BYTES: String(64 * 1024) };
  const session = await TmuxSession.start(`node ${binPath}`, { cwd: folder.dir, columns: 80, rows: 24, env });
  cleanups.push(() => session.kill());
  cleanups.push(() => execa('node', [binPath, 'server', 'stop', '--state-dir', path.join(folder.dir, '.pattern-db')], { reject: false }));

  await walkToRootPassword(session, { port });
  await answerText(session, 'e2e-Progress-pass-3');

  // Sample the import as a person watching it would.
  await session.waitFor(/Importing into the server/, 120_000);
  const seen: string[] = [];
  let indexScreen: string | undefined;
  const deadline = Date.now() + 90_000;
  while (!indexScreen && Date.now() < deadline) {
    const screen = await session.screen();
    seen.push(screen);
    // msg's full-text index is the one SurrealDB 2 takes its time over: seconds, not a frame.
    if (/index \d of \d: msg_content_search on msg \(300 records\)/.test(screen) && /left/.test(screen)) {
      indexScreen = screen;
      await session.save(screens, 'import-progress-index.txt');
    } else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(indexScreen, `never saw msg_content_search building; last screen:\n${seen.at(-1)}`).toBeDefined();
  const recordsScreen = seen.find((s) => /^records · table \w+ · then 7 indexes/m.test(s));
  expect(recordsScreen, 'the records phase was shown before the indexes').toBeDefined();
  await fs.writeFile(path.join(screens, 'import-progress-records.txt'), recordsScreen + '\n');
  expect(seen.indexOf(recordsScreen!)).toBeLessThan(seen.indexOf(indexScreen!));

  expect(indexScreen).toMatch(/index [1-7] of 7: msg_content_search on msg \(300 records\)/);
  expect(percentOf(indexScreen!)).toBeLessThan(100);
  expect(indexScreen).toMatch(/\b(?:[1-9]\d*s|\d+m \d+s) left/);
  expect(indexScreen).not.toMatch(/\b0s left/);
  expect(indexScreen).toContain('862 records of 862 records');

  // The rest is not this test's: cancel, and the wizard stops its server.
  await session.send(['q']);
  const closing = await session.waitFor(/\[exit \d+\]/, 60_000);
  expect(withoutSpaces(closing)).toContain(withoutSpaces('pattern-db: stopped at "import". Your store and your Pattern config are as they were. Run pattern-db migrate again to continue from there'));
}, 240_000);
