// Where am I, and the proof at a glance, in a real terminal (tmux) at 80x24: every step on the step row from the
// first screen, the verification's per-table table on screen, and a declined config change shown as declined.
// Screens go to test-output/e2e/.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
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

const stepRow = (screen: string) => screen.split('\n')[1] ?? '';

it('shows every step from the first screen, the verification table, and a declined config change as declined', async () => {
  const folder = await patternFolder(30, 1, PATTERN_TOML, 2);
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  const port = await freePort();
  const env = { SURREAL_BIN: await surrealBin(3), SURREAL2_BIN: await surrealBin(2) };
  const session = await TmuxSession.start(`node ${binPath}`, { cwd: folder.dir, columns: 80, rows: 24, env });
  cleanups.push(() => session.kill());
  cleanups.push(() => execa('node', [binPath, 'server', 'stop', '--state-dir', path.join(folder.dir, '.pattern-db')], { reject: false }));

  // The first screen already names every step: the checks that run, and the rest waiting.
  const first = await session.waitFor(/· export {2}· server {2}· import {2}· verify {2}· config/, 60_000);
  expect(stepRow(first)).toMatch(/^\S checks {2}· export {2}· server {2}· import {2}· verify {2}· config\s*$/);
  await session.save(screens, 'wizard-steps-01-first.txt');

  await walkToRootPassword(session, { port });
  await session.type('e2e-Steps-pass-4');
  await session.send(['Enter']);

  // Before approving the config change, the proof: v opens the verification's table.
  const asked = await session.waitFor(/Write these changes/, 180_000);
  expect(stepRow(asked)).toMatch(/^✔ checks {2}✔ export {2}✔ server {2}✔ import {2}✔ verify {2}\S config\s*$/);
  await session.send(['v']);
  const table = await session.waitFor(/records in \d+ tables match/);
  await session.save(screens, 'wizard-steps-02-verify-table.txt');
  expect(table).toMatch(/table\s+source\s+target\s+compared\s+result/);
  expect(table).toMatch(/^definitions\s+\d+\s+✔ identical/m);
  const agents = folder.counts.agent;
  expect(table).toMatch(new RegExp(`^agent\\s+${agents}\\s+${agents}\\s+${agents}\\s+✔ identical`, 'm'));
  expect(table).toMatch(/^\d+ more tables identical\s*$/m);
  expect(table).not.toContain('Write these changes');
  await session.send(['PageDown']);
  await session.waitFor(/↑ \d+ above/);
  await session.send(['v']);

  // Declining leaves pattern.toml alone, and the last screen says so: declined, not ✔.
  await session.waitFor(/Write these changes/);
  await session.send(['n']);
  const done = await session.waitFor(/Finished with problems/, 60_000);
  await session.save(screens, 'wizard-steps-03-declined.txt');
  expect(done.split('\n')[0]).toContain('Done · config change declined');
  expect(stepRow(done)).toMatch(/✔ verify {2}⊘ config declined\s*$/);
  expect(stepRow(done)).not.toContain('✔ config');
  expect(done).toMatch(/Config\s+declined: Pattern still uses the store/);
  for (const line of done.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  await session.send(['q']);
  await session.waitFor(/\[exit 1\]/, 30_000);
  expect(await fs.readFile(folder.configPath, 'utf8')).toBe(PATTERN_TOML);
}, 300_000);
